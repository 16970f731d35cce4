import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { windowPresets } from './window-presets.ts';

/** A film of two populations: 60 % "air" and 40 % "tissue" stored values, plus a few bright "bone" pixels. */
function film(inverted: boolean): DecodedFrame {
  const pixels = new Uint16Array(10_000);
  for (let i = 0; i < pixels.length; i++) {
    const air = inverted ? 3000 : 500;
    const tissue = inverted ? 1500 : 2000;
    const bone = inverted ? 200 : 3500;
    pixels[i] = (i < 6000 ? air : i < 9500 ? tissue : bone) + (i % 50);
  }
  return {
    instanceId: 'x',
    frame: 0,
    rows: 100,
    columns: 100,
    samplesPerPixel: 1,
    photometric: inverted ? 'MONOCHROME1' : 'MONOCHROME2',
    bitsStored: 12,
    pixels,
    minValue: 0,
    maxValue: 4095,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    windows: [],
    voiLuts: [],
    voiFunction: 'LINEAR',
    inverted,
  };
}

const covers = (p: { center: number; width: number }, value: number) =>
  Math.abs(value - p.center) <= p.width / 2;

for (const inverted of [false, true]) {
  test(`film presets follow what is displayed dark and bright (${inverted ? 'MONOCHROME1' : 'MONOCHROME2'})`, () => {
    const presets = windowPresets(film(inverted), 'DX');
    const byName = Object.fromEntries(presets.map((p) => [p.name, p]));
    const air = inverted ? 3020 : 520;
    const tissue = inverted ? 1520 : 2020;
    assert.ok(
      covers(byName.chest!, air) && covers(byName.chest!, tissue),
      'the chest window spans air and tissue',
    );
    assert.ok(covers(byName['soft tissue']!, tissue), 'the soft-tissue window spans the tissue');
    assert.ok(!covers(byName.bone!, air), 'the bone window leaves the air out');
  });
}

test('CT gets Hounsfield presets, colour none', () => {
  assert.deepEqual(
    windowPresets(film(false), 'CT').map((p) => p.center),
    [-600, 40, 400],
  );
  assert.deepEqual(windowPresets({ ...film(false), samplesPerPixel: 3 }, 'XC'), []);
});
