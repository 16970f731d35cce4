import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { analyzeImage } from '../inference/analyze-image.ts';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { loadModelPackage } from '../inference/load-package.ts';
import { decodePhotoFrame } from '../library/photo-export.ts';
import { projectRoot, sharedDataPath } from '../testing/shared-data.ts';
import type { BinaryMask } from './binary-mask.ts';
import { cardiothoracicRatio, type CardiothoracicMeasurement } from './cardiothoracic-ratio.ts';
import { deriveMeasurement } from './derive-measurements.ts';

const W = 400;
const H = 400;
const LUNG = 40;
const BODY = 150;

/**
 * A drawn frontal film, 400×400: two lung fields (image-left x 40..190, image-right x 210..360,
 * rows 60..350; air dark), the mediastinum down the middle (x 185..215, bright), and whatever
 * `draw` adds. The mask marks the two fields, drawn behind the heart unless `maskOut` says which
 * pixels to leave out (a mask that excludes the heart). Thoracic width: 360 - 40 = 320.
 */
function drawnFilm(
  draw: (x: number, y: number) => number | undefined,
  options: { mediastinum?: number; maskOut?: (x: number, y: number) => boolean } = {},
) {
  const luma = new Uint8Array(W * H).fill(BODY);
  const mask: BinaryMask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const inLung = y >= 60 && y <= 350 && ((x >= 40 && x <= 190) || (x >= 210 && x <= 360));
      if (inLung) {
        luma[i] = LUNG;
        if (!options.maskOut?.(x, y)) mask.data[i] = 1;
      }
      if (y >= 30 && y <= 380 && x >= 185 && x <= 215) luma[i] = options.mediastinum ?? 200;
      else {
        const v = draw(x, y);
        if (v !== undefined) luma[i] = v;
      }
    }
  }
  return { mask, luma };
}

/** A heart: an ellipse around (205, 270), half-widths 80 (x) and 75 (y): from x 125 to x 285. */
const inHeart = (x: number, y: number, halfWidth = 80) =>
  ((x - 205) / halfWidth) ** 2 + ((y - 270) / 75) ** 2 <= 1;

function codeOf(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  assert.fail('expected the measurement to abstain');
}

test('a drawn heart 161 px wide (x 125..285) in a thorax 320 px wide is measured within a pixel or two', () => {
  const { mask, luma } = drawnFilm((x, y) => (inHeart(x, y) ? 180 : undefined));
  const m = cardiothoracicRatio(mask, luma);
  assert.deepEqual(m.thoracic, [
    { x: 40, y: m.thoracic[0].y },
    { x: 360, y: m.thoracic[0].y },
  ]);
  assert.equal(m.thoracicWidthPx, 320);
  // The borders lie half-way across the step from heart to lung: x 124.5 and 285.5.
  assert.ok(Math.abs(m.cardiac[0].x - 124.5) <= 1.5, `right heart border at ${m.cardiac[0].x}`);
  assert.ok(Math.abs(m.cardiac[1].x - 285.5) <= 1.5, `left heart border at ${m.cardiac[1].x}`);
  assert.ok(Math.abs(m.cardiacWidthPx - 161) <= 2, `heart width ${m.cardiacWidthPx}`);
  assert.ok(Math.abs(m.ratio - 161 / 320) < 0.007, `ratio ${m.ratio}`);
  // The widest rows are near the ellipse's middle row, not at the hila or the lung base.
  for (const p of m.cardiac) assert.ok(Math.abs(p.y - 270) <= 30, `border point row ${p.y}`);
  assert.equal(m.evidence.borderPointsInAeratedLung, 0);
  assert.ok(
    m.evidence.right.rowsWithBorder >= 30 && m.evidence.left.rowsWithBorder >= 30,
    JSON.stringify(m.evidence.right.rowsRejected),
  );
  assert.ok(m.confidence > 0.5, `confidence ${m.confidence}`);
  // Every accepted border point is on the ellipse's edge (within 2 px), never out in the lung.
  for (const p of [...m.evidence.right.border, ...m.evidence.left.border]) {
    const half = 80 * Math.sqrt(Math.max(0, 1 - ((p.y - 270) / 75) ** 2));
    const edge = p.x < 205 ? 205 - half - 0.5 : 205 + half + 0.5;
    assert.ok(
      Math.abs(p.x - edge) <= 2,
      `border point (${p.x}, ${p.y}) vs the heart's edge at ${edge.toFixed(1)}`,
    );
  }
});

test('the same heart with a lung mask that leaves the heart out measures the same', () => {
  const { mask, luma } = drawnFilm((x, y) => (inHeart(x, y) ? 180 : undefined), {
    maskOut: (x, y) => inHeart(x, y),
  });
  const m = cardiothoracicRatio(mask, luma);
  assert.ok(Math.abs(m.cardiacWidthPx - 161) <= 2, `heart width ${m.cardiacWidthPx}`);
  assert.equal(m.thoracicWidthPx, 320);
});

test("a 'heart border' with aerated lung between it and the mediastinum abstains (the hard rule)", () => {
  // Image left: a bright band (x 120..132, a hilar vessel or mass) with aerated lung between it
  // and the mediastinum; its outer edge is the strongest edge on those rows. Image right: a
  // normal heart lobe against the mediastinum.
  const { mask, luma } = drawnFilm(
    (x, y) =>
      y >= 200 && y <= 345 && x >= 120 && x <= 132
        ? 180
        : x > 215 && inHeart(x, y)
          ? 180
          : undefined,
    { mediastinum: 120 },
  );
  const error = codeOf(() => cardiothoracicRatio(mask, luma));
  assert.equal(error.code, 'CTR_BORDER_IN_AERATED_LUNG', error.message);
  assert.match(error.message, /right heart border .* lies in aerated lung/);
});

test('an opacified hemithorax (no aerated lung beside the heart) abstains: too few rows', () => {
  const { mask, luma } = drawnFilm((x, y) =>
    x < 185 && y >= 60 && y <= 350 ? 170 : inHeart(x, y) ? 180 : undefined,
  );
  const error = codeOf(() => cardiothoracicRatio(mask, luma));
  assert.equal(error.code, 'CTR_HEART_NOT_FOUND', error.message);
  assert.match(
    error.message,
    /right heart border .*too few rows \(\d+ of \d+ between the hila and the diaphragm\)/,
  );
});

test('a ratio outside 0.3-0.8 is withheld as a failed measurement', () => {
  const { mask, luma } = drawnFilm((x, y) => (inHeart(x, y, 135) ? 180 : undefined)); // x 70..340: ratio 0.85
  const error = codeOf(() => cardiothoracicRatio(mask, luma));
  assert.equal(error.code, 'CTR_LOW_CONFIDENCE', error.message);
  assert.match(error.message, /ratio found \(0\.8\d\) is outside 0\.3–0\.8/);
});

test('no film, one lung field, or fields one above the other: each its own code', () => {
  const { mask, luma } = drawnFilm((x, y) => (inHeart(x, y) ? 180 : undefined));
  assert.equal(codeOf(() => cardiothoracicRatio(mask, undefined)).code, 'CTR_NO_FILM');
  const one: BinaryMask = {
    width: W,
    height: H,
    data: mask.data.map((v, i) => (i % W < 200 ? v : 0)),
  };
  const single = codeOf(() => cardiothoracicRatio(one, luma));
  assert.equal(single.code, 'CTR_LUNGS_NOT_FOUND');
  assert.match(single.message, /found 1/);
  const stacked: BinaryMask = { width: W, height: H, data: new Uint8Array(W * H) };
  for (let y = 0; y < H; y++)
    for (let x = 100; x < 300; x++)
      if ((y >= 20 && y < 150) || (y >= 250 && y < 380)) stacked.data[y * W + x] = 1;
  assert.equal(codeOf(() => cardiothoracicRatio(stacked, luma)).code, 'CTR_NOT_FRONTAL');
});

async function readMask(path: string): Promise<BinaryMask> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * info.channels]! >= 128 ? 1 : 0;
  return { width: info.width, height: info.height, data: out };
}

test(
  'CheXmask example through the lung model: within 0.03 of the ratio of its heart and lung masks',
  { timeout: 120_000 },
  async () => {
    // The example's masks are HybridGNet output, not manual truth: an independent outline of
    // this one film's heart, not an accuracy figure.
    const folder = sharedDataPath('cxr', 'CheXmask-example');
    const model = await loadModelPackage(
      join(projectRoot, 'models', 'chest-lungs'),
      createWasmNodeEngine(),
    );
    const frame = await decodePhotoFrame(
      new Uint8Array(readFileSync(join(folder, 'images', 'normal_pa_wikimedia.jpg'))),
      'test',
      'normal_pa_wikimedia.jpg',
    );
    const analysis = await analyzeImage(frame, model, 'none');
    const derived = deriveMeasurement('cardiothoracic-ratio', frame, analysis.probabilityMap!);
    assert.equal(derived.kind, 'cardiothoracic-ratio');
    const m = (derived as { measurement: CardiothoracicMeasurement }).measurement;

    const heart = await readMask(join(folder, 'masks', 'heart.png'));
    const right = await readMask(join(folder, 'masks', 'right_lung.png'));
    const left = await readMask(join(folder, 'masks', 'left_lung.png'));
    const span = (mask: BinaryMask, also?: BinaryMask) => {
      let widest = 0;
      for (let y = 0; y < mask.height; y++) {
        let a = -1;
        let b = -1;
        for (let x = 0; x < mask.width; x++) {
          if (!mask.data[y * mask.width + x] && !also?.data[y * mask.width + x]) continue;
          if (a < 0) a = x;
          b = x;
        }
        widest = Math.max(widest, b - a);
      }
      return widest;
    };
    let minX = heart.width;
    let maxX = -1;
    for (let i = 0; i < heart.data.length; i++) {
      if (!heart.data[i]) continue;
      minX = Math.min(minX, i % heart.width);
      maxX = Math.max(maxX, i % heart.width);
    }
    const thorax = span(right, left);
    const reference = (maxX - minX) / thorax;
    console.log(
      `# CheXmask example: CTR ${m.ratio.toFixed(3)} (heart ${m.cardiac[0].x.toFixed(0)}..${m.cardiac[1].x.toFixed(0)}, thorax ${m.thoracicWidthPx}), from its masks ${reference.toFixed(3)} (heart ${minX}..${maxX}, thorax ${thorax}); confidence ${m.confidence}`,
    );
    assert.ok(
      Math.abs(m.thoracicWidthPx - thorax) <= 0.02 * thorax,
      `thorax ${m.thoracicWidthPx} vs ${thorax}`,
    );
    assert.ok(
      Math.abs(m.cardiac[0].x - minX) <= 0.03 * thorax &&
        Math.abs(m.cardiac[1].x - maxX) <= 0.03 * thorax,
      'each heart border near the outline',
    );
    assert.ok(Math.abs(m.ratio - reference) < 0.03, `CTR ${m.ratio} vs ${reference}`);
    assert.equal(m.evidence.borderPointsInAeratedLung, 0);
  },
);
