/**
 * Where a model's runs go: to the worker until its first runs are timed there; then the quick
 * ones on the calling thread, with the same outputs, and anything slower on the worker.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelSession, OutputTensor } from '../portable/engine.ts';
import { generateInput } from '../portable/package-schema.ts';
import { quadrantDetectorModel } from '../testing/onnx-builder.ts';
import { startInferenceWorker } from './inference-worker-host.ts';
import { INLINE_BELOW_MS, placeSession, TIMED_RUNS } from './session-placement.ts';

const feeds = (batch = 1) => ({
  image: { dims: [batch, 1, 4, 4], data: new Float32Array(batch * 16) },
});
const answer = (where: string): Record<string, OutputTensor> => ({
  where: { dims: [1], data: Float32Array.of(where === 'worker' ? 1 : 2) },
});

/** A worker that reports `runMs` per run, and a calling-thread session; both count their runs. */
function fakes(runMs: number) {
  const counts = { worker: 0, inline: 0, opened: 0 };
  const remote = {
    run: async (f: ReturnType<typeof feeds>) => {
      counts.worker++;
      return { outputs: answer('worker'), runMs: runMs * f.image.dims[0]! };
    },
  };
  const openInline = async (): Promise<ModelSession> => {
    counts.opened++;
    return {
      backend: 'node',
      inputNames: ['image'],
      outputNames: ['where'],
      run: async () => (counts.inline++, answer('inline')),
      release: async () => {},
    };
  };
  return { counts, remote, openInline };
}

const info = { name: 'native' as const, reason: 'onnxruntime-node' };

test('a quick model moves to the calling thread after its timed runs; a batch too long stays on the worker', async () => {
  const { counts, remote, openInline } = fakes(0.5);
  const placed = placeSession(remote, info, openInline);
  for (let i = 0; i < TIMED_RUNS - 1; i++) await placed.run(feeds());
  assert.match(placed.engine().reason, /in a worker thread/);
  await placed.run(feeds());
  assert.equal(counts.worker, TIMED_RUNS);
  await new Promise((r) => setImmediate(r)); // the calling thread's session is opened
  await placed.run(feeds());
  assert.equal(counts.inline, 1);
  assert.match(placed.engine().reason, /on the calling thread \(0\.50 ms per image/);
  // 0.5 ms × 8 images would hold the calling thread past the limit: the worker runs it.
  assert.ok(0.5 * 8 >= INLINE_BELOW_MS);
  await placed.run(feeds(8));
  assert.equal(counts.worker, TIMED_RUNS + 1);
  assert.equal(counts.opened, 1);
});

test('a slow model, or one the calling thread cannot open, stays on the worker', async () => {
  const slow = fakes(INLINE_BELOW_MS + 1);
  const placed = placeSession(slow.remote, info, slow.openInline);
  for (let i = 0; i < TIMED_RUNS + 3; i++) await placed.run(feeds());
  assert.equal(slow.counts.opened, 0);
  assert.equal(slow.counts.worker, TIMED_RUNS + 3);

  const quick = fakes(0.1);
  const failing = placeSession(quick.remote, info, () => Promise.reject(new Error('no addon')));
  for (let i = 0; i < TIMED_RUNS + 3; i++) await failing.run(feeds());
  assert.equal(quick.counts.worker, TIMED_RUNS + 3);
  assert.match(failing.engine().reason, /in a worker thread/);

  const noEngine = placeSession(quick.remote, info);
  for (let i = 0; i < TIMED_RUNS + 1; i++) await noEngine.run(feeds());
  assert.match(noEngine.engine().reason, /in a worker thread/);
});

test('with onnxruntime-node, a tiny model placed on the calling thread answers as the worker did', async (t) => {
  const worker = await startInferenceWorker({ preference: 'native', threads: 1 }).catch(
    () => undefined,
  );
  if (!worker) return t.skip('onnxruntime-node is not installed here');
  try {
    const session = await worker.createSession(quadrantDetectorModel(32).bytes);
    const input = {
      image: { dims: [1, 1, 32, 32], data: generateInput({ generator: 'ramp' }, 1, 32, 32) },
    };
    const onWorker = await session.run(input);
    for (let i = 1; i < TIMED_RUNS; i++) await session.run(input);
    // The calling thread's session opens in the background; the worker answers meanwhile.
    for (let i = 0; i < 50 && !/calling thread/.test(session.engine!.reason); i++) {
      await session.run(input);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.match(session.engine!.reason, /on the calling thread/);
    const here = await session.run(input);
    assert.deepEqual(here.probability!.data, onWorker.probability!.data);
    await session.release();
  } finally {
    await worker.close();
  }
});
