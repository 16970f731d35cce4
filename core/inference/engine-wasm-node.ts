/**
 * The headless engine: onnxruntime-web's WASM backend under Node, the same runtime the
 * renderer's worker uses, so CLI and UI results agree.
 */
import * as ort from 'onnxruntime-web';
import { wrapOrtSession } from './ort-session.ts';
import type { InferenceEngine } from './portable/engine.ts';

export function createWasmNodeEngine(threads = 1): InferenceEngine {
  // ORT-Web fixes its thread count when its WASM starts; later engines share that setting.
  ort.env.wasm.numThreads = threads;
  return {
    backend: 'wasm',
    async createSession(model) {
      return wrapOrtSession(
        await ort.InferenceSession.create(model, { executionProviders: ['wasm'] }),
        'wasm',
        ort.Tensor,
      );
    },
  };
}
