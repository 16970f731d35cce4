import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWasmNodeEngine } from '../../engine-wasm-node.ts';
import { quadrantDetectorModel } from '../../testing/onnx-builder.ts';
import { deletionInsertionAuc, spearman } from './saliency-metrics.ts';

test('Spearman: identical order 1, reversed −1, ties share ranks', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 1, 2, 2], [5, 5, 9, 9]) - 1) < 1e-12);
  // Worked example: ranks (1,2,3,4,5) vs (2,1,4,3,5): ρ = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·4/120 = 0.8.
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12);
});

test('deletion/insertion: the map that points at the evidence beats the one that points away', async () => {
  const SIZE = 32;
  const { bytes } = quadrantDetectorModel(SIZE);
  const session = await createWasmNodeEngine().createSession(bytes);
  const input = new Float32Array(SIZE * SIZE).fill(1);
  const target = {
    session,
    inputName: 'image',
    outputName: 'probability',
    input,
    channels: 1,
    height: SIZE,
    width: SIZE,
    toProbability: (v: number) => v,
  };
  const topLeft = Float32Array.from({ length: SIZE * SIZE }, (_, i) =>
    i % SIZE < SIZE / 2 && i < (SIZE * SIZE) / 2 ? 1 : 0,
  );
  const elsewhere = topLeft.map((v) => 1 - v);
  const good = await deletionInsertionAuc(target, topLeft);
  const bad = await deletionInsertionAuc(target, elsewhere);
  assert.ok(good.deletion < bad.deletion, `deletion ${good.deletion} vs ${bad.deletion}`);
  assert.ok(good.insertion > bad.insertion, `insertion ${good.insertion} vs ${bad.insertion}`);
  await session.release();
});
