/**
 * `neoscope analyze` states the intended-use gate's answer in each result file: the shipped
 * adult lung model is within its scope on an adult's PA film, the pediatric classifier is
 * outside it (a PA view, a 64-year-old), and on a film without a view position it is not
 * confirmed — never within. A package that refuses outside its scope does not run: its file
 * says why, with the code.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { runAnalyze } from './analyze.ts';

const quiet = { out: () => {}, err: () => {} };

test(
  'analyze: every result file states within, outside or not confirmed, and why',
  { timeout: 300_000 },
  async () => {
    // The shipped packages, the pediatric one set to refuse in a copy.
    const models = mkdtempSync(join(tmpdir(), 'neoscope-gate-models-'));
    for (const id of ['chest-lungs', 'chest-pneumonia'])
      cpSync(join(projectRoot, 'models', id), join(models, id), { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'neoscope-gate-'));
    const code = await runAnalyze(
      {
        paths: [
          samplePath('chest-cr-j2k-pydicom.dcm'),
          samplePath('chest-dx-lateral-highdicom.dcm'),
        ],
        out,
        models: [],
        backend: 'wasm',
        modelsFolder: models,
        saliency: 'none',
      },
      quiet,
    );
    assert.equal(code, 0);
    const read = (stem: string, id: string) =>
      JSON.parse(readFileSync(join(out, stem, `${id}.json`), 'utf8')) as {
        intendedUse?: { status: string; reasons: string[]; label?: string };
        notRun?: { code: string; message: string };
      };
    assert.equal(read('chest-cr-j2k-pydicom', 'chest-lungs').intendedUse!.status, 'within');
    const child = read('chest-cr-j2k-pydicom', 'chest-pneumonia').intendedUse!;
    assert.equal(child.status, 'outside');
    assert.match(child.reasons.join('; '), /view PA is not one of AP/);
    assert.match(child.reasons.join('; '), /age since birth \d+ days \(64 y/);
    const lateral = read('chest-dx-lateral-highdicom', 'chest-pneumonia').intendedUse!;
    assert.equal(lateral.status, 'unknown');
    assert.match(lateral.label!, /not confirmed: view not recorded/);

    const manifestPath = join(models, 'chest-pneumonia', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.intendedUseScope.outsideUse = 'refuse';
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const refusedOut = mkdtempSync(join(tmpdir(), 'neoscope-gate-'));
    assert.equal(
      await runAnalyze(
        {
          paths: [samplePath('chest-cr-j2k-pydicom.dcm')],
          out: refusedOut,
          models: ['chest-pneumonia'],
          backend: 'wasm',
          modelsFolder: models,
          saliency: 'none',
        },
        quiet,
      ),
      0,
    );
    const refused = JSON.parse(
      readFileSync(join(refusedOut, 'chest-cr-j2k-pydicom', 'chest-pneumonia.json'), 'utf8'),
    );
    assert.equal(refused.notRun.code, 'MODEL_OUTSIDE_INTENDED_USE');
    assert.equal(refused.findings, undefined, 'a refused model gives no findings');
  },
);
