/**
 * What `neoscope analyze` tells a reader about a day's run: summary.csv names each image's
 * patient, eye and view, and a value that was not made keeps its row with the code and the
 * reason (a lateral film has no cardiothoracic ratio; a package that refuses an image out of
 * its scope says so). Every result file names the model (id, version, sha256) and the
 * NeoScope version that made it.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { runAnalyze } from './analyze.ts';

/** The cells of a summary.csv line (every cell is quoted). */
function csvRows(text: string): Record<string, string>[] {
  const lines = text.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.match(/"(?:[^"]|"")*"/g)!.map((c) => c.slice(1, -1).replace(/""/g, '"'));
    return Object.fromEntries(header.map((h, i) => [h, cells[i]!]));
  });
}

test(
  'summary.csv: patient, eye and view per row; a withheld ratio and a refused model say why; result files name model and software',
  { timeout: 300_000 },
  async () => {
    const models = mkdtempSync(join(tmpdir(), 'neoscope-summary-models-'));
    for (const id of ['chest-lungs', 'chest-pneumonia'])
      cpSync(join(projectRoot, 'models', id), join(models, id), { recursive: true });
    // The pediatric classifier set to refuse outside its scope: an adult PA film is outside.
    const pneumonia = join(models, 'chest-pneumonia', 'manifest.json');
    const manifest = JSON.parse(readFileSync(pneumonia, 'utf8'));
    manifest.intendedUseScope.outsideUse = 'refuse';
    writeFileSync(pneumonia, JSON.stringify(manifest, null, 2));

    const out = mkdtempSync(join(tmpdir(), 'neoscope-summary-'));
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
        softwareVersion: '9.8.7-test',
      },
      { out: () => {}, err: () => {} },
    );
    assert.equal(code, 0);
    const rows = csvRows(readFileSync(join(out, 'summary.csv'), 'utf8'));
    const row = (file: string, model: string, finding: string) => {
      const found = rows.find(
        (r) => r.input!.endsWith(file) && r.model === model && r.finding === finding,
      );
      assert.ok(found, `${file} ${model} ${finding} in\n${JSON.stringify(rows, null, 1)}`);
      return found;
    };

    const frontal = row(
      'chest-cr-j2k-pydicom.dcm',
      'chest-lungs',
      'cardiothoracic ratio (estimate)',
    );
    assert.deepEqual([frontal.patient_id, frontal.eye, frontal.view], ['9RG1', '', 'PA']);
    assert.ok(Number(frontal.score) > 0.3 && Number(frontal.score) < 0.8, frontal.score);
    assert.equal(frontal.code, '');

    const lateral = row(
      'chest-dx-lateral-highdicom.dcm',
      'chest-lungs',
      'cardiothoracic ratio (estimate)',
    );
    assert.equal(lateral.patient_id, '123456');
    assert.equal(lateral.eye, '', "a left lateral film's Image Laterality L is not an eye");
    assert.equal(lateral.score, '', 'no number where none was made');
    assert.match(lateral.code!, /^CTR_/);
    assert.ok(lateral.message!.length > 10, 'the reason in words');

    const refused = row('chest-cr-j2k-pydicom.dcm', 'chest-pneumonia', 'not run');
    assert.equal(refused.code, 'MODEL_OUTSIDE_INTENDED_USE');
    assert.equal(refused.score, '');

    const measurements = JSON.parse(
      readFileSync(
        join(out, 'chest-dx-lateral-highdicom', 'chest-lungs.measurements.json'),
        'utf8',
      ),
    );
    const lungs = JSON.parse(
      readFileSync(join(projectRoot, 'models', 'chest-lungs', 'manifest.json'), 'utf8'),
    );
    assert.deepEqual(measurements.model, {
      id: 'chest-lungs',
      version: lungs.version,
      sha256: lungs.sha256,
    });
    assert.deepEqual(measurements.software, { product: 'NeoScope', version: '9.8.7-test' });
    assert.equal(measurements.image.domain, 'chest');
    assert.equal(measurements.measurements[0].kind, 'cardiothoracic-ratio');
    assert.equal(measurements.measurements[0].error.code, lateral.code);
    for (const file of ['chest-lungs.json', 'chest-pneumonia.json']) {
      const result = JSON.parse(readFileSync(join(out, 'chest-cr-j2k-pydicom', file), 'utf8'));
      assert.deepEqual(result.software, { product: 'NeoScope', version: '9.8.7-test' }, file);
      assert.match(result.model.sha256, /^[0-9a-f]{64}$/, file);
    }
  },
);

test('analyze names the installed NeoScope version when none is given', async () => {
  const out = mkdtempSync(join(tmpdir(), 'neoscope-summary-version-'));
  const code = await runAnalyze(
    {
      paths: [samplePath('chest-cr-j2k-pydicom.dcm')],
      out,
      models: ['chest-lungs'],
      backend: 'wasm',
      modelsFolder: join(projectRoot, 'models'),
      saliency: 'none',
    },
    { out: () => {}, err: () => {} },
  );
  assert.equal(code, 0);
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  const measurements = JSON.parse(
    readFileSync(join(out, 'chest-cr-j2k-pydicom', 'chest-lungs.measurements.json'), 'utf8'),
  );
  assert.deepEqual(measurements.software, { product: 'NeoScope', version });
});
