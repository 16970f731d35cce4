/**
 * The real renderer in Chromium against the browser host: import a bundled sample through
 * the file picker, then read back the pixels cornerstone drew on the viewport canvas.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createWorkstation, type Workstation } from '../core/workstation/create-workstation.ts';
import { projectRoot, samplePath } from '../core/testing/shared-data.ts';
import { startBrowserHost, type BrowserHost } from '../host/server.ts';
import { launchChromium } from './chromium.ts';
import { signInThroughApi } from './harness.ts';

const artifacts = join(projectRoot, 'e2e', 'artifacts');
let workstation: Workstation;
let host: BrowserHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-e2e-data-')),
  });
  await signInThroughApi(workstation);
  host = await startBrowserHost({
    dispatch: workstation.dispatch,
    events: workstation.events,
    mounts: [
      { prefix: '/', folder: workstation.rendererFolder },
      { prefix: '/vendor/ort/', folder: workstation.ortFolder },
    ],
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(host.url);
});

after(async () => {
  await browser?.close();
  await host?.close();
  await workstation?.close();
});

/** Grey levels of the viewport canvas, read back from the canvas itself. */
async function readViewportPixels(): Promise<{ width: number; height: number; grey: number[] }> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewport"] canvas')!;
    const { width, height } = canvas;
    const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    const grey: number[] = [];
    for (let i = 0; i < data.length; i += 4) grey.push(data[i]!);
    return { width, height, grey };
  });
}

test('the page is cross-origin isolated and the token left the address bar', async () => {
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
  assert.equal(new URL(page.url()).hash, '');
  await page.getByText('browser host').waitFor();
});

test('importing a sample draws its real pixels on the viewport canvas', async () => {
  await page
    .getByTestId('import-input')
    .setInputFiles(samplePath('chest-dx-lateral-highdicom.dcm'));
  const item = page.locator('.worklist-item', { hasText: 'chest-dx-lateral-highdicom.dcm' });
  await item.waitFor();
  assert.match(await item.innerText(), /chest/i, 'classified as a chest film');
  await page.locator('[data-testid="viewport"][data-rendered-image]').waitFor();

  const { width, height, grey } = await readViewportPixels();
  assert.ok(width > 100 && height > 100, `canvas is ${width}×${height}`);
  const distinct = new Set(grey).size;
  assert.ok(distinct > 64, `a radiograph has many grey levels; the canvas has ${distinct}`);
  const mean = grey.reduce((a, b) => a + b, 0) / grey.length;
  assert.ok(
    mean > 10 && mean < 245,
    `mean grey ${mean.toFixed(1)} is neither blank black nor blank white`,
  );
  await page.screenshot({ path: join(artifacts, 'workstation-chest.png') });
  assert.deepEqual(pageErrors, []);
});

test('a file that is not DICOM is named in a specific error message, and the viewer keeps working', async () => {
  await page.getByTestId('import-input').setInputFiles({
    name: 'scan-notes.dcm',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('not a dicom file '.repeat(20)),
  });
  const message = page.locator('.message-error', { hasText: 'scan-notes.dcm' });
  await message.waitFor();
  assert.match(await message.innerText(), /not a DICOM file/);
  assert.equal(await message.getAttribute('data-code'), 'DICOM_NOT_DICOM');
  // The file name links to the file: a refused file's row in the quarantine list.
  await message.getByRole('button', { name: 'scan-notes.dcm' }).click();
  const row = page.locator('.quarantine tr.focused[data-file-name="scan-notes.dcm"]');
  await row.waitFor();
  assert.match(await row.innerText(), /DICOM_NOT_DICOM/);
  await page.getByRole('button', { name: 'Close quarantine list' }).click();
  await message.getByRole('button', { name: 'Dismiss message' }).click();
  await message.waitFor({ state: 'detached' });
  assert.ok(await page.locator('[data-testid="viewport"][data-rendered-image]').count());
  assert.equal(await page.getByRole('button', { name: 'Quarantine (1)' }).count(), 1);
});

test('a fundus JPEG without a sidecar asks for patient and eye, then shows in colour', async () => {
  await page.getByTestId('import-input').setInputFiles(samplePath('fundus-exports/Image_01R.jpg'));
  const form = page.getByRole('dialog', { name: 'Fundus photo details' });
  await form.waitFor();
  await form.getByLabel('Patient ID').fill('NICU-0042');
  await form.getByLabel('Exam date').fill('2026-11-20');
  await form.getByLabel('Birth date').fill('2026-10-01');
  await form.getByLabel('GA at birth, weeks').fill('28');
  await form.getByLabel('+ days').fill('3');
  await form.getByLabel('OD (right)').check();
  await form.getByRole('button', { name: 'Import' }).click();
  const item = page.locator('.worklist-infant-group', { hasText: 'NICU-0042' });
  await item.waitFor();
  assert.match(await item.locator('.worklist-item').innerText(), /^OD/);
  // Born 2026-10-01 at 28+3 weeks, photographed 50 days later: PMA 35+4 weeks, kept with the patient.
  await item.locator('.worklist-infant', { hasText: 'GA 28+3 weeks' }).waitFor();
  await item.locator('.worklist-exam', { hasText: 'PMA 35+4 weeks' }).waitFor();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="viewport-od"]')?.getAttribute('data-rendered-image')
        ?.length,
  );
  const mean = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="viewport-od"] canvas')!;
    const { width, height } = canvas;
    const data = canvas
      .getContext('2d')!
      .getImageData(
        Math.floor(width * 0.4),
        Math.floor(height * 0.4),
        Math.floor(width * 0.2),
        Math.floor(height * 0.2),
      ).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
    return sum.map((s) => s / (data.length / 4));
  });
  assert.ok(
    mean[0]! > mean[1]! && mean[1]! > mean[2]!,
    `retina keeps its colours: mean R/G/B ${mean.map((m) => m.toFixed(0)).join('/')}`,
  );
  await page.screenshot({ path: join(artifacts, 'workstation-fundus.png') });
});

test(
  'every shipped package passes its self-tests in Chromium too; empty grading tasks say so',
  { timeout: 240_000 },
  async () => {
    await page.getByRole('button', { name: 'Models' }).click();
    const shipped = readdirSync(join(projectRoot, 'models'), { withFileTypes: true }).filter(
      (d) => d.isDirectory() && existsSync(join(projectRoot, 'models', d.name, 'manifest.json')),
    );
    assert.ok(shipped.length >= 2, 'retina-vessels and chest-lungs ship');
    for (const { name } of shipped) {
      const model = page.locator(`.model[data-model-id="${name}"]`);
      await model.waitFor({ timeout: 60_000 });
      await model.getByRole('button', { name: 'Run self-test in this window' }).click();
      const line = model.locator(
        '.verification[data-state="passed"], .verification[data-state="failed"]',
      );
      await line.waitFor({ timeout: 90_000 });
      const text = await line.innerText();
      assert.equal(await line.getAttribute('data-state'), 'passed', `${name}: ${text}`);
      console.log(`# ${name} in Chromium: ${text.replace(/\s+/g, ' ')}`);
    }
    // No shipped package predicts ROP stage, BPD or PDA: the panel says so for each.
    for (const slot of ['rop-icrop3', 'bpd-grade', 'pda-significance']) {
      const row = page.locator(`.slot[data-slot-id="${slot}"]`);
      assert.equal(await row.getAttribute('data-filled'), 'no');
      assert.match(await row.innerText(), /no model installed: nothing predicts this/);
    }
    await page.getByRole('button', { name: 'Close models' }).click();
  },
);

test('an image that arrives without the page asking (pushed over DICOM) is listed at once', async () => {
  const name = 'retina-op-heidelberg-dcmjs.dcm';
  const before = Date.now();
  await workstation.library.importFiles(
    [{ name, bytes: new Uint8Array(readFileSync(samplePath(name))) }],
    'dicom:FUNDUS_CAM',
  );
  // The library's event reaches the page over the event stream; nothing polls.
  await page.locator('.worklist-item', { hasText: name }).waitFor({ timeout: 5_000 });
  assert.ok(Date.now() - before < 5_000);
  assert.deepEqual(pageErrors, []);
});
