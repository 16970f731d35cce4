/**
 * Acceptance (issue 5): the same model gives the same outputs on WASM in Node and on
 * onnxruntime-node within 1e-4 (the page's WASM and WebGPU are checked in e2e/inference).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNativeNodeEngine } from './engine-native-node.ts';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import { generateInput } from './portable/package-schema.ts';
import { quadrantDetectorModel } from './testing/onnx-builder.ts';

test('WASM in Node and onnxruntime-node agree within 1e-4 on every output', async (t) => {
  let native;
  try {
    native = await createNativeNodeEngine();
  } catch (error) {
    return t.skip((error as Error).message);
  }
  const { bytes } = quadrantDetectorModel(32);
  const sessions = [
    await createWasmNodeEngine().createSession(bytes),
    await native.createSession(bytes),
  ];
  let maxDiff = 0;
  for (const generator of ['ramp', 'checkerboard', 'top-left-bright'] as const) {
    const feeds = {
      image: { dims: [1, 1, 32, 32], data: generateInput({ generator }, 1, 32, 32) },
    };
    const [a, b] = await Promise.all(sessions.map((s) => s.run(feeds)));
    for (const name of ['probability', 'features']) {
      a![name]!.data.forEach(
        (v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b![name]!.data[i]!))),
      );
    }
  }
  console.log(`# max |WASM − onnxruntime-node| = ${maxDiff}`);
  assert.ok(maxDiff <= 1e-4, `difference ${maxDiff}`);
  await Promise.all(sessions.map((s) => s.release()));
});
