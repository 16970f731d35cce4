/**
 * Messages between a Node process and its inference worker thread (inference-worker.ts).
 * Each request has an id and one typed answer; tensors travel as Float32Arrays whose buffers
 * are transferred, not copied.
 */
import type { EngineName, EnginePreference } from '../engine-choice.ts';
import type { OutputTensor } from '../portable/engine.ts';

export interface InferenceWorkerData {
  preference: EnginePreference;
  /** Intra-op threads of the engine (onnxruntime-node) or WASM threads. */
  threads: number;
}

export type Feeds = Record<string, { dims: number[]; data: Float32Array }>;

/** What each request answers with. */
export interface WorkerAnswers {
  load: { inputNames: string[]; outputNames: string[]; loadMs: number };
  run: { outputs: Record<string, OutputTensor>; runMs: number };
  release: true;
}

export type ToInferenceWorker =
  | { id: number; type: 'load'; key: string; model: Uint8Array }
  | { id: number; type: 'run'; key: string; feeds: Feeds }
  | { id: number; type: 'release'; key: string };

export type FromInferenceWorker =
  | { type: 'ready'; engine: EngineName; reason: string }
  | { type: 'failed'; code: string; message: string }
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; message: string };
