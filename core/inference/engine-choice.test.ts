import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseNodeEngine, EngineUnavailableError } from './engine-choice.ts';

const missing = async (): Promise<never> => {
  throw new Error("onnxruntime-node is not installed (Cannot find package 'onnxruntime-node')");
};

test('auto takes onnxruntime-node when it loads, and says why', async (t) => {
  const choice = await chooseNodeEngine('auto').catch(() => undefined);
  if (!choice || choice.name !== 'native') return t.skip('onnxruntime-node is not installed here');
  assert.equal(choice.engine.backend, 'node');
  assert.match(choice.reason, /onnxruntime-node: the fastest CPU engine/);
});

test('without onnxruntime-node, auto falls back to WASM and the reason says so', async () => {
  const choice = await chooseNodeEngine('auto', 1, missing);
  assert.equal(choice.name, 'wasm');
  assert.equal(choice.engine.backend, 'wasm');
  assert.match(choice.reason, /not installed.*using onnxruntime-web WASM/);
});

test('a forced engine is honoured, and a missing one is an error with a code', async () => {
  const wasm = await chooseNodeEngine('wasm');
  assert.equal(wasm.name, 'wasm');
  assert.match(wasm.reason, /as asked/);
  await assert.rejects(chooseNodeEngine('native', 1, missing), (error: EngineUnavailableError) => {
    assert.equal(error.code, 'ENGINE_UNAVAILABLE');
    assert.match(error.message, /native asked for, but onnxruntime-node is not installed/);
    return true;
  });
});
