import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../base/seeded-random.ts';
import { bestScoreApart, leadingIndices, searchGrid } from './search-grid.ts';

test('the leaders and the best score far away are those of a stable sort of all candidates', () => {
  const random = seededRandom(11);
  for (let t = 0; t < 500; t++) {
    const grid = searchGrid(
      { minX: 0, maxX: random() * 20, minY: -3, maxY: random() * 20 },
      1 + random() * 3,
      random() * 4,
    );
    const columns = grid.xs.length;
    const n = columns * grid.ys.length;
    // Few distinct scores in half the cases, so that ties are common.
    const scores = Float64Array.from({ length: n }, () =>
      t % 2 ? Math.floor(random() * 4) : random(),
    );
    const sorted = [...Array(n).keys()].sort((a, b) => scores[b]! - scores[a]!);
    const count = 1 + Math.floor(random() * 8);
    assert.deepEqual(leadingIndices(scores, count), sorted.slice(0, count));
    const [x, y, apart] = [random() * 20, random() * 20, random() * 15];
    const far = sorted.find(
      (i) => Math.hypot(grid.xs[i % columns]! - x, grid.ys[Math.floor(i / columns)]! - y) >= apart,
    );
    assert.equal(
      bestScoreApart(grid, scores, x, y, apart),
      far === undefined ? undefined : scores[far],
    );
  }
});
