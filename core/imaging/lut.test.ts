import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyWindow, displayInverted, displayValue, lookup } from './lut.ts';

test('LINEAR window follows PS3.3 C.11.2.1.2 (the -0.5 and width-1 terms)', () => {
  const w = { center: 2048, width: 4096 };
  assert.equal(applyWindow(2048 - 0.5 - 4095 / 2, w), 0);
  assert.equal(applyWindow(2048 - 0.5 + 4095 / 2 + 1, w), 1);
  assert.ok(Math.abs(applyWindow(2047.5, w) - 0.5) < 1e-12);
  // width 1: a hard threshold at center - 0.5
  assert.equal(applyWindow(10, { center: 10, width: 1 }), 1);
  assert.equal(applyWindow(9.4, { center: 10, width: 1 }), 0);
});

test('LINEAR_EXACT and SIGMOID follow C.11.2.1.3', () => {
  const w = { center: 100, width: 50 };
  assert.equal(applyWindow(75, w, 'LINEAR_EXACT'), 0);
  assert.equal(applyWindow(100, w, 'LINEAR_EXACT'), 0.5);
  assert.equal(applyWindow(100, w, 'SIGMOID'), 0.5);
  assert.ok(Math.abs(applyWindow(125, w, 'SIGMOID') - 1 / (1 + Math.exp(-2))) < 1e-12);
});

test('LUT lookups clamp below the first mapped value and above the last entry', () => {
  const table = { firstValueMapped: -2, bitsPerEntry: 8, entries: [10, 20, 30] };
  assert.deepEqual(
    [-5, -2, -1, 0, 9].map((v) => lookup(table, v)),
    [10, 10, 20, 30, 30],
  );
});

test('inversion: MONOCHROME1 always, MONOCHROME2 only with Presentation LUT Shape INVERSE', () => {
  assert.equal(displayInverted('MONOCHROME1', 'INVERSE'), true);
  assert.equal(displayInverted('MONOCHROME1'), true);
  assert.equal(displayInverted('MONOCHROME2', 'INVERSE'), true);
  assert.equal(displayInverted('MONOCHROME2', 'IDENTITY'), false);
  const pipeline = {
    rescale: { slope: 1, intercept: 0 },
    voi: { window: { center: 127.5, width: 256 }, fn: 'LINEAR' as const },
    inverted: true,
  };
  assert.equal(displayValue(0, pipeline), 255);
  assert.equal(displayValue(255, pipeline), 0);
});
