/**
 * The codes with which a model or an engine fails, defined once for the Node side (package
 * loading, the CLI, the service's inference worker) and the page's inference worker, so a
 * reader sees "MODEL_CORRUPT: …" wherever the model ran and the page chooses its fallback on
 * the code. Pure: no Node, no DOM.
 */
import { CodedError, type ErrorBody } from '../../base/errors.ts';

/** Why a model package was not accepted, or a model not run on an image. */
export const MODEL_ERROR_CODES = [
  'MODEL_SCHEMA_INVALID',
  'MODEL_HASH_MISMATCH',
  /** ONNX Runtime cannot load model.onnx (not an ONNX graph, an operator it lacks). */
  'MODEL_CORRUPT',
  'MODEL_SELF_TEST_FAILED',
  'MODEL_ALREADY_INSTALLED',
  'MODEL_PACKAGE_UNREADABLE',
  /** A model asked for by name is for another domain than the image (a retina model on a chest film). */
  'MODEL_DOMAIN_MISMATCH',
  /** The image or patient is outside a scope whose package says `outsideUse: 'refuse'`. */
  'MODEL_OUTSIDE_INTENDED_USE',
  /** The package's engines disagreed beyond its tolerance at install: it is not activated. */
  'MODEL_ENGINES_DISAGREE',
  /** The model id and version named are not an installed, verified package. */
  'MODEL_NOT_INSTALLED',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/** Why an engine could not run a model it was given. */
export const ENGINE_ERROR_CODES = [
  /** The execution provider cannot start here (onnxruntime-node missing, no WebGPU device). */
  'ENGINE_UNAVAILABLE',
  /** The inference worker is missing or has stopped; its sessions are gone with it. */
  'INFERENCE_WORKER_UNAVAILABLE',
  /** A run or release names a session the worker does not hold (released, or never loaded). */
  'INFERENCE_SESSION_NOT_LOADED',
  /** The runtime refused a run of a loaded model (an input of the wrong shape, out of memory). */
  'INFERENCE_RUN_FAILED',
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export type InferenceErrorCode = ModelErrorCode | EngineErrorCode;

const KNOWN = new Set<string>([...MODEL_ERROR_CODES, ...ENGINE_ERROR_CODES]);

export function isInferenceErrorCode(code: unknown): code is InferenceErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** An engine's or an inference worker's failure, with its code. */
export class InferenceError extends CodedError<InferenceErrorCode> {}

/**
 * What a worker sends back when a step fails. A coded error keeps its code. ONNX Runtime's
 * own errors carry none, so they get the code of the step: a model it cannot load is
 * MODEL_CORRUPT, unless none of the backends asked for could start (onnxruntime-common's
 * "no available backend found"), which is the engine's fault, not the model's; a failed run
 * or release is INFERENCE_RUN_FAILED; a failed look for a GPU is ENGINE_UNAVAILABLE.
 */
export function inferenceErrorBody(
  error: unknown,
  step: 'probe' | 'load' | 'run' | 'release',
): ErrorBody<InferenceErrorCode> {
  const { code, message, file } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    file?: unknown;
  };
  const body = (code: InferenceErrorCode): ErrorBody<InferenceErrorCode> => ({
    code,
    message: typeof message === 'string' ? message : String(error),
    ...(typeof file === 'string' ? { file } : {}),
  });
  if (isInferenceErrorCode(code)) return body(code);
  if (step === 'probe') return body('ENGINE_UNAVAILABLE');
  if (step !== 'load') return body('INFERENCE_RUN_FAILED');
  const text = typeof message === 'string' ? message : String(error);
  return body(/no available backend found/i.test(text) ? 'ENGINE_UNAVAILABLE' : 'MODEL_CORRUPT');
}
