import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { sharedDataPath } from '../testing/shared-data.ts';
import type { BinaryMask } from './binary-mask.ts';
import { cardiothoracicRatio } from './cardiothoracic-ratio.ts';

function blank(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

function fill(mask: BinaryMask, x0: number, x1: number, y0: number, y1: number): void {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask.data[y * mask.width + x] = 1;
}

async function readMask(path: string): Promise<BinaryMask> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * info.channels]! >= 128 ? 1 : 0;
  return { width: info.width, height: info.height, data: out };
}

test('lungs drawn with a known heart gap give the ratio of the widths drawn', () => {
  const mask = blank(200, 200);
  // Image-left lung: x 20..80 on rows 30..150; from row 80 the heart bulge pushes its medial
  // edge out one pixel per row (a curved border, not a step) to x 70.
  // Image-right lung: x 110..180 on rows 25..155, its medial edge pushed to x 125 the same way.
  for (let y = 30; y <= 150; y++) fill(mask, 20, 80 - Math.min(10, Math.max(0, y - 80)), y, y);
  for (let y = 25; y <= 155; y++) fill(mask, 110 + Math.min(15, Math.max(0, y - 80)), 180, y, y);
  const m = cardiothoracicRatio(mask);
  assert.equal(m.thoracicWidthPx, 180 - 20 + 1);
  assert.equal(m.cardiacWidthPx, 125 - 70 - 1);
  assert.equal(m.cardiac[0].x, 70);
  assert.equal(m.cardiac[1].x, 125);
  assert.ok(Math.abs(m.ratio - 54 / 161) < 1e-12);
});

test('a tapering costophrenic recess below the heart is not taken for the heart border', () => {
  const mask = blank(200, 200);
  fill(mask, 20, 80, 30, 140);
  fill(mask, 110, 180, 30, 140);
  // Below the cardiophrenic angle only a narrow lateral recess remains (medial edge far out).
  fill(mask, 20, 35, 141, 160);
  fill(mask, 165, 180, 141, 160);
  const m = cardiothoracicRatio(mask);
  assert.equal(m.cardiac[0].x, 80);
  assert.equal(m.cardiac[1].x, 110);
});

test('one lung field, or none, is a specific error', () => {
  const one = blank(100, 100);
  fill(one, 10, 40, 10, 80);
  assert.throws(() => cardiothoracicRatio(one), (e: Error & { code?: string }) => e.code === 'MEASUREMENT_NOT_POSSIBLE' && /found 1/.test(e.message));
  assert.throws(() => cardiothoracicRatio(blank(50, 50)), /found 0/);
});

test('CheXmask example: the lung-border estimate lies within 0.05 of the heart-mask ratio', async () => {
  // The example's masks are HybridGNet output, not manual truth: this checks the geometry
  // of the estimate against an independent heart outline, not clinical accuracy.
  const folder = sharedDataPath('cxr', 'CheXmask-example', 'masks');
  const right = await readMask(`${folder}/right_lung.png`);
  const left = await readMask(`${folder}/left_lung.png`);
  const heart = await readMask(`${folder}/heart.png`);
  const lungs = blank(right.width, right.height);
  for (let i = 0; i < lungs.data.length; i++) lungs.data[i] = right.data[i]! | left.data[i]!;
  const m = cardiothoracicRatio(lungs);
  let minX = heart.width;
  let maxX = -1;
  for (let i = 0; i < heart.data.length; i++) {
    if (!heart.data[i]) continue;
    const x = i % heart.width;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
  }
  const heartRatio = (maxX - minX + 1) / m.thoracicWidthPx;
  console.log(`# CheXmask example: CTR from lung borders ${m.ratio.toFixed(3)}, from the heart mask ${heartRatio.toFixed(3)}`);
  assert.ok(m.ratio > 0.3 && m.ratio < 0.6, `implausible ratio ${m.ratio}`);
  assert.ok(Math.abs(m.ratio - heartRatio) < 0.05, `lung-border ${m.ratio} vs heart mask ${heartRatio}`);
});

test('lungs drawn behind the heart: the heart borders come from the heart shadow in the film', () => {
  const width = 200;
  const height = 200;
  const mask = blank(width, height);
  // Both lung fields reach the spine (x 90 | 110) on every row, as masks drawn behind the heart do.
  fill(mask, 20, 90, 30, 150);
  fill(mask, 110, 180, 30, 150);
  // The film: aerated lung dark (40), the heart shadow bright (170) from x 62 to x 141 below row 80.
  const luma = new Uint8Array(width * height).fill(40);
  for (let y = 80; y <= 150; y++) for (let x = 62; x <= 141; x++) luma[y * width + x] = 170;
  const geometric = cardiothoracicRatio(mask);
  assert.equal(geometric.cardiacWidthPx, 110 - 90 - 1, 'without the film only the medial edges are known');
  const m = cardiothoracicRatio(mask, luma);
  assert.ok(Math.abs(m.cardiac[0].x - 61) <= 2 && Math.abs(m.cardiac[1].x - 142) <= 2, `borders ${m.cardiac[0].x}, ${m.cardiac[1].x}`);
  assert.ok(Math.abs(m.ratio - 80 / 161) < 0.03, `ratio ${m.ratio}`);
});
