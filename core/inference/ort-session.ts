/**
 * Wraps an ONNX Runtime session (web or node: both follow onnxruntime-common) in the
 * engine's ModelSession interface, copying outputs out and disposing runtime tensors.
 */
import type { Backend, ModelSession, OutputTensor } from './portable/engine.ts';

interface OrtTensorLike {
  dims: readonly number[];
  data: unknown;
  dispose?(): void;
}

interface OrtSessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, never>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

type TensorConstructor = new (type: 'float32', data: Float32Array, dims: number[]) => unknown;

export function wrapOrtSession(
  session: OrtSessionLike,
  backend: Backend,
  Tensor: TensorConstructor,
): ModelSession {
  return {
    backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new Tensor('float32', t.data, t.dims)]),
      ) as Record<string, never>;
      const results = await session.run(tensors);
      const out: Record<string, OutputTensor> = {};
      for (const [name, tensor] of Object.entries(results)) {
        out[name] = {
          dims: [...tensor.dims],
          data: Float32Array.from(tensor.data as Float32Array),
        };
        tensor.dispose?.();
      }
      return out;
    },
    release: () => session.release(),
  };
}
