import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import { boxBlur } from './box-blur.ts';

/** One line's running-sum blur, rounded to float32 as it goes, edges clamped. */
function blurLine(get: (i: number) => number, n: number, r: number): Float32Array {
  const out = new Float32Array(n);
  let acc = 0;
  for (let i = -r; i <= r; i++) acc += get(Math.min(n - 1, Math.max(0, i)));
  for (let i = 0; i < n; i++) {
    out[i] = acc / (2 * r + 1);
    acc += get(Math.min(n - 1, i + r + 1)) - get(Math.max(0, i - r));
  }
  return out;
}

/** Rows, then columns, one line at a time. */
function lineByLine(values: Float32Array, w: number, h: number, r: number): Float32Array {
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    rows.set(
      blurLine((i) => values[y * w + i]!, w, r),
      y * w,
    );
  const out = new Float32Array(w * h);
  for (let x = 0; x < w; x++) {
    const column = blurLine((i) => rows[i * w + x]!, h, r);
    for (let y = 0; y < h; y++) out[y * w + x] = column[y]!;
  }
  return out;
}

test("the box blur keeps each line's order of additions: the same floats as blurring line by line", () => {
  const random = seededRandom(9);
  for (const [w, h, r] of [
    [1, 1, 1],
    [3, 7, 1],
    [7, 3, 5],
    [37, 29, 4],
    [64, 48, 9],
    [101, 57, 30],
  ] as const) {
    const values = Float32Array.from({ length: w * h }, () =>
      random() < 0.3 ? (random() - 0.3) * 5 : 0,
    );
    const expected = lineByLine(values, w, h, r);
    boxBlur(values, w, h, r);
    assert.ok(
      values.every((v, i) => Object.is(v, expected[i])),
      `${w}×${h}, r ${r}`,
    );
  }
});
