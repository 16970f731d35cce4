/**
 * The page's inference worker on a fixture package: the self-test vectors (expected values
 * computed from the model's definition, verified in Node with ONNX Runtime WASM) must be
 * reproduced in Chromium with WASM threads, and with WebGPU when Chromium has an adapter.
 * "Auto" must not pick a software WebGPU adapter: without a hardware one, an analysis of the
 * open image runs in the service's inference worker, with the CLI's numbers.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runAnalyze } from '../core/cli/analyze.ts';
import { projectRoot, samplePath } from '../core/testing/shared-data.ts';
import {
  writeFixturePackage,
  writeSegmenterPackage,
} from '../core/inference/testing/fixture-package.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { startBrowserHost, type BrowserHost } from '../host/server.ts';
import { launchChromium } from './chromium.ts';
import { signInThroughApi } from './harness.ts';

let host: BrowserHost;
let browser: Browser;
let page: Page;
let modelsFolder: string;

before(async () => {
  modelsFolder = mkdtempSync(join(tmpdir(), 'neoscope-e2e-models-'));
  mkdirSync(join(modelsFolder, 'test-quadrant'));
  cpSync(writeFixturePackage(), join(modelsFolder, 'test-quadrant'), { recursive: true });
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    modelsFolder,
    dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-e2e-inference-data-')),
  });
  await signInThroughApi(workstation); // installing a model needs an admin
  host = await startBrowserHost({
    dispatch: workstation.dispatch,
    events: workstation.events,
    mounts: [
      { prefix: '/', folder: workstation.rendererFolder },
      { prefix: '/vendor/ort/', folder: workstation.ortFolder },
    ],
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Models' }).click();
});

after(async () => {
  await browser?.close();
  await host?.close();
});

async function verifyWith(
  backend: 'auto' | 'wasm' | 'webgpu',
): Promise<{ state: string; text: string }> {
  const model = page.locator('.model[data-model-id="test-quadrant"]');
  await model.waitFor();
  await page.getByLabel('Inference backend').selectOption(backend);
  await model.getByRole('button', { name: 'Run self-test in this window' }).click();
  const line = model.locator('.verification:not([data-state="running"]):not([data-state="idle"])');
  await line.waitFor({ timeout: 60_000 });
  return { state: (await line.getAttribute('data-state')) ?? '', text: await line.innerText() };
}

test('the package is listed with its identity and reproduces its self-tests on WASM in Chromium', async () => {
  const panel = page.locator('.models-panel');
  await panel.getByText('test-quadrant 1.0.0').waitFor();
  assert.match(await panel.innerText(), /investigational/);
  assert.equal(
    await page.evaluate(() => window.crossOriginIsolated),
    true,
    'WASM threads need isolation',
  );
  const result = await verifyWith('auto');
  assert.equal(result.state, 'passed', result.text);
  assert.match(result.text, /passed on wasm/);
  console.log(`# browser self-test (auto): ${result.text.replace(/\s+/g, ' ')}`);
});

test('WebGPU agrees too when Chromium has an adapter (software here), chosen only by override', async (t) => {
  const hasAdapter = await page.evaluate(async () =>
    Boolean(
      await (
        navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }
      ).gpu?.requestAdapter(),
    ),
  );
  if (!hasAdapter) return t.skip('this Chromium exposes no WebGPU adapter');
  const result = await verifyWith('webgpu');
  assert.equal(result.state, 'passed', result.text);
  assert.match(result.text, /passed on webgpu/);
  console.log(`# browser self-test (webgpu override): ${result.text.replace(/\s+/g, ' ')}`);
});

test('a package zip dropped on the panel is verified and installed; a second copy is refused', async () => {
  const { zipSync } = await import('fflate');
  const { readFileSync } = await import('node:fs');
  const folder = writeSegmenterPackage();
  const zip = Buffer.from(
    zipSync({
      'segmenter/manifest.json': readFileSync(join(folder, 'manifest.json')),
      'segmenter/model.onnx': readFileSync(join(folder, 'model.onnx')),
    }),
  );
  await page
    .getByTestId('model-import-input')
    .setInputFiles({ name: 'segmenter.zip', mimeType: 'application/zip', buffer: zip });
  await page.locator('.import-result', { hasText: 'Installed' }).waitFor({ timeout: 30_000 });
  await page.locator('.model[data-model-id="test-segmenter"]').waitFor();
  await page
    .getByTestId('model-import-input')
    .setInputFiles({ name: 'segmenter-again.zip', mimeType: 'application/zip', buffer: zip });
  const refusal = page.locator('.import-result.message-error');
  await refusal.waitFor({ timeout: 30_000 });
  assert.match(await refusal.innerText(), /already installed.*MODEL_ALREADY_INSTALLED/);
});

test('analysing the open image goes to the service worker, gives the CLI score and draws the CAM overlay', async () => {
  await page.getByRole('button', { name: 'Close models' }).click();
  await page
    .getByTestId('import-input')
    .setInputFiles(samplePath('retina-op-heidelberg-dcmjs.dcm'));
  await page.locator('.worklist-item', { hasText: 'retina-op-heidelberg-dcmjs.dcm' }).click();
  await page.locator('[data-testid="viewport-od"][data-rendered-image]').waitFor();
  await page.getByRole('button', { name: 'Analyse with test-quadrant 1.0.0' }).click();
  const result = page.locator('.analysis-result[data-model-id="test-quadrant"]');
  await result.waitFor({ timeout: 60_000 });
  // Headless Chromium's WebGPU adapter is software: the service's inference worker runs it.
  assert.equal(await page.getByTestId('analysis-where').innerText(), 'service');
  const engine = await page.getByTestId('analysis-engine').innerText();
  assert.ok(['native', 'wasm'].includes(engine), engine);
  assert.match(
    await page.getByTestId('analysis-engine-reason').innerText(),
    // A model this small runs on the service's own thread: the hop to the worker costs more.
    /(in the service's inference worker|on the service's own thread \([\d.]+ ms per image: quicker than the hop to its inference worker\)); (the WebGPU adapter is a software fallback|no WebGPU adapter)/,
  );
  const pageScore = Number(await result.locator('.findings li').first().getAttribute('data-score'));

  const out = mkdtempSync(join(tmpdir(), 'neoscope-e2e-analyze-'));
  const code = await runAnalyze(
    {
      paths: [samplePath('retina-op-heidelberg-dcmjs.dcm')],
      out,
      models: ['test-quadrant'],
      backend: 'wasm',
      modelsFolder: modelsFolder,
      saliency: 'cam',
    },
    { out: () => {}, err: () => {} },
  );
  assert.equal(code, 0);
  const cli = JSON.parse(
    readFileSync(join(out, 'retina-op-heidelberg-dcmjs', 'test-quadrant.json'), 'utf8'),
  );
  assert.ok(
    Math.abs(cli.findings[0].score - pageScore) <= 1e-4,
    `page ${pageScore} vs CLI ${cli.findings[0].score}: same pre-processing and interpretation`,
  );

  const painted = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>(
      '[data-testid="viewport-od-ai-overlay"]',
    )!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let visible = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) visible++;
    return visible / (data.length / 4);
  });
  assert.ok(painted > 0.01, `the overlay covers ${(painted * 100).toFixed(1)}% of the viewport`);
  await page.keyboard.press('h');
  const hidden = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>(
      '[data-testid="viewport-od-ai-overlay"]',
    )!;
    return canvas
      .getContext('2d')!
      .getImageData(0, 0, canvas.width, canvas.height)
      .data.some((v, i) => i % 4 === 3 && v > 0);
  });
  assert.equal(hidden, false, 'H hides the overlay');
  await page.keyboard.press('h');
  assert.equal(await page.getByTestId('map-kind').innerText(), 'map: CAM');
  // Occlusion and RISE on request, placed like the analysis.
  for (const [button, kind] of [
    ['Occlusion map', 'occlusion'],
    ['RISE map', 'RISE'],
  ] as const) {
    await page.getByRole('button', { name: button }).click();
    await page.getByTestId('map-kind').getByText(`map: ${kind}`).waitFor({ timeout: 60_000 });
  }
  await page.screenshot({
    path: join(projectRoot, 'e2e', 'artifacts', 'workstation-ai-overlay.png'),
  });
  console.log(`# page score (${engine}) ${pageScore} = CLI score (WASM) ${cli.findings[0].score}`);
});
