import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderedPipeline } from './ordered-pipeline.ts';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('results are finished in input order, with at most `depth` items in flight', async () => {
  let running = 0;
  let most = 0;
  const finished: number[] = [];
  // Later items finish first: the order must still be the input's.
  await orderedPipeline(
    [0, 1, 2, 3, 4, 5, 6],
    3,
    async (n) => {
      running++;
      most = Math.max(most, running);
      await delay((7 - n) * 3);
      running--;
      return n * 10;
    },
    (result, n) => {
      assert.equal(result, n * 10);
      finished.push(n);
    },
  );
  assert.deepEqual(finished, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(most, 3);
});

test('an async source is read as the pipeline drains, and a failure stops it', async () => {
  async function* source() {
    for (let i = 0; i < 4; i++) yield i;
  }
  const seen: number[] = [];
  await assert.rejects(
    orderedPipeline(
      source(),
      2,
      async (n) => {
        if (n === 2) throw new Error('image 2 failed');
        return n;
      },
      (n) => void seen.push(n),
    ),
    /image 2 failed/,
  );
  assert.deepEqual(seen, [0, 1]);
  await assert.rejects(
    orderedPipeline(
      [1],
      0,
      async () => 1,
      () => {},
    ),
    /depth must be at least 1/,
  );
});
