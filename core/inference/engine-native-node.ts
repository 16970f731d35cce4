/**
 * The optional faster headless backend: onnxruntime-node (native CPU runtime). It is an
 * optional dependency; where it is missing the CLI says so and uses WASM.
 */
import type { InferenceEngine, ModelSession, OutputTensor } from './portable/engine.ts';

type OrtNode = typeof import('onnxruntime-node');

export async function createNativeNodeEngine(threads = 1): Promise<InferenceEngine> {
  let ort: OrtNode;
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    throw new Error(`onnxruntime-node is not installed (${(error as Error).message.split('\n')[0]}); use --backend wasm`);
  }
  return {
    backend: 'node',
    async createSession(model) {
      const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
      const wrapped: ModelSession = {
        backend: 'node',
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds) {
          const tensors = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
          const results = await session.run(tensors);
          const out: Record<string, OutputTensor> = {};
          for (const [name, tensor] of Object.entries(results)) out[name] = { dims: [...tensor.dims], data: Float32Array.from(tensor.data as Float32Array) };
          return out;
        },
        release: () => session.release(),
      };
      return wrapped;
    },
  };
}
