/**
 * Messages between a Node process and its inference worker thread (inference-worker.ts), one
 * typed message per request (core/base/worker-requests.ts): each request has an id and one
 * typed reply, a failure carries the code the worker raised (inference-errors.ts). Tensors
 * travel as Float32Arrays whose buffers are transferred, not copied.
 */
import type { ErrorBody } from '../../base/errors.ts';
import type { ReplyOf, RequestOf, WorkerMessage } from '../../base/worker-requests.ts';
import type { EngineName, EnginePreference } from '../engine-choice.ts';
import type { OutputTensor } from '../portable/engine.ts';
import type { InferenceErrorCode } from '../portable/inference-errors.ts';

export interface InferenceWorkerData {
  preference: EnginePreference;
  /** Intra-op threads of the engine (onnxruntime-node) or WASM threads. */
  threads: number;
}

export type Feeds = Record<string, { dims: number[]; data: Float32Array }>;

/** A session is created from the model's bytes and kept under the caller's key. */
type Load = WorkerMessage<
  'load',
  { key: string; model: Uint8Array },
  { inputNames: string[]; outputNames: string[]; loadMs: number }
>;
type Run = WorkerMessage<
  'run',
  { key: string; feeds: Feeds },
  { outputs: Record<string, OutputTensor>; runMs: number }
>;
type Release = WorkerMessage<'release', { key: string }, true>;

export type InferenceWorkerMessage = Load | Run | Release;

export type ToInferenceWorker = RequestOf<InferenceWorkerMessage>;

/** Once, when the engine is chosen (or cannot be), then the reply to each request. */
export type FromInferenceWorker =
  | { type: 'ready'; engine: EngineName; reason: string }
  | { type: 'failed'; error: ErrorBody<InferenceErrorCode> }
  | ReplyOf<InferenceWorkerMessage, InferenceErrorCode>;
