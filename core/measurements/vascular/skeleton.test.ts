import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import type { BinaryMask } from '../binary-mask.ts';
import { skeletonize } from './skeleton.ts';

/** Zhang–Suen as the paper states it: every sub-iteration scans the whole image. */
function thinByFullScans({ width, height, data }: BinaryMask): Uint8Array {
  const img = new Uint8Array(data);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (!x || !y || x === width - 1 || y === height - 1) img[y * width + x] = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const remove: number[] = [];
      for (let i = 0; i < img.length; i++) {
        if (!img[i]) continue;
        const p = [-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1].map(
          (o) => img[i + o]!,
        );
        const b = p.reduce((s, v) => s + v, 0);
        const a = p.filter((v, k) => !v && p[(k + 1) % 8]).length;
        const [p2, , p4, , p6, , p8] = p as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        const side = pass === 0 ? p2 * p4 * p6 + p4 * p6 * p8 : p2 * p4 * p8 + p2 * p6 * p8;
        if (b >= 2 && b <= 6 && a === 1 && side === 0) remove.push(i);
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return img;
}

test('thinning only the front gives the same skeleton as scanning the whole image each time', () => {
  const random = seededRandom(13);
  for (const [width, height, density] of [
    [1, 1, 1],
    [3, 3, 1],
    [24, 17, 0.5],
    [60, 45, 0.8],
    [90, 70, 0.95],
  ] as const) {
    const mask = {
      width,
      height,
      data: Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0)),
    };
    assert.deepEqual(skeletonize(mask).data, thinByFullScans(mask), `${width}×${height}`);
  }
});
