/**
 * `inference.run` and `inference.engine` through the dispatcher (so results are validated
 * against the contract): the service's worker gives the analysis the page would compute (same
 * pre- and post-processing, WASM in this thread as the reference), names its engine and why,
 * and a service whose worker cannot start says so with a code the page falls back on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createDispatcher, type ApiDispatcher, type ApiHandlers } from '../api/dispatch.ts';
import { analyzeImage } from '../inference/analyze-image.ts';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { createModelRegistry, type RegistryEntry } from '../inference/registry.ts';
import { writeFixtureModelsFolder } from '../inference/testing/fixture-package.ts';
import {
  InferenceWorkerError,
  startInferenceWorker,
  type WorkerEngine,
} from '../inference/worker/inference-worker-host.ts';
import { createLibrary } from '../library/library.ts';
import { samplePath } from '../testing/shared-data.ts';
import { createInferenceService, type InferenceService } from './inference-handlers.ts';

const library = createLibrary();
let entries: RegistryEntry[];
let service: InferenceService;
let dispatch: ApiDispatcher;
let instanceId: string;

const serve = (s: InferenceService) =>
  createDispatcher(
    s.handlers as unknown as ApiHandlers,
    () => {},
    () => {},
  );

before(async () => {
  entries = await createModelRegistry(writeFixtureModelsFolder(), createWasmNodeEngine()).list();
  const name = 'retina-op-heidelberg-dcmjs.dcm';
  const report = await library.importFiles([
    { name, bytes: new Uint8Array(readFileSync(samplePath(name))) },
  ]);
  instanceId = report.imported[0]!.instanceId;
  service = createInferenceService({ library, models: async () => entries });
  dispatch = serve(service);
});
after(() => service.close());

test('a classifier with CAM: the page’s result shape, the in-process WASM numbers, the engine named', async () => {
  const response = await dispatch('inference.run', {
    instanceId,
    modelId: 'test-quadrant',
    version: '1.0.0',
  });
  assert.ok(response.ok, JSON.stringify(!response.ok && response.error));
  const result = response.value as {
    engine: string;
    engineReason: string;
    findings: { label: string; score: number }[];
    saliency?: { method: string; width: number; height: number; values: Float32Array };
    timingsMs: { total: number };
  };
  const engine = (await dispatch('inference.engine', {})) as {
    ok: true;
    value: { engine: string; reason: string };
  };
  assert.equal(result.engine, engine.value.engine);
  assert.match(result.engineReason, /in the service's inference worker/);
  const model = entries.find((e) => e.ok && e.model.manifest.id === 'test-quadrant');
  const reference = await analyzeImage(
    await library.frame(instanceId, 0),
    (model as Extract<RegistryEntry, { ok: true }>).model,
  );
  assert.equal(result.findings.length, reference.findings.length);
  result.findings.forEach((f, i) =>
    assert.ok(Math.abs(f.score - reference.findings[i]!.score) <= 1e-4, f.label),
  );
  assert.equal(result.saliency?.method, 'cam');
  assert.equal(result.saliency!.values.length, result.saliency!.width * result.saliency!.height);
  assert.equal(result.saliency!.width, reference.saliency!.imageWidth);
  console.log(`# inference.run on ${result.engine}: ${result.timingsMs.total.toFixed(0)} ms`);
});

test('a segmenter gives its probability map; occlusion is made on request; unknown models are named', async () => {
  const seg = await dispatch('inference.run', {
    instanceId,
    modelId: 'test-segmenter',
    version: '1.0.0',
  });
  assert.ok(seg.ok);
  const map = (seg.value as { probabilityMap?: { threshold: number; values: Float32Array } })
    .probabilityMap;
  assert.equal(map?.threshold, 0.5);
  assert.ok(map!.values.some((v) => v > 0.5));

  const occlusion = await dispatch('inference.run', {
    instanceId,
    modelId: 'test-quadrant',
    version: '1.0.0',
    saliency: 'occlusion',
  });
  assert.ok(occlusion.ok);
  assert.equal((occlusion.value as { saliency: { method: string } }).saliency.method, 'occlusion');

  const missing = await dispatch('inference.run', { instanceId, modelId: 'nope', version: '1' });
  assert.equal(!missing.ok && missing.error.code, 'MODEL_NOT_INSTALLED');
});

test('report analyses get the same packages with their sessions on the worker', async () => {
  const { engine } = (await service.handlers['inference.engine']({})) as { engine: string };
  const moved = await service.onWorker(entries);
  assert.equal(moved.length, entries.length);
  for (const entry of moved) {
    assert.ok(entry.ok);
    assert.equal(entry.model.session.backend, engine === 'native' ? 'node' : 'wasm');
  }
});

test('without a worker the service says so with a code, and report analyses stay in process', async () => {
  const unavailable = createInferenceService({
    library,
    models: async () => entries,
    startWorker: () =>
      Promise.reject(
        new InferenceWorkerError(
          'INFERENCE_WORKER_UNAVAILABLE',
          'the inference worker was not found',
        ),
      ),
  });
  const run = await serve(unavailable)('inference.run', {
    instanceId,
    modelId: 'test-quadrant',
    version: '1.0.0',
  });
  assert.equal(!run.ok && run.error.code, 'INFERENCE_WORKER_UNAVAILABLE');
  assert.deepEqual(await unavailable.handlers['inference.engine']({}), {
    engine: null,
    reason: 'the inference worker was not found',
  });
  assert.equal(await unavailable.onWorker(entries).then((e) => e[0]), entries[0]);
});

test('a worker that stopped is replaced on the next call, its packages loaded again', async () => {
  const started: WorkerEngine[] = [];
  const restarting = createInferenceService({
    library,
    models: async () => entries,
    startWorker: async () => {
      const worker = await startInferenceWorker({ preference: 'wasm' });
      started.push(worker);
      return worker;
    },
  });
  const call = serve(restarting);
  const args = { instanceId, modelId: 'test-quadrant', version: '1.0.0' };
  assert.ok((await call('inference.run', args)).ok);
  await started[0]!.close(); // as if it had crashed
  const again = await call('inference.run', args);
  assert.ok(again.ok, JSON.stringify(!again.ok && again.error));
  assert.equal(started.length, 2);
  await restarting.close();
});
