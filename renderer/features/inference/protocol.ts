/**
 * Messages between the page and its inference worker (inference.worker.ts), one typed
 * message per request (core/base/worker-requests.ts, after onnxruntime-web's
 * proxy-messages.ts): each request has an id and one typed reply, and a failure carries the
 * code the worker raised (core/inference/portable/inference-errors.ts), so the page shows
 * "MODEL_CORRUPT: …" and chooses a fallback on the code.
 */
import type { ReplyOf, RequestOf, WorkerMessage } from '../../../core/base/worker-requests.ts';
import type { OutputTensor } from '../../../core/inference/portable/engine.ts';
import type { InferenceErrorCode } from '../../../core/inference/portable/inference-errors.ts';
import type { GpuProbe } from './backend-choice.ts';

export type Feeds = Record<string, { dims: number[]; data: Float32Array }>;

/** Whether this browser offers a WebGPU adapter, and whether it is a software one. */
type Probe = WorkerMessage<'probe', object, GpuProbe>;
/** A session is created from the model's bytes on the execution provider asked for. */
type Load = WorkerMessage<
  'load',
  { key: string; model: Uint8Array; backend: 'wasm' | 'webgpu' },
  { inputNames: string[]; outputNames: string[]; loadMs: number }
>;
type Run = WorkerMessage<
  'run',
  { key: string; feeds: Feeds },
  { outputs: Record<string, OutputTensor>; runMs: number }
>;
type Release = WorkerMessage<'release', { key: string }, true>;

export type PageWorkerMessage = Probe | Load | Run | Release;

export type WorkerRequest = RequestOf<PageWorkerMessage>;
export type WorkerReply = ReplyOf<PageWorkerMessage, InferenceErrorCode>;
