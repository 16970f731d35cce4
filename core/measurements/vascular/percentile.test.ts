import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import { histogramPercentile, percentile } from './percentile.ts';

/** What a numeric sort gives at the rank (−0 before +0, NaN last). */
function sortedAt(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
}

test('percentile by selection is the value a sort puts at the rank, signed zeros and NaN included', () => {
  const random = seededRandom(7);
  const kinds: (() => number)[] = [
    () => random() - 0.5,
    () => Math.floor(random() * 4) - 2,
    () => [-0, 0, -1, 1][Math.floor(random() * 4)]!,
    () => (random() < 0.05 ? NaN : random() * 10),
  ];
  for (let t = 0; t < 2000; t++) {
    const kind = kinds[t % kinds.length]!;
    const values = Array.from({ length: Math.floor(random() * (t % 10 ? 40 : 2000)) }, kind);
    for (const q of [0, 0.1, 0.5, 0.85, 0.998, 1])
      assert.ok(
        Object.is(percentile(values, q), sortedAt(values, q)),
        `${values.length} values, q ${q}`,
      );
  }
});

test('the histogram percentile of 8-bit values is the sorted values at the rank', () => {
  const random = seededRandom(3);
  for (let t = 0; t < 200; t++) {
    const values = Array.from({ length: 1 + Math.floor(random() * 500) }, () =>
      Math.floor(random() * (t % 2 ? 256 : 8)),
    );
    const histogram = new Float64Array(256);
    for (const v of values) histogram[v]!++;
    for (const q of [0, 0.5, 0.998, 1])
      assert.equal(histogramPercentile(histogram, q), sortedAt(values, q));
  }
  assert.equal(histogramPercentile(new Float64Array(256), 0.5), 0);
});
