/**
 * The headless engine: onnxruntime-web's WASM backend under Node, the same runtime the
 * renderer's worker uses, so CLI and UI results agree.
 */
import * as ort from 'onnxruntime-web';
import type { InferenceEngine, ModelSession, OutputTensor } from './portable/engine.ts';

export function createWasmNodeEngine(threads = 1): InferenceEngine {
  ort.env.wasm.numThreads = threads;
  return {
    backend: 'wasm',
    async createSession(model) {
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
      const wrapped: ModelSession = {
        backend: 'wasm',
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds) {
          const tensors = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
          const results = await session.run(tensors);
          const out: Record<string, OutputTensor> = {};
          for (const [name, tensor] of Object.entries(results)) {
            out[name] = { dims: [...tensor.dims], data: Float32Array.from(tensor.data as Float32Array) };
            tensor.dispose();
          }
          return out;
        },
        release: () => session.release(),
      };
      return wrapped;
    },
  };
}
