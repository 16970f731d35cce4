/**
 * The inference worker thread: chooses its engine once (onnxruntime-node when it loads, else
 * WASM; see engine-choice.ts), then loads, runs and releases sessions by key. ONNX Runtime's
 * run is synchronous on the calling thread (onnxruntime-node defers it with setImmediate,
 * then blocks), so running it here keeps the caller's event loop free: the service answers
 * the page and the CLI decodes the next image while a model runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chooseNodeEngine } from '../engine-choice.ts';
import type { ModelSession } from '../portable/engine.ts';
import type {
  FromInferenceWorker,
  InferenceWorkerData,
  ToInferenceWorker,
  WorkerAnswers,
} from './inference-worker-protocol.ts';

const port = parentPort!;
const config = workerData as InferenceWorkerData;
const sessions = new Map<string, ModelSession>();
const post = (message: FromInferenceWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

async function answer(
  engine: Awaited<ReturnType<typeof chooseNodeEngine>>['engine'],
  request: ToInferenceWorker,
): Promise<{ value: WorkerAnswers[ToInferenceWorker['type']]; transfer: ArrayBuffer[] }> {
  switch (request.type) {
    case 'load': {
      await sessions.get(request.key)?.release();
      sessions.delete(request.key);
      const started = performance.now();
      const session = await engine.createSession(request.model);
      sessions.set(request.key, session);
      return {
        value: {
          inputNames: [...session.inputNames],
          outputNames: [...session.outputNames],
          loadMs: performance.now() - started,
        },
        transfer: [],
      };
    }
    case 'run': {
      const session = sessions.get(request.key);
      if (!session) throw new Error(`model ${request.key} is not loaded in the inference worker`);
      const started = performance.now();
      const outputs = await session.run(request.feeds);
      const runMs = performance.now() - started;
      // The engine copied each output into a Float32Array of its own: give the buffers away.
      const transfer = Object.values(outputs).map((t) => t.data.buffer as ArrayBuffer);
      return { value: { outputs, runMs }, transfer };
    }
    case 'release':
      await sessions.get(request.key)?.release();
      sessions.delete(request.key);
      return { value: true, transfer: [] };
  }
}

try {
  const choice = await chooseNodeEngine(config.preference, config.threads);
  port.on('message', (request: ToInferenceWorker) => {
    answer(choice.engine, request).then(
      ({ value, transfer }) => post({ type: 'answer', id: request.id, ok: true, value }, transfer),
      (error: unknown) =>
        post({
          type: 'answer',
          id: request.id,
          ok: false,
          message: String((error as Error)?.message ?? error),
        }),
    );
  });
  post({ type: 'ready', engine: choice.name, reason: choice.reason });
} catch (error) {
  const { code = 'ENGINE_UNAVAILABLE', message } = error as { code?: string; message: string };
  post({ type: 'failed', code, message });
}
