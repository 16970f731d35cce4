import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { defaultWindow, rgbToRgba, toCornerstoneImage } from './cornerstone-image.ts';

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
  ...overrides,
});

test('MONOCHROME1 is displayed inverted, MONOCHROME2 is not', () => {
  assert.equal(toCornerstoneImage(mono({ photometric: 'MONOCHROME1' })).invert, true);
  assert.equal(toCornerstoneImage(mono()).invert, false);
});

test('without a window in the file, the window spans the modality value range', () => {
  assert.deepEqual(defaultWindow(mono()), { center: (-1000 + 7190) / 2, width: 8190 });
  assert.deepEqual(defaultWindow(mono({ windowCenter: 40, windowWidth: 400 })), { center: 40, width: 400 });
});

test('colour frames become RGBA with opaque alpha', () => {
  assert.deepEqual([...rgbToRgba(new Uint8Array([1, 2, 3, 4, 5, 6]))], [1, 2, 3, 255, 4, 5, 6, 255]);
  const image = toCornerstoneImage(mono({ samplesPerPixel: 3, photometric: 'RGB', pixels: new Uint8Array(12), bitsStored: 8, minValue: 0, maxValue: 255 }));
  assert.equal(image.color, true);
  assert.equal(image.getPixelData().length, 16);
});
