import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourOf, contourMask, regionAbove } from './heat-overlay.ts';

/** A 10×8 map with a 4×3 block of 0.9 at (3, 2). */
function block() {
  const values = new Float32Array(80);
  for (let y = 2; y < 5; y++) for (let x = 3; x < 7; x++) values[y * 10 + x] = 0.9;
  return { width: 10, height: 8, values };
}

test('the contour is the region’s border pixels only', () => {
  const mask = contourMask(block(), 0.5);
  const on = [...mask.keys()].filter((i) => mask[i]).map((i) => [i % 10, Math.floor(i / 10)]);
  assert.equal(on.length, 4 * 3 - 2, 'a 4×3 block has two interior pixels');
  assert.ok(!mask[3 * 10 + 4] && !mask[3 * 10 + 5], 'interior pixels are not drawn');
});

test('a finding’s region is the bounding box of the map above the threshold', () => {
  assert.deepEqual(regionAbove(block(), 0.5), { x: 3, y: 2, width: 4, height: 3 });
  assert.equal(regionAbove(block(), 0.95), undefined);
});

test('colormaps run from their first to their last stop', () => {
  assert.deepEqual(colourOf(0, 'viridis'), [68, 1, 84]);
  assert.deepEqual(colourOf(1, 'viridis'), [253, 231, 37]);
  assert.deepEqual(colourOf(1, 'heat'), [230, 30, 20]);
});
