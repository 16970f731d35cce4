import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import { distanceToBackground } from './distance-transform.ts';

test('distance to background is exact: the nearest background pixel found by brute force', () => {
  const random = seededRandom(17);
  for (const [width, height, density] of [
    [1, 5, 0.5],
    [9, 4, 0.6],
    [31, 23, 0.5],
    [40, 52, 0.85],
  ] as const) {
    const data = Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0));
    data[0] = 0; // at least one background pixel
    const distance = distanceToBackground({ width, height, data });
    for (let i = 0; i < data.length; i++) {
      let nearest = data[i] ? Infinity : 0;
      for (let j = 0; j < data.length && data[i]; j++) {
        if (data[j]) continue;
        const dx = (i % width) - (j % width);
        const dy = Math.floor(i / width) - Math.floor(j / width);
        nearest = Math.min(nearest, dx * dx + dy * dy);
      }
      assert.equal(distance[i], Math.fround(Math.sqrt(nearest)), `${width}×${height} pixel ${i}`);
    }
  }
});
