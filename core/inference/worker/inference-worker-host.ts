/**
 * The calling thread's side of the inference worker (inference-worker.ts): an InferenceEngine
 * whose sessions live on the worker thread, so every caller of the engine interface (package
 * loading and self-tests, analyzeImage, saliency) runs unchanged while the model itself runs
 * off this thread. A worker_threads Worker, not a child process: Electron's RunAsNode fuse is
 * off, so a forked Electron binary would not run as Node.
 *
 * The worker is unreferenced while idle, so a CLI or a test ends when its own work does; it is
 * referenced while a request is pending, so the process waits for the answer.
 */
import { Worker } from 'node:worker_threads';
import { CodedError } from '../../base/errors.ts';
import { WorkerRequests } from '../../base/worker-requests.ts';
import type { EngineName, EnginePreference } from '../engine-choice.ts';
import { createNativeNodeEngine } from '../engine-native-node.ts';
import type { Backend, InferenceEngine, ModelSession } from '../portable/engine.ts';
import type { InferenceErrorCode } from '../portable/inference-errors.ts';
import type {
  FromInferenceWorker,
  InferenceWorkerData,
  InferenceWorkerMessage,
} from './inference-worker-protocol.ts';
import { placeSession } from './session-placement.ts';
import { workerEntry } from './worker-entry.ts';

export const INFERENCE_WORKER_FILE = 'inference-worker.mjs';

export class InferenceWorkerError extends CodedError<
  'INFERENCE_WORKER_UNAVAILABLE' | 'ENGINE_UNAVAILABLE'
> {}

/**
 * Where the worker's code is: a built inference-worker.mjs beside the bundle, or
 * inference-worker.ts run through tsx (worker-entry.ts). Undefined when neither is found.
 */
export function inferenceWorkerEntry(): URL | undefined {
  return workerEntry(
    INFERENCE_WORKER_FILE,
    () => new URL('./inference-worker.ts', import.meta.url),
  );
}

export interface WorkerEngine extends InferenceEngine {
  /** The engine the worker chose, and why. */
  readonly name: EngineName;
  readonly reason: string;
  /** False once the worker has stopped (closed, crashed): its sessions are gone with it. */
  running(): boolean;
  close(): Promise<void>;
}

export interface InferenceWorkerOptions {
  preference?: EnginePreference;
  threads?: number;
  entry?: URL;
}

/**
 * onnxruntime-node on the calling thread, with the worker's settings, for the models too quick
 * to be worth the hop (session-placement.ts); loaded once, on first need.
 */
const nativeOnThisThread = new Map<number, Promise<InferenceEngine>>();
function nativeHere({ threads }: InferenceWorkerData): Promise<InferenceEngine> {
  let engine = nativeOnThisThread.get(threads);
  if (!engine) nativeOnThisThread.set(threads, (engine = createNativeNodeEngine(threads)));
  return engine;
}

export function startInferenceWorker(options: InferenceWorkerOptions = {}): Promise<WorkerEngine> {
  const entry = options.entry ?? inferenceWorkerEntry();
  if (!entry)
    return Promise.reject(
      new InferenceWorkerError(
        'INFERENCE_WORKER_UNAVAILABLE',
        `the inference worker (${INFERENCE_WORKER_FILE}, or inference-worker.ts with tsx) was not found`,
      ),
    );
  const data: InferenceWorkerData = {
    preference: options.preference ?? 'auto',
    threads: options.threads ?? 1,
  };
  const worker = new Worker(entry, { workerData: data, name: 'neoscope-inference' });
  worker.unref();
  const requests = new WorkerRequests<InferenceWorkerMessage, InferenceErrorCode>(
    (request, transfer) => worker.postMessage(request, transfer),
    (busy) => (busy ? worker.ref() : worker.unref()),
  );
  let keys = 0;

  return new Promise<WorkerEngine>((resolve, reject) => {
    worker.on('message', (message: FromInferenceWorker) => {
      if ('id' in message) requests.settle(message);
      else if (message.type === 'failed') {
        void worker.terminate();
        reject(new InferenceWorkerError('ENGINE_UNAVAILABLE', message.error.message));
      } else {
        const backend: Backend = message.engine === 'native' ? 'node' : 'wasm';
        resolve({
          backend,
          name: message.engine,
          reason: message.reason,
          async createSession(model): Promise<ModelSession> {
            const key = `session-${keys++}`;
            const info = await requests.send({ type: 'load', key, model });
            const placed = placeSession(
              { run: (feeds) => requests.send({ type: 'run', key, feeds }) },
              { name: message.engine, reason: message.reason },
              message.engine === 'native'
                ? async () => (await nativeHere(data)).createSession(model)
                : undefined,
            );
            return {
              backend,
              get engine() {
                return placed.engine();
              },
              inputNames: info.inputNames,
              outputNames: info.outputNames,
              run: placed.run,
              release: async () => {
                await placed.release();
                await requests.send({ type: 'release', key });
              },
            };
          },
          running: () => requests.running,
          async close() {
            requests.stop(
              new InferenceWorkerError(
                'INFERENCE_WORKER_UNAVAILABLE',
                'the inference worker was closed',
              ),
            );
            await worker.terminate();
          },
        });
      }
    });
    worker.on('error', (cause) => {
      // Coded, so the page can tell "the service cannot run models" and run them itself.
      const error = new InferenceWorkerError(
        'INFERENCE_WORKER_UNAVAILABLE',
        `the inference worker failed: ${cause.message}`,
      );
      requests.stop(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      const error = new InferenceWorkerError(
        'INFERENCE_WORKER_UNAVAILABLE',
        `the inference worker stopped (exit code ${code})`,
      );
      requests.stop(error);
      reject(error);
    });
  });
}
