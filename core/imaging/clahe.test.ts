import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claheGrey, claheRgb } from './clahe.ts';

/** A dim left half with a faint ramp (values 40–55 repeating) and a bright right half (200–215). */
function twoHalves(width = 128, height = 64): Uint8Array {
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) grey[y * width + x] = (x < width / 2 ? 40 : 200) + (x % 16);
  return grey;
}

const spread = (grey: Uint8Array, width: number, x0: number, x1: number, y: number) => {
  const row = [...grey.subarray(y * width + x0, y * width + x1)];
  return Math.max(...row) - Math.min(...row);
};

test('a faint ramp in a dim region gains contrast; order of grey levels within a tile is kept', () => {
  const width = 128;
  const input = twoHalves(width);
  const out = claheGrey(input, width, 64, { tiles: 4, clipLimit: 4 });
  assert.equal(spread(input, width, 16, 32, 32), 15);
  assert.ok(
    spread(out, width, 16, 32, 32) > 45,
    `dim ramp spread ${spread(out, width, 16, 32, 32)}`,
  );
  for (let x = 16; x < 31; x++) {
    const i = 32 * width + x;
    const j = 32 * width + x + 1;
    if (input[i]! < input[j]!) assert.ok(out[i]! <= out[j]!, `monotone at x=${x}`);
  }
});

test('a clip limit of 1 leaves a flat histogram mapping (no enhancement beyond linear)', () => {
  const width = 64;
  const input = Uint8Array.from({ length: width * width }, (_, i) => i % 256);
  const out = claheGrey(input, width, width, { tiles: 1, clipLimit: 1 });
  for (let i = 0; i < input.length; i += 97)
    assert.ok(Math.abs(out[i]! - input[i]!) <= 1, `value ${input[i]} → ${out[i]}`);
});

test('colour is enhanced through luminance: hue order of each pixel is kept', () => {
  const width = 32;
  const rgb = new Uint8Array(width * width * 3);
  for (let i = 0; i < width * width; i++) rgb.set([60 + (i % 5), 30 + (i % 3), 10], i * 3);
  const out = claheRgb(rgb, width, width, { tiles: 2 });
  for (let i = 0; i < width * width; i += 7)
    assert.ok(
      out[i * 3]! >= out[i * 3 + 1]! && out[i * 3 + 1]! >= out[i * 3 + 2]!,
      `R≥G≥B at ${i}`,
    );
});
