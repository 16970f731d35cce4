/**
 * The inference worker thread: chooses its engine once (onnxruntime-node when it loads, else
 * WASM; see engine-choice.ts), then loads, runs and releases sessions by key. ONNX Runtime's
 * run is synchronous on the calling thread (onnxruntime-node defers it with setImmediate,
 * then blocks), so running it here keeps the caller's event loop free: the service answers
 * the page and the CLI decodes the next image while a model runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OutOf } from '../../base/worker-requests.ts';
import { chooseNodeEngine } from '../engine-choice.ts';
import type { ModelSession } from '../portable/engine.ts';
import { InferenceError, inferenceErrorBody } from '../portable/inference-errors.ts';
import type {
  FromInferenceWorker,
  InferenceWorkerData,
  InferenceWorkerMessage,
  ToInferenceWorker,
} from './inference-worker-protocol.ts';

const port = parentPort!;
const config = workerData as InferenceWorkerData;
const sessions = new Map<string, ModelSession>();
const post = (message: FromInferenceWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

async function answer(
  engine: Awaited<ReturnType<typeof chooseNodeEngine>>['engine'],
  request: ToInferenceWorker,
): Promise<{
  value: OutOf<InferenceWorkerMessage, ToInferenceWorker['type']>;
  transfer: ArrayBuffer[];
}> {
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
      if (!session)
        throw new InferenceError(
          'INFERENCE_SESSION_NOT_LOADED',
          `model ${request.key} is not loaded in the inference worker`,
        );
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
    const { id, type } = request;
    answer(choice.engine, request).then(
      // The switch in `answer` gives each type its own value; TypeScript cannot pair them here.
      ({ value, transfer }) => post({ id, type, ok: true, value } as FromInferenceWorker, transfer),
      (error: unknown) => post({ id, type, ok: false, error: inferenceErrorBody(error, type) }),
    );
  });
  post({ type: 'ready', engine: choice.name, reason: choice.reason });
} catch (error) {
  // No engine could be chosen (onnxruntime-node asked for and missing): nothing can run here.
  const message = String((error as Error)?.message ?? error);
  post({ type: 'failed', error: { code: 'ENGINE_UNAVAILABLE', message } });
}
