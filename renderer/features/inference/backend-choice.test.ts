import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBackend, placeAnalysis } from './backend-choice.ts';

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

test('analyses: WebGPU on hardware, else the service worker, else WASM in the page', () => {
  const native = { engine: 'native' as const, reason: 'onnxruntime-node: the fastest CPU engine' };
  const gpu = placeAnalysis(
    { available: true, isFallbackAdapter: false, description: 'nvidia hopper' },
    native,
  );
  assert.deepEqual(gpu, { where: 'page', engine: 'webgpu', reason: 'WebGPU on nvidia hopper' });
  const software = placeAnalysis(
    { available: true, isFallbackAdapter: true, description: 'google swiftshader' },
    native,
  );
  assert.equal(software.where, 'service');
  assert.equal(software.engine, 'native');
  assert.match(software.reason, /fastest CPU engine; the WebGPU adapter is a software fallback/);
  assert.equal(
    software.where === 'service' && software.withoutGpu,
    'the WebGPU adapter is a software fallback (google swiftshader)',
  );
  const noService = placeAnalysis(
    { available: false },
    { engine: null, reason: 'the inference worker was not found' },
  );
  assert.deepEqual(noService, {
    where: 'page',
    engine: 'wasm',
    reason:
      'no WebGPU adapter, and the service cannot run models (the inference worker was not found); WASM in this window',
  });
});
