/**
 * Which CPU engine a Node process (the service's inference worker, the CLI) runs models on.
 * onnxruntime-node runs the shipped convolutional models about 4× faster than onnxruntime-web's
 * WASM on the same cores (128-bit WASM SIMD against the native AVX2 kernels; `npm run bench`
 * measures it), so `auto` takes it whenever it loads. It is an optional dependency: where it
 * is missing, WASM runs the same graph and the reason says why.
 */
import { CodedError } from '../base/errors.ts';
import { createNativeNodeEngine } from './engine-native-node.ts';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import type { EngineInfo, InferenceEngine } from './portable/engine.ts';

export const ENGINE_PREFERENCES = ['auto', 'native', 'wasm'] as const;
export type EnginePreference = (typeof ENGINE_PREFERENCES)[number];
/** `native`: onnxruntime-node; `wasm`: onnxruntime-web's WASM backend (the page's runtime). */
export type EngineName = 'native' | 'wasm';

export interface EngineChoice {
  engine: InferenceEngine;
  name: EngineName;
  /** Why this engine, in words for the reader and the result file. */
  reason: string;
}

export class EngineUnavailableError extends CodedError<'ENGINE_UNAVAILABLE'> {}

export function isEnginePreference(value: unknown): value is EnginePreference {
  return ENGINE_PREFERENCES.includes(value as EnginePreference);
}

/** `loadNative` is onnxruntime-node's loader; tests pass one that fails, as on a machine without it. */
export async function chooseNodeEngine(
  preference: EnginePreference,
  threads = 1,
  loadNative: (threads: number) => Promise<InferenceEngine> = createNativeNodeEngine,
): Promise<EngineChoice> {
  if (preference === 'wasm')
    return {
      engine: createWasmNodeEngine(threads),
      name: 'wasm',
      reason: 'onnxruntime-web WASM, as asked (engine: wasm)',
    };
  let native: InferenceEngine;
  try {
    native = await loadNative(threads);
  } catch (error) {
    const why = (error as Error).message;
    if (preference === 'native')
      throw new EngineUnavailableError('ENGINE_UNAVAILABLE', `engine native asked for, but ${why}`);
    return {
      engine: createWasmNodeEngine(threads),
      name: 'wasm',
      reason: `${why}; using onnxruntime-web WASM (slower on CPU)`,
    };
  }
  return {
    engine: native,
    name: 'native',
    reason:
      preference === 'native'
        ? 'onnxruntime-node, as asked (engine: native)'
        : 'onnxruntime-node: the fastest CPU engine installed here',
  };
}

/** The engine with its name and reason on every session it makes, so results can state them. */
export function withEngineInfo(engine: InferenceEngine, info: EngineInfo): InferenceEngine {
  return {
    backend: engine.backend,
    async createSession(model) {
      return { ...(await engine.createSession(model)), engine: info };
    },
  };
}
