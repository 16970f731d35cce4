/**
 * The shipped chest classifier in the real page: its score with the model's threshold, the
 * CAM drawn over the film, occlusion and RISE computed on request; the lung segmenter's
 * overlay is named a probability map and offers no saliency method.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { samplePath } from '../core/testing/shared-data.ts';
import { artifacts, openWorkstation, type Harness } from './harness.ts';

let harness: Harness;
let page: Page;

before(async () => {
  harness = await openWorkstation('saliency', { viewport: { width: 1280, height: 800 } });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

test(
  'chest classifier: score with threshold, CAM over the film, RISE on request; the segmenter shows a probability map',
  { timeout: 240_000 },
  async () => {
    await page.getByTestId('import-input').setInputFiles(samplePath('chest-cr-j2k-pydicom.dcm'));
    await page.locator('.worklist-item.open', { hasText: 'chest-cr-j2k-pydicom.dcm' }).waitFor();
    await page.locator('[data-rendered-image]').first().waitFor({ timeout: 60_000 });

    await page.getByRole('button', { name: /^Analyse with chest-lungs/ }).click();
    await page
      .locator('.analysis-result[data-model-id="chest-lungs"]')
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('map-kind').innerText(), 'map: probability map');
    assert.equal(
      await page.getByRole('button', { name: 'RISE map' }).count(),
      0,
      'a segmenter offers no saliency method',
    );

    await page.getByRole('button', { name: /^Analyse with chest-pneumonia/ }).click();
    const result = page.locator('.analysis-result[data-model-id="chest-pneumonia"]');
    await result.waitFor({ timeout: 60_000 });
    const finding = result.locator('.findings li').first();
    assert.match(
      await finding.innerText(),
      /^pneumonia: \d+\.\d% \(threshold \d+% → (above|below)\)/,
    );
    const score = Number(await finding.getAttribute('data-score'));
    assert.ok(score >= 0 && score <= 1);
    assert.equal(await page.getByTestId('map-kind').innerText(), 'map: CAM');
    const painted = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>(
          'canvas[data-testid$="ai-overlay"]',
        )!;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let visible = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) visible++;
        return visible / (data.length / 4);
      });
    assert.ok((await painted()) > 0.01, 'the CAM is drawn over the film');
    await page.screenshot({ path: join(artifacts, 'chest-classifier-cam.png') });

    const started = performance.now();
    await page.getByRole('button', { name: 'RISE map' }).click();
    await page.getByTestId('map-kind').getByText('map: RISE').waitFor({ timeout: 180_000 });
    console.log(
      `# RISE map (1,000 masks) in the page: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.ok((await painted()) > 0.01, 'the RISE map is drawn');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(artifacts, 'chest-classifier-rise-1920.png') });
  },
);
