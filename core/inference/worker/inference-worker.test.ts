/**
 * The inference worker thread: sessions live on it, answers come back by id, several runs may
 * be in flight at once, and a closed worker refuses further work instead of hanging.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../testing/shared-data.ts';
import { createWasmNodeEngine } from '../engine-wasm-node.ts';
import { generateInput } from '../portable/package-schema.ts';
import { quadrantDetectorModel } from '../testing/onnx-builder.ts';
import { inferenceWorkerEntry, startInferenceWorker } from './inference-worker-host.ts';

const feedsFor = (generator: 'ramp' | 'checkerboard' | 'top-left-bright') => ({
  image: { dims: [1, 1, 32, 32], data: generateInput({ generator }, 1, 32, 32) },
});

test('the worker runs a session with the answers of WASM in this thread, and reports its engine', async () => {
  assert.ok(inferenceWorkerEntry(), 'the worker entry is found (tsx in development)');
  const worker = await startInferenceWorker({ preference: 'wasm' });
  assert.equal(worker.name, 'wasm');
  assert.equal(worker.backend, 'wasm');
  assert.match(worker.reason, /as asked/);
  const { bytes } = quadrantDetectorModel(32);
  const remote = await worker.createSession(bytes);
  const local = await createWasmNodeEngine().createSession(bytes);
  assert.deepEqual(remote.inputNames, local.inputNames);
  assert.deepEqual(remote.outputNames, local.outputNames);
  const generators = ['ramp', 'checkerboard', 'top-left-bright'] as const;
  // All three in flight at once: each answer must come back to its own request.
  const answers = await Promise.all(generators.map((g) => remote.run(feedsFor(g))));
  for (const [i, generator] of generators.entries()) {
    const expected = await local.run(feedsFor(generator));
    assert.deepEqual(answers[i]!.probability!.data, expected.probability!.data, generator);
    assert.deepEqual(answers[i]!.probability!.dims, expected.probability!.dims);
  }
  await remote.release();
  await assert.rejects(remote.run(feedsFor('ramp')), {
    code: 'INFERENCE_SESSION_NOT_LOADED',
    message: /not loaded in the inference worker/,
  });
  await worker.close();
  await assert.rejects(worker.createSession(bytes), {
    code: 'INFERENCE_WORKER_UNAVAILABLE',
    message: /closed/,
  });
  await local.release();
});

test('a model the runtime cannot load is refused as MODEL_CORRUPT; the worker keeps serving', async () => {
  const worker = await startInferenceWorker({ preference: 'wasm' });
  await assert.rejects(worker.createSession(new Uint8Array([1, 2, 3, 4])), {
    code: 'MODEL_CORRUPT',
  });
  const session = await worker.createSession(quadrantDetectorModel(32).bytes);
  assert.ok((await session.run(feedsFor('ramp'))).probability);
  await assert.rejects(session.run({ wrong: feedsFor('ramp').image }), {
    code: 'INFERENCE_RUN_FAILED',
  });
  await worker.close();
});

test('while a model runs in the worker, this thread keeps answering (its loop is not held)', async () => {
  const folder = join(projectRoot, 'models', 'retina-vessels');
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const bytes = new Uint8Array(readFileSync(join(folder, 'model.onnx')));
  const { name, channels, height, width } = manifest.input;
  const feeds = {
    [name]: {
      dims: [1, channels, height, width],
      data: new Float32Array(channels * height * width).fill(0.4),
    },
  };
  /** The longest gap between 5 ms ticks of this thread's timer while `work` runs. */
  const longestGap = async (work: () => Promise<unknown>) => {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    await work();
    clearInterval(timer);
    return Math.max(longest, performance.now() - last);
  };
  // The same engine (WASM, one thread) in this thread and in the worker.
  const local = await createWasmNodeEngine().createSession(bytes);
  const worker = await startInferenceWorker({ preference: 'wasm' });
  const remote = await worker.createSession(bytes);
  await Promise.all([local.run(feeds), remote.run(feeds)]); // warm-up
  const inThread = await longestGap(() => local.run(feeds));
  const offThread = await longestGap(() => remote.run(feeds));
  console.log(
    `# longest timer gap: ${inThread.toFixed(0)} ms in this thread, ${offThread.toFixed(0)} ms with the worker`,
  );
  assert.ok(offThread < inThread / 2, `${offThread} ms with the worker vs ${inThread} ms`);
  await Promise.all([local.release(), worker.close()]);
});
