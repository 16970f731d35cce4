/**
 * `neoscope analyze` on camera exports: each photo's eye comes from the sidecar CSV beside
 * it, a chest film saved as JPEG among fundus photos is a chest image (its pixels say so,
 * whatever its name says), and a retina model asked for by name is refused on it with
 * MODEL_DOMAIN_MISMATCH, naming both.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFixtureModelsFolder } from '../inference/testing/fixture-package.ts';
import { samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { runAnalyze } from './analyze.ts';

const models = writeFixtureModelsFolder();

test('the bundled photos are analysed with the eye their sidecar gives', async () => {
  const out = mkdtempSync(join(tmpdir(), 'neoscope-analyze-photos-'));
  const code = await runAnalyze(
    {
      paths: [samplePath('fundus-exports')],
      out,
      models: ['test-quadrant'],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'none',
    },
    { out: () => {}, err: () => {} },
  );
  assert.equal(code, 0);
  for (const [stem, eye] of [
    ['Image_01R', 'OD'],
    ['Image_01L', 'OS'],
  ]) {
    const { image } = JSON.parse(readFileSync(join(out, stem!, 'test-quadrant.json'), 'utf8'));
    assert.deepEqual(
      [image.domain, image.eye, image.sources.eye],
      ['retina', eye, 'the sidecar CSV'],
    );
  }
  // summary.csv names the infant and the eye of every row (input, status, folder, patient, eye, view, model…).
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
  assert.match(summary, /Image_01R\.jpg","done","Image_01R","CHASE-01","OD","","test-quadrant"/);
  assert.match(summary, /Image_01L\.jpg","done","Image_01L","CHASE-01","OS","","test-quadrant"/);
});

test('a chest film among fundus photos is a chest image; a retina model named for it is refused', async () => {
  const inputs = mkdtempSync(join(tmpdir(), 'neoscope-analyze-mixed-'));
  copyFileSync(samplePath('fundus-exports/Image_01R.jpg'), join(inputs, 'baby_OD_1.jpg'));
  // Named like a right-eye photo, as a camera export folder might have it.
  copyFileSync(
    sharedDataPath('cxr/Montgomery-imlab/images/mont_1.jpg'),
    join(inputs, 'baby_OD_2.jpg'),
  );
  const out = mkdtempSync(join(tmpdir(), 'neoscope-analyze-mixed-out-'));
  const errors: string[] = [];
  const code = await runAnalyze(
    {
      paths: [inputs],
      out,
      models: ['test-quadrant'],
      backend: 'wasm',
      modelsFolder: models,
      saliency: 'none',
    },
    { out: () => {}, err: (t) => void errors.push(t) },
  );
  assert.equal(code, 3);
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
  assert.match(summary, /baby_OD_1\.jpg","done","baby_OD_1","[^"]*","OD","","test-quadrant"/);
  assert.match(
    summary,
    /baby_OD_2\.jpg","failed",.*"MODEL_DOMAIN_MISMATCH","baby_OD_2\.jpg is a chest image; the model asked for is for other images: test-quadrant \(retina\)"/,
  );
  assert.ok(errors.some((e) => e.includes('MODEL_DOMAIN_MISMATCH')));
  const { image } = JSON.parse(readFileSync(join(out, 'baby_OD_1', 'test-quadrant.json'), 'utf8'));
  assert.deepEqual([image.eye, image.sources.eye], ['OD', 'the file name (_OD_)']);
});
