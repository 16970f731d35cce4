import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBackend } from './backend-choice.ts';

test('auto: WebGPU only on a hardware adapter', () => {
  assert.equal(
    chooseBackend(
      { available: true, isFallbackAdapter: false, description: 'nvidia hopper' },
      'auto',
    ).backend,
    'webgpu',
  );
  const software = chooseBackend(
    { available: true, isFallbackAdapter: true, description: 'google swiftshader' },
    'auto',
  );
  assert.equal(software.backend, 'wasm');
  assert.match(software.reason, /software fallback \(google swiftshader\)/);
  assert.equal(chooseBackend({ available: false }, 'auto').backend, 'wasm');
});

test('the user override wins, except that WebGPU needs an adapter', () => {
  assert.equal(
    chooseBackend({ available: true, isFallbackAdapter: true }, 'webgpu').backend,
    'webgpu',
  );
  assert.equal(
    chooseBackend({ available: true, isFallbackAdapter: false }, 'wasm').backend,
    'wasm',
  );
  const none = chooseBackend({ available: false }, 'webgpu');
  assert.equal(none.backend, 'wasm');
  assert.match(none.reason, /no adapter/);
});
