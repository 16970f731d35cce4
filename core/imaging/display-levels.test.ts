import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  averageBlocks,
  levelFactorFor,
  opaqueGreyWords,
  paintGreyPixels,
} from './display-levels.ts';

test('a level keeps at least one pixel under each screen pixel', () => {
  assert.equal(levelFactorFor(1), 1);
  assert.equal(levelFactorFor(0.6), 1);
  assert.equal(levelFactorFor(0.5), 2);
  // The 1841×1955 film fitted into about 700 screen pixels: 0.36 screen px per image px.
  assert.equal(levelFactorFor(0.36), 2);
  assert.equal(levelFactorFor(0.25), 4);
  assert.equal(levelFactorFor(4), 1);
  assert.equal(levelFactorFor(0), 1);
  assert.equal(levelFactorFor(Number.NaN), 1);
  assert.equal(levelFactorFor(1e-9), 64);
});

test('blocks are averaged and rounded; the edge blocks average only the pixels there', () => {
  // 3×3 image, factor 2: blocks of 2×2, 1×2, 2×1 and 1×1 pixels.
  const image = {
    data: new Uint16Array([0, 1, 10, 2, 4, 20, 100, 103, 1000]),
    width: 3,
    height: 3,
  };
  const level = averageBlocks(image, 2);
  assert.equal(level.width, 2);
  assert.equal(level.height, 2);
  assert.deepEqual(Array.from(level.data), [2, 15, 102, 1000]);
});

test('factor 1 is the image itself', () => {
  const image = { data: new Int16Array([-5, 7]), width: 2, height: 1 };
  assert.equal(averageBlocks(image, 1), image);
});

test('grey words are opaque and paint through the table at its offset', () => {
  const words = opaqueGreyWords(Uint8ClampedArray.from([0, 128, 255]));
  const bytes = new Uint8Array(words.buffer);
  assert.deepEqual([...bytes.subarray(4, 8)], [128, 128, 128, 255]);
  const out = new Uint32Array(3);
  paintGreyPixels({ data: new Int16Array([-1, 1, 0]), width: 3, height: 1 }, words, -1, out);
  assert.deepEqual(
    [...new Uint8Array(out.buffer)].filter((_, i) => i % 4 === 0),
    [0, 255, 128],
  );
});
