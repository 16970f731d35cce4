import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import { convergenceAt, convergenceOnGrid, packSamples } from './disc-convergence.ts';
import { searchGrid } from './search-grid.ts';
import type { VesselSample } from './vessel-samples.ts';

test('scoring the grid sample by sample gives every candidate its own score to the last bit', () => {
  const random = seededRandom(5);
  const samples: VesselSample[] = Array.from({ length: 700 }, () => {
    const a = random() * Math.PI;
    const b = a + (random() - 0.5);
    return {
      x: Math.floor(random() * 400),
      y: Math.floor(random() * 300),
      tx: Math.cos(a),
      ty: Math.sin(a),
      lx: -Math.sin(b),
      ly: Math.cos(b),
      width: 1 + random() * 6,
    };
  });
  const packed = packSamples(
    samples,
    Float32Array.from(samples, (s) => Math.min(1, s.width / 4)),
  );
  const ring = { r0: 400 / 20, r1: 400 / 3, step: 2 };
  const cell = 400 / 80;
  const grid = searchGrid({ minX: 0, maxX: 399, minY: 0, maxY: 299 }, cell, 100);
  const scores = convergenceOnGrid(packed, grid.xs, grid.ys, cell, ring);
  grid.ys.forEach((y, row) =>
    grid.xs.forEach((x, column) =>
      assert.ok(
        Object.is(scores[row * grid.xs.length + column], convergenceAt(packed, x, y, ring)),
        `candidate (${x}, ${y})`,
      ),
    ),
  );
  assert.ok(scores.some((s) => s > 0));
});
