/**
 * One session interface over the execution providers (the onnxruntime-web pattern): the
 * caller says which backend it prefers, the engine reports which one it used.
 */
export type Backend = 'wasm' | 'node' | 'webgpu';

export interface OutputTensor {
  dims: number[];
  data: Float32Array;
}

/** The engine that ran a session, in the words results carry (`native`: onnxruntime-node). */
export interface EngineInfo {
  name: 'native' | 'wasm' | 'webgpu';
  /** Why this engine was chosen, for the reader and the result file. */
  reason: string;
  /**
   * Where a Node host ran it: its inference worker thread, or the calling thread for a model
   * quicker than the hop to the worker (core/inference/worker/session-placement.ts).
   */
  placement?: { thread: 'worker' | 'caller'; perImageMs?: number };
}

export interface ModelSession {
  readonly backend: Backend;
  /** Which engine and why, where the caller chose it (absent: only the backend is known). */
  readonly engine?: EngineInfo;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Record<string, { dims: number[]; data: Float32Array }>,
  ): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}

export interface InferenceEngine {
  readonly backend: Backend;
  createSession(model: Uint8Array): Promise<ModelSession>;
}
