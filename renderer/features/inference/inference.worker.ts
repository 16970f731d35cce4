/**
 * The page's inference worker: onnxruntime-web with the WebGPU or WASM execution provider,
 * off the UI thread. Runtime files come from /vendor/ort/ (same origin, so the strict CSP
 * and cross-origin isolation hold); threads are used when the page is isolated.
 */
import * as ort from 'onnxruntime-web';
import type { OutOf } from '../../../core/base/worker-requests.ts';
import {
  InferenceError,
  inferenceErrorBody,
} from '../../../core/inference/portable/inference-errors.ts';
import type { GpuProbe } from './backend-choice.ts';
import type { PageWorkerMessage, WorkerReply, WorkerRequest } from './protocol.ts';

ort.env.wasm.wasmPaths = `${self.location.origin}/vendor/ort/`;
ort.env.wasm.numThreads = self.crossOriginIsolated
  ? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1))
  : 1;

const sessions = new Map<string, ort.InferenceSession>();

interface AdapterInfoLike {
  isFallbackAdapter?: boolean;
  description?: string;
  vendor?: string;
  architecture?: string;
}

async function probe(): Promise<GpuProbe> {
  const gpu = (
    navigator as unknown as {
      gpu?: {
        requestAdapter(): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
      };
    }
  ).gpu;
  if (!gpu) return { available: false };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { available: false };
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return {
    available: true,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    description,
  };
}

type RequestOf<T extends WorkerRequest['type']> = Extract<WorkerRequest, { type: T }>;

/** One handler per message type, each answering with its own reply type. */
const handlers: {
  [T in WorkerRequest['type']]: (request: RequestOf<T>) => Promise<OutOf<PageWorkerMessage, T>>;
} = {
  probe,
  async load(request) {
    await sessions.get(request.key)?.release();
    sessions.delete(request.key);
    const started = performance.now();
    const session = await ort.InferenceSession.create(request.model, {
      executionProviders: [request.backend],
    });
    sessions.set(request.key, session);
    return {
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      loadMs: performance.now() - started,
    };
  },
  async run(request) {
    const session = sessions.get(request.key);
    if (!session)
      throw new InferenceError(
        'INFERENCE_SESSION_NOT_LOADED',
        `model ${request.key} is not loaded in the page's inference worker`,
      );
    const feeds = Object.fromEntries(
      Object.entries(request.feeds).map(([name, t]) => [
        name,
        new ort.Tensor('float32', t.data, t.dims),
      ]),
    );
    const started = performance.now();
    const results = await session.run(feeds);
    const runMs = performance.now() - started;
    const outputs: Record<string, { dims: number[]; data: Float32Array }> = {};
    for (const [name, tensor] of Object.entries(results)) {
      outputs[name] = {
        dims: [...tensor.dims],
        data: Float32Array.from((await tensor.getData()) as Float32Array),
      };
      tensor.dispose();
    }
    return { outputs, runMs };
  },
  async release(request) {
    await sessions.get(request.key)?.release();
    sessions.delete(request.key);
    return true;
  },
};

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const { id, type } = request;
  const handle = handlers[type] as (request: WorkerRequest) => Promise<unknown>;
  handle(request).then(
    (value) => self.postMessage({ id, type, ok: true, value } as WorkerReply),
    (error: unknown) =>
      self.postMessage({
        id,
        type,
        ok: false,
        error: inferenceErrorBody(error, type),
      } satisfies WorkerReply),
  );
};
