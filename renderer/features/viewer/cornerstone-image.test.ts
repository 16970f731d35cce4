import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import {
  defaultVoi,
  defaultWindow,
  rgbToRgba,
  toCornerstoneImage,
  voiLutFor,
} from './cornerstone-image.ts';

const mono = (overrides: Partial<DecodedFrame> = {}): DecodedFrame => ({
  instanceId: 'x'.repeat(64),
  frame: 0,
  rows: 2,
  columns: 2,
  samplesPerPixel: 1,
  photometric: 'MONOCHROME2',
  bitsStored: 12,
  pixels: new Uint16Array([0, 100, 200, 4095]),
  minValue: 0,
  maxValue: 4095,
  rescaleSlope: 2,
  rescaleIntercept: -1000,
  windows: [],
  voiLuts: [],
  voiFunction: 'LINEAR',
  inverted: false,
  ...overrides,
});

test('the frame decides inversion (MONOCHROME1 or INVERSE), not the viewer', () => {
  assert.equal(
    toCornerstoneImage(mono({ photometric: 'MONOCHROME1', inverted: true })).invert,
    true,
  );
  assert.equal(toCornerstoneImage(mono()).invert, false);
});

test('a Modality LUT is applied before cornerstone sees the pixels, honouring the first mapped value', () => {
  const image = toCornerstoneImage(
    mono({
      modalityLut: { firstValueMapped: 100, bitsPerEntry: 16, entries: [7, 8, 9] },
      pixels: new Uint16Array([0, 100, 101, 4095]),
      minValue: 0,
      maxValue: 4095,
    }),
  );
  assert.deepEqual([...(image.getPixelData() as unknown as Int32Array)], [7, 7, 8, 9]);
  assert.deepEqual(
    [image.slope, image.intercept, image.minPixelValue, image.maxPixelValue],
    [1, 0, 7, 9],
  );
});

test('the VOI table follows the file default: a VOI LUT when there is no window', () => {
  const lut = { firstValueMapped: 0, bitsPerEntry: 8, entries: [0, 255] };
  assert.deepEqual(defaultVoi(mono({ voiLuts: [lut] })), { kind: 'lut', index: 0 });
  assert.equal(
    defaultVoi(mono({ voiLuts: [lut], windows: [{ center: 1, width: 2 }] })).kind,
    'window',
  );
  const table = voiLutFor(
    mono({ minValue: 500, maxValue: 502, rescaleSlope: 1, rescaleIntercept: 0 }),
    { kind: 'window', window: { center: 501, width: 3 } },
  );
  assert.equal(table.firstValueMapped, 500);
  // C.11.2.1.2 with c=501, w=3: 500 → 0.25, 501 → 0.75, 502 → 1; then the 255 sentinel.
  assert.deepEqual(table.lut, [64, 191, 255, 255]);
});

test('without a window in the file, the window spans the modality value range', () => {
  assert.deepEqual(defaultWindow(mono()), { center: (-1000 + 7190) / 2, width: 8190 });
  assert.deepEqual(defaultWindow(mono({ windows: [{ center: 40, width: 400 }] })), {
    center: 40,
    width: 400,
  });
});

test('colour frames become RGBA with opaque alpha', () => {
  assert.deepEqual(
    [...rgbToRgba(new Uint8Array([1, 2, 3, 4, 5, 6]))],
    [1, 2, 3, 255, 4, 5, 6, 255],
  );
  const image = toCornerstoneImage(
    mono({
      samplesPerPixel: 3,
      photometric: 'RGB',
      pixels: new Uint8Array(12),
      bitsStored: 8,
      minValue: 0,
      maxValue: 255,
    }),
  );
  assert.equal(image.color, true);
  assert.equal(image.getPixelData().length, 16);
});
