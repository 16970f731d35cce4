/**
 * The page's inference worker: onnxruntime-web with the WebGPU or WASM execution provider,
 * off the UI thread. Runtime files come from /vendor/ort/ (same origin, so the strict CSP
 * and cross-origin isolation hold); threads are used when the page is isolated.
 */
import * as ort from 'onnxruntime-web';
import type { GpuProbe } from './backend-choice.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

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

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case 'probe':
      return probe();
    case 'load': {
      await sessions.get(request.key)?.release();
      const started = performance.now();
      const session = await ort.InferenceSession.create(request.model, {
        executionProviders: [request.backend],
      });
      sessions.set(request.key, session);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        loadMs: performance.now() - started,
      };
    }
    case 'run': {
      const session = sessions.get(request.key);
      if (!session) throw new Error(`model ${request.key} is not loaded`);
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
    }
    case 'release':
      await sessions.get(request.key)?.release();
      sessions.delete(request.key);
      return true;
  }
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  handle(request).then(
    (value) => self.postMessage({ id: request.id, ok: true, value } satisfies WorkerResponse),
    (error: unknown) =>
      self.postMessage({
        id: request.id,
        ok: false,
        message: String((error as Error)?.message ?? error),
      } satisfies WorkerResponse),
  );
};
