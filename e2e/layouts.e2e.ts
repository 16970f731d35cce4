// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../core/dicom/deidentify/dcmjs-module.d.ts" />
/**
 * The reading layouts and the worklist in the real renderer, on the bundled samples:
 * the worklist's exam status, GA/PMA and unread state; the retina layout (OD and OS side by
 * side, a prior of the same eye, red-free and contrast-enhanced views, the zone I circle and
 * disc ruler from clicks, saved with the study); the chest layout (prior comparison, length
 * and angle, window presets, the loupe, the lung model's overlay as a contour beside the
 * original). Screenshots of the worklist, the retina layout and the chest layout with an
 * overlay are written to e2e/artifacts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import dcmjs from 'dcmjs';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { samplePath, sharedDataPath } from '../core/testing/shared-data.ts';
import { shippedModelVersion } from '../core/testing/shipped-model.ts';
import type { Workstation } from '../core/workstation/create-workstation.ts';
import { windowPresets } from '../renderer/features/viewer/window-presets.ts';
import { dragFrameRate } from './drag-frame-rate.ts';
import { artifacts, openWorkstation, type Harness } from './harness.ts';

let harness: Harness;
let workstation: Workstation;
let page: Page;

const call = async (op: string, args: unknown) => {
  const r = await workstation.dispatch(op as never, args);
  if (!r.ok) throw new Error(`${op}: ${r.error.message}`);
  return r.value as never;
};

/** A copy of a DICOM film as an earlier study of the same infant: new UIDs, an earlier study date. */
function earlierStudy(bytes: Uint8Array, studyDate: string): Uint8Array {
  const message = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  ) as unknown as {
    meta: Record<string, { Value?: unknown[] }>;
    dict: Record<string, { Value?: unknown[] }>;
    write(): ArrayBuffer;
  };
  const uid = (name: string) =>
    `2.25.${BigInt(`0x${createHash('sha256').update(`${name}:${studyDate}`).digest('hex').slice(0, 30)}`)}`;
  message.dict['00080018']!.Value = [uid('sop')];
  message.meta['00020003']!.Value = [uid('sop')];
  message.dict['0020000D']!.Value = [uid('study')];
  message.dict['0020000E']!.Value = [uid('series')];
  message.dict['00080020']!.Value = [studyDate];
  return new Uint8Array(message.write());
}

before(async () => {
  harness = await openWorkstation('layouts', {
    viewport: { width: 1600, height: 900 },
    beforeServe: async (w) => {
      workstation = w;
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('users.create', {
        username: 'rae',
        displayName: 'Rae Reader',
        role: 'radiologist',
        password: 'chest-2026!',
      });
      // The infant of the bundled fundus pair: born 2010-11-20 at 27+2 weeks (the photos are of 2011-01-01).
      await call('patients.set', {
        patientId: 'CHASE-01',
        birthDate: '2010-11-20',
        gaWeeks: 27,
        gaDays: 2,
      });
      await call('auth.logout', {});
    },
  });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

async function signIn(username: string, password: string, display: string) {
  if (await page.getByRole('button', { name: 'Sign out' }).count())
    await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in…' }).click();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.locator('form.sign-in button[type=submit]').click();
  await page.getByTestId('account').getByText(display).waitFor();
}

/** Screen position of an image pixel in a viewport showing the image fitted and centred (the default view). */
async function screenPoint(
  viewport: Locator,
  image: { width: number; height: number },
  point: { x: number; y: number },
) {
  const box = (await viewport.boundingBox())!;
  const scale = Math.min(box.width / image.width, box.height / image.height);
  return {
    x: box.x + box.width / 2 + (point.x - image.width / 2) * scale,
    y: box.y + box.height / 2 + (point.y - image.height / 2) * scale,
    scale,
  };
}

/** Mean R, G, B of a block of a viewport's canvas around a canvas position. */
async function rgbAt(testId: string, at: { x: number; y: number }, half = 20): Promise<number[]> {
  return page.evaluate(
    ({ testId, at, half }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testId}"] canvas`)!;
      const data = canvas
        .getContext('2d')!
        .getImageData(Math.round(at.x - half), Math.round(at.y - half), half * 2, half * 2).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
      return sum.map((s) => s / (data.length / 4));
    },
    { testId, at, half },
  );
}

/** Standard deviation of the grey level (mean of R, G, B) of a viewport canvas block: its contrast. */
async function contrastAt(
  testId: string,
  at: { x: number; y: number },
  half = 60,
): Promise<number> {
  return page.evaluate(
    ({ testId, at, half }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testId}"] canvas`)!;
      const data = canvas
        .getContext('2d')!
        .getImageData(Math.round(at.x - half), Math.round(at.y - half), half * 2, half * 2).data;
      const greys: number[] = [];
      for (let i = 0; i < data.length; i += 4)
        greys.push((data[i]! + data[i + 1]! + data[i + 2]!) / 3);
      const mean = greys.reduce((a, b) => a + b, 0) / greys.length;
      return Math.sqrt(greys.reduce((a, b) => a + (b - mean) ** 2, 0) / greys.length);
    },
    { testId, at, half },
  );
}

async function rendered(testId: string, view?: string) {
  await page.waitForFunction(
    ({ testId, view }) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      return (
        Boolean(el?.getAttribute('data-rendered-image')) &&
        (!view || el?.getAttribute('data-colour-view') === view)
      );
    },
    { testId, view },
    { timeout: 30_000 },
  );
}

test(
  'worklist: exams with status, GA and PMA, unread until opened, filtered by status',
  { timeout: 120_000 },
  async () => {
    await page
      .getByTestId('import-input')
      .setInputFiles([
        samplePath('fundus-exports/Image_01R.jpg'),
        samplePath('fundus-exports/Image_01L.jpg'),
        samplePath('fundus-exports/fundus-exports.csv'),
      ]);
    // Photo exports are checked in the import table before they are imported.
    await page
      .getByRole('dialog', { name: 'Fundus photo details' })
      .getByRole('button', { name: 'Import' })
      .click();
    // One import at a time: each opens its first image, and the chest film must be the one on screen.
    await page.locator('.worklist-item', { hasText: 'Image_01L.jpg' }).waitFor();
    await page
      .getByTestId('import-input')
      .setInputFiles([
        samplePath('chest-cr-j2k-pydicom.dcm'),
        samplePath('chest-dx-lateral-highdicom.dcm'),
      ]);
    await page.locator('.worklist-item.open', { hasText: 'chest-cr-j2k-pydicom.dcm' }).waitFor();
    // The admin imported them; signing out clears the screen, so Ada starts with nothing open.
    await signIn('ada', 'retina-2026!', 'Ada Reader · ophthalmologist');
    await page.getByLabel(/all domains/).check();

    const od = page
      .locator('.worklist-group', {
        has: page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }),
      })
      .locator('.worklist-exam');
    const infant = page.locator('.worklist-infant-group', {
      has: page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }),
    });
    // Unread is per reader: the list is fetched again once Ada is signed in.
    await page
      .locator('.worklist-group', {
        has: page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }),
      })
      .locator('.worklist-exam[data-unread="true"]')
      .waitFor();
    // One visit, both eyes; GA with the infant, PMA with the visit.
    assert.match(await od.innerText(), /2011-01-01 · OD \+ OS · PMA 33\+2 weeks/);
    assert.match(await infant.locator('.worklist-infant').innerText(), /GA 27\+2 weeks/);
    assert.equal(await od.getAttribute('data-status'), 'new');
    // One fundus visit (both eyes) and two chest films, none opened by Ada yet.
    assert.equal(await page.locator('.worklist-item.open').count(), 0);
    const unreadBefore = Number(
      /\((\d+)\)/.exec(await page.getByTestId('unread-count').innerText())![1],
    );
    assert.equal(unreadBefore, 3);

    // The OD exam is analysed by the service (as the batch queue does); the page shows it on its next refresh.
    await page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }).click();
    await page.waitForFunction(() =>
      document.querySelector('.worklist-group .worklist-exam[data-unread="false"]'),
    );
    const fundusId = await page
      .locator('.worklist-item', { hasText: 'Image_01R.jpg' })
      .getAttribute('data-instance-id');
    const { content } = (await call('review.open', { instanceIds: [fundusId] })) as {
      content: { reportId: string };
    };
    await call('review.analyze', { reportId: content.reportId });
    await page.reload();
    await page.getByLabel(/all domains/).check();
    await page.waitForFunction(() =>
      document.querySelector('.worklist-exam[data-status="analysed"]'),
    );
    assert.equal(
      Number(/\((\d+)\)/.exec(await page.getByTestId('unread-count').innerText())![1]),
      unreadBefore - 1,
      'opening an exam marks it read',
    );
    await page.getByLabel('Status').selectOption('analysed');
    assert.deepEqual(
      await page
        .locator('.worklist-item')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-file-name')).sort()),
      ['Image_01L.jpg', 'Image_01R.jpg'],
    );
    await page.getByLabel('Status').selectOption('all');
    await page.screenshot({ path: join(artifacts, 'worklist.png') });
  },
);

test(
  'retina layout: OD and OS side by side with a prior, red-free and enhanced views, zone I and disc ruler saved with the study',
  { timeout: 180_000 },
  async () => {
    // An earlier visit of the right eye (another CHASE photograph stands in for it), entered through the photo form.
    await page.getByTestId('import-input').setInputFiles({
      name: 'visit-2010-12-18-OD.jpg',
      mimeType: 'image/jpeg',
      buffer: readFileSync(sharedDataPath('retina', 'CHASE_DB1', 'images', 'Image_02R.jpg')),
    });
    const form = page.getByRole('dialog', { name: 'Fundus photo details' });
    await form.getByLabel('Patient ID').fill('CHASE-01');
    await form.getByLabel('Exam date').fill('2010-12-18');
    await form.getByLabel('OD (right)').check();
    await form.getByRole('button', { name: 'Import' }).click();
    await page.locator('.worklist-item', { hasText: 'visit-2010-12-18-OD.jpg' }).waitFor();

    await page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }).click();
    await page.getByTestId('retina-layout').waitFor();
    await rendered('viewport-od');
    await rendered('viewport-os');
    assert.match(
      await page.getByTestId('viewport-od-caption').innerText(),
      /^OD \(right eye\) · 2011-01-01 · PMA 33\+2 weeks$/,
    );
    assert.match(
      await page.getByTestId('viewport-os-caption').innerText(),
      /^OS \(left eye\) · 2011-01-01/,
    );
    const odImage = await page.getByTestId('viewport-od').getAttribute('data-rendered-image');
    const osImage = await page.getByTestId('viewport-os').getAttribute('data-rendered-image');
    assert.notEqual(odImage, osImage, 'each eye shows its own photograph');
    const prior = page.locator('[data-eye="OD"] .thumbnail', {
      hasText: 'prior · 2010-12-18 · PMA 31+2 weeks',
    });
    await prior.waitFor();

    // Colour, then red-free (the green channel as grey), then contrast-enhanced.
    const od = page.getByTestId('viewport-od');
    const box = (await od.boundingBox())!;
    const image = { width: 999, height: 960 };
    const temporal = await screenPoint(od, image, { x: 300, y: 480 }); // retina between the disc and the fovea
    const atCanvas = { x: temporal.x - box.x, y: temporal.y - box.y };
    const colour = await rgbAt('viewport-od', atCanvas);
    assert.ok(
      colour[0]! > colour[1]! && colour[1]! > colour[2]!,
      `colour kept: ${colour.map((v) => v.toFixed(0))}`,
    );
    const colourContrast = await contrastAt('viewport-od', atCanvas);
    await od.click({ position: { x: 5, y: box.height - 5 } }); // the OD pane takes the keyboard
    await page.keyboard.press('g');
    await rendered('viewport-od', 'red-free');
    const redFree = await rgbAt('viewport-od', atCanvas);
    assert.ok(
      Math.abs(redFree[0]! - redFree[1]!) < 1 && Math.abs(redFree[1]! - redFree[2]!) < 1,
      `red-free is grey: ${redFree.map((v) => v.toFixed(1))}`,
    );
    assert.ok(
      Math.abs(redFree[1]! - colour[1]!) < 3,
      `red-free shows the green channel: ${redFree[1]} vs ${colour[1]}`,
    );
    const redFreeContrast = await contrastAt('viewport-od', atCanvas);
    await page.keyboard.press('g');
    await rendered('viewport-od', 'enhanced');
    const enhancedContrast = await contrastAt('viewport-od', atCanvas);
    assert.ok(
      enhancedContrast > colourContrast * 1.3,
      `CLAHE raises local contrast: ${colourContrast.toFixed(1)} → ${enhancedContrast.toFixed(1)}`,
    );
    console.log(
      `# retina views: grey-level contrast beside the disc: colour ${colourContrast.toFixed(1)}, red-free ${redFreeContrast.toFixed(1)}, enhanced ${enhancedContrast.toFixed(1)}`,
    );
    await page.keyboard.press('g'); // back to colour
    await rendered('viewport-od', 'colour');

    // Zone I: disc centre, then fovea; the circle's radius is twice their distance.
    const disc = await screenPoint(od, image, { x: 523, y: 490 });
    const fovea = await screenPoint(od, image, { x: 200, y: 560 });
    await page.keyboard.press('z');
    await page.mouse.click(disc.x, disc.y);
    await page.mouse.click(fovea.x, fovea.y);
    const reading = await page.getByTestId('viewport-od-tool-readout').innerText();
    const [, radius, distance] = /zone I radius (\d+) px \(2 × disc–fovea (\d+) px\)/
      .exec(reading)!
      .map(Number);
    const expected = Math.hypot(523 - 200, 490 - 560);
    assert.ok(
      Math.abs(distance! - expected) <= 3,
      `disc–fovea ${distance} px, clicked ${expected.toFixed(0)} px apart`,
    );
    assert.ok(Math.abs(radius! - 2 * distance!) <= 1);
    const circleRadius = await page.evaluate(() =>
      Number(
        document
          .querySelector('[data-testid="viewport-od-frame"] g[data-kind="zone-i"] circle')
          ?.getAttribute('r'),
      ),
    );
    assert.ok(
      Math.abs(circleRadius - radius! * disc.scale) <= 2,
      `drawn radius ${circleRadius} px on screen, expected ${(radius! * disc.scale).toFixed(1)}`,
    );
    await page.keyboard.press('s');
    await page
      .getByTestId('viewport-od-saved')
      .getByText(/Zone I: zone I radius/)
      .waitFor();

    // Disc ruler across the disc: rings at 1, 2, 3 disc diameters.
    await page.keyboard.press('d');
    const edge1 = await screenPoint(od, image, { x: 431, y: 490 });
    const edge2 = await screenPoint(od, image, { x: 615, y: 490 });
    await page.mouse.click(edge1.x, edge1.y);
    await page.mouse.click(edge2.x, edge2.y);
    assert.match(await page.getByTestId('viewport-od-tool-readout').innerText(), /^1 DD = 18\d px/);
    await page.keyboard.press('s');
    await page
      .getByTestId('viewport-od-saved')
      .getByText(/Disc ruler: 1 DD = /)
      .waitFor();
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(artifacts, 'retina-layout.png') });

    // Saved with the study: still there after a reload, with who saved them.
    await page.reload();
    await page.getByLabel(/all domains/).check();
    await page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }).click();
    const saved = page.getByTestId('viewport-od-saved');
    await saved.getByText(/Zone I/).waitFor();
    assert.match(
      await saved.innerText(),
      /Zone I: zone I radius \d+ px[\s\S]*ada[\s\S]*Disc ruler: 1 DD = \d+ px[\s\S]*ada/,
    );

    // The prior of the same eye opens in the OD pane, labelled as prior with its PMA.
    await page.locator('[data-eye="OD"] .thumbnail', { hasText: 'prior' }).click();
    await page.waitForFunction(() =>
      /^OD \(right eye\) · prior · 2010-12-18 · PMA 31\+2 weeks$/.test(
        document.querySelector('[data-testid="viewport-od-caption"]')?.textContent ?? '',
      ),
    );
  },
);

test(
  'chest layout: prior comparison, length and angle, window presets, loupe, lung overlay as a contour beside the original',
  { timeout: 240_000 },
  async () => {
    await signIn('rae', 'chest-2026!', 'Rae Reader · radiologist');
    // An earlier film of the same infant (the bundled RG1 film re-filed as a study of 2004-08-01).
    await page.getByTestId('import-input').setInputFiles({
      name: 'rg1-prior-2004-08-01.dcm',
      mimeType: 'application/dicom',
      buffer: Buffer.from(
        earlierStudy(
          new Uint8Array(readFileSync(samplePath('chest-cr-j2k-pydicom.dcm'))),
          '20040801',
        ),
      ),
    });
    await page.locator('.worklist-item', { hasText: 'rg1-prior-2004-08-01.dcm' }).waitFor();

    // Length and angle on the lateral DX film (Pixel Spacing 1.2 × 1.2012 mm).
    await page.locator('.worklist-item', { hasText: 'chest-dx-lateral-highdicom.dcm' }).click();
    await page.getByTestId('chest-layout').waitFor();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="viewport"]')?.getAttribute('data-rendered-image')
          ?.length,
    );
    const viewport = page.getByTestId('viewport');
    const small = { width: 211, height: 169 };
    const a = await screenPoint(viewport, small, { x: 40, y: 50 });
    const b = await screenPoint(viewport, small, { x: 160, y: 100 });
    await page.keyboard.press('l');
    await page.mouse.click(a.x, a.y);
    await page.mouse.click(b.x, b.y);
    const mm = Number(
      /^([\d.]+) mm$/.exec(await page.getByTestId('viewport-tool-readout').innerText())![1],
    );
    const truth = Math.hypot(120 * 1.2, 50 * 1.2012);
    assert.ok(Math.abs(mm - truth) < 0.02 * truth, `length ${mm} mm, drawn ${truth.toFixed(1)} mm`);
    await page.keyboard.press('a');
    const vertex = await screenPoint(viewport, small, { x: 100, y: 100 });
    const arm1 = await screenPoint(viewport, small, { x: 160, y: 100 });
    const arm2 = await screenPoint(viewport, small, { x: 100, y: 40 });
    for (const p of [arm1, vertex, arm2]) await page.mouse.click(p.x, p.y);
    const angle = Number(
      /^([\d.]+)°$/.exec(await page.getByTestId('viewport-tool-readout').innerText())![1],
    );
    assert.ok(Math.abs(angle - 90) < 1.5, `angle ${angle}°`);
    await page.keyboard.press('Escape');

    // The RG1 film and, with P, its prior beside it.
    await page.locator('.worklist-item', { hasText: 'chest-cr-j2k-pydicom.dcm' }).click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="viewport"]')?.getAttribute('data-rendered-image')
          ?.length,
    );
    await page.getByTestId('viewport').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('p');
    await rendered('viewport-prior');
    assert.match(await page.getByTestId('viewport-caption').innerText(), /^current · 2004-08-26/);
    assert.match(
      await page.getByTestId('viewport-prior-caption').innerText(),
      /^prior · 2004-08-01/,
    );
    await page.keyboard.press('p');
    await page.waitForFunction(() => !document.querySelector('[data-testid="viewport-prior"]'));

    // Window presets from the film's own histogram: the page applies exactly the windows computed
    // from the stored film, and the chest preset spreads the film over more grey levels than the
    // file's own (very wide) window.
    const rg1 = workstation.library.list().find((i) => i.fileName === 'chest-cr-j2k-pydicom.dcm')!;
    const expected = windowPresets(
      await workstation.library.frame(rg1.instanceId, 0),
      rg1.modality,
    );
    const label = (name: string) => {
      const p = expected.find((e) => e.name === name)!;
      return `W ${Math.round(p.width)} / L ${Math.round(p.center)} (${name} preset)`;
    };
    // Read what the reader sees (a screenshot of the viewport), not the canvas backing store:
    // cornerstone's canvas is desynchronized, and a whole-canvas read right after a resize can
    // come back blank in headless Chromium.
    const greySpread = async () => {
      const { data, info } = await sharp(await page.getByTestId('viewport').screenshot())
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const greys: number[] = [];
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 0) greys.push(data[i]!); // the film, not the black border
      const mean = greys.reduce((a, b) => a + b, 0) / greys.length;
      return Math.sqrt(greys.reduce((a, b) => a + (b - mean) ** 2, 0) / greys.length);
    };
    const fileWindow = await greySpread();
    await page.keyboard.press('w');
    await page
      .locator('.viewport-overlay', { hasText: label('chest') })
      .first()
      .waitFor();
    const chestWindow = await greySpread();
    assert.ok(
      chestWindow > fileWindow * 1.2,
      `chest preset: grey-level spread ${fileWindow.toFixed(1)} → ${chestWindow.toFixed(1)}`,
    );
    await page.keyboard.press('w');
    await page
      .locator('.viewport-overlay', { hasText: label('soft tissue') })
      .first()
      .waitFor();
    await page.keyboard.press('w');
    await page
      .locator('.viewport-overlay', { hasText: label('bone') })
      .first()
      .waitFor();
    assert.equal(
      await page.getByTestId('viewport-frame').getByLabel('Window preset').inputValue(),
      'bone',
    );
    await page.keyboard.press('w'); // back to the file's default
    await page.waitForFunction(
      () => !/preset\)/.test(document.querySelector('.viewport-overlay')?.textContent ?? ''),
    );
    // The same presets from the toolbar.
    await page
      .getByTestId('viewport-frame')
      .getByLabel('Window preset')
      .selectOption('soft tissue');
    await page
      .locator('.viewport-overlay', { hasText: label('soft tissue') })
      .first()
      .waitFor();
    await page.getByTestId('viewport-frame').getByLabel('Window preset').selectOption('');
    await page.waitForFunction(
      () => !/preset\)/.test(document.querySelector('.viewport-overlay')?.textContent ?? ''),
    );

    // A CTR drawn by the reader, saved with the film, then entered in the report as the reader's value.
    const film = (await page.getByTestId('viewport').boundingBox())!;
    const mid = { x: film.x + film.width / 2, y: film.y + film.height / 2 };
    await page.keyboard.press('c');
    for (const dx of [-200, 200, -100, 100]) await page.mouse.click(mid.x + dx, mid.y);
    const ctr = /^CTR ([\d.]+)/.exec(
      await page.getByTestId('viewport-tool-readout').innerText(),
    )![1]!;
    assert.ok(
      Math.abs(Number(ctr) - 0.5) <= 0.01,
      `CTR ${ctr} from widths of 200 and 400 screen px`,
    );
    await page.keyboard.press('s');
    await page.getByTestId('viewport-saved').getByRole('button', { name: 'use in report' }).click();
    await page.getByRole('tab', { name: 'Report' }).click();
    const ctrField = page.locator('.review-panel tr[data-field="ctr"] input');
    await page.waitForFunction(
      (v) =>
        Number(
          (
            document.querySelector(
              '.review-panel tr[data-field="ctr"] input',
            ) as HTMLInputElement | null
          )?.value || NaN,
        ) === v,
      Number(ctr),
    );
    assert.equal(Number(await ctrField.inputValue()), Number(ctr));
    await page.getByRole('tab', { name: 'AI' }).click();
    await page.keyboard.press('Escape');

    // The loupe shows the film under the pointer, enlarged.
    await page.keyboard.press('m');
    const vbox = (await page.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(vbox.x + vbox.width / 2, vbox.y + vbox.height / 2);
    await page.mouse.move(vbox.x + vbox.width / 2 + 3, vbox.y + vbox.height / 2 + 3);
    await page.getByTestId('magnifier').waitFor();
    const loupeLit = await page.evaluate(() => {
      const data = document
        .querySelector<HTMLCanvasElement>('[data-testid="magnifier"]')!
        .getContext('2d')!
        .getImageData(0, 0, 180, 180).data;
      let lit = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! > 20) lit++;
      return lit / (data.length / 4);
    });
    assert.ok(loupeLit > 0.5, `the loupe shows the film (${(loupeLit * 100).toFixed(0)} % lit)`);
    await page.keyboard.press('m');

    // The lung model's map as a contour, beside the original; the finding outlines its region.
    const bare = (await dragFrameRate(page, 'viewport')).framesPerSecond;
    await page
      .getByRole('button', {
        name: `Analyse with chest-lungs ${shippedModelVersion('chest-lungs')}`,
      })
      .click();
    await page
      .locator('.analysis-result[data-model-id="chest-lungs"]')
      .waitFor({ timeout: 120_000 });
    const withMap = (await dragFrameRate(page, 'viewport')).framesPerSecond;
    console.log(
      `# W/L drag on the 1841×1955 film: ${bare.toFixed(1)} frames/s without the lung map, ${withMap.toFixed(1)} with it shown (${(withMap / bare).toFixed(2)}×; goal ≥ 50)`,
    );
    await page.getByLabel('contour only').check();
    await page.getByLabel('colormap').selectOption('red');
    await page.locator('.analysis-result .finding').first().click();
    await page.getByLabel('side by side with the original').check();
    await page.getByTestId('side-by-side-layout').waitFor();
    await rendered('viewport-original');
    const painted = (testId: string) =>
      page.evaluate((testId) => {
        const canvas = document.querySelector<HTMLCanvasElement>(
          `[data-testid="${testId}-ai-overlay"]`,
        )!;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n / (data.length / 4);
      }, testId);
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        '[data-testid="viewport-ai-overlay"]',
      );
      return canvas
        ? canvas
            .getContext('2d')!
            .getImageData(0, 0, canvas.width, canvas.height)
            .data.some((v, i) => i % 4 === 3 && v > 0)
        : false;
    });
    const overlayShare = await painted('viewport');
    assert.equal(
      await painted('viewport-original'),
      0,
      'the original is shown without the overlay',
    );
    assert.ok(
      overlayShare > 0.002 && overlayShare < 0.15,
      `a contour (and the region outline) covers ${(overlayShare * 100).toFixed(2)} % of the overlay viewport, not a filled map`,
    );
    await page.screenshot({ path: join(artifacts, 'chest-layout-overlay.png') });
  },
);

test(
  'multi-frame images scroll with PageDown/PageUp and the wheel; CT gets Hounsfield presets',
  { timeout: 120_000 },
  async () => {
    await page
      .getByTestId('import-input')
      .setInputFiles([
        sharedDataPath('dicom', 'pydicom-data', 'emri_small.dcm'),
        sharedDataPath(
          'dicom',
          'dicomParser',
          'encapsulated',
          'multi-frame',
          'CT0012.not_fragmented_bot_rle.dcm',
        ),
      ]);
    await page.getByLabel(/all domains/).check();
    await page.locator('.worklist-item', { hasText: 'emri_small.dcm' }).click();
    const frameShown = (n: number) =>
      page.waitForFunction(
        (n) =>
          document
            .querySelector('[data-testid="viewport"]')
            ?.getAttribute('data-rendered-image')
            ?.endsWith(`/${n}`),
        n,
        { timeout: 15_000 },
      );
    await frameShown(0);
    for (let i = 0; i < 3; i++) await page.keyboard.press('PageDown');
    await frameShown(3);
    await page.locator('.viewport-overlay', { hasText: 'frame 4/10' }).waitFor();
    const box = (await page.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 100);
    await frameShown(4);
    await page.keyboard.press('PageUp');
    await frameShown(3);

    await page.locator('.worklist-item', { hasText: 'CT0012.not_fragmented_bot_rle.dcm' }).click();
    await frameShown(0);
    await page.keyboard.press('w');
    await page.locator('.viewport-overlay', { hasText: 'W 1500 / L -600 (lung preset)' }).waitFor();
    await page.keyboard.press('w');
    await page
      .locator('.viewport-overlay', { hasText: 'W 400 / L 40 (soft tissue preset)' })
      .waitFor();
  },
);

test('? lists every shortcut, Esc closes the list', async () => {
  await page.getByTestId('viewport').click({ position: { x: 5, y: 5 } }); // focus away from the worklist search
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  const text = await help.innerText();
  for (const entry of [
    'Window / level',
    'Next window preset',
    'Magnifier',
    'Length',
    'Angle',
    'Cardiothoracic ratio',
    'Optic-disc ruler',
    'ICROP zone I',
    'red-free',
    'compare with the previous film',
    'AI overlay',
  ])
    assert.ok(text.includes(entry), `help lists ${entry}`);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
});
