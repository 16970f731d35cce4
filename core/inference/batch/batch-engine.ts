/**
 * The engine a batch (`neoscope analyze`) runs its models on: the inference worker, so that
 * while a model runs on one image the calling thread decodes the next and measures and writes
 * the previous (see ordered-pipeline.ts), on the engine asked for — by default onnxruntime-node
 * when installed (engine-choice.ts). When the worker cannot start (its file missing from a
 * build), the engine runs in the calling thread and the reason says so.
 */
import {
  chooseNodeEngine,
  withEngineInfo,
  type EngineName,
  type EnginePreference,
} from '../engine-choice.ts';
import type { InferenceEngine } from '../portable/engine.ts';
import { startInferenceWorker } from '../worker/inference-worker-host.ts';
import { INLINE_BELOW_MS } from '../worker/session-placement.ts';

export interface BatchEngine {
  engine: InferenceEngine;
  name: EngineName;
  reason: string;
  close(): Promise<void>;
}

/**
 * `threads`: the engine's intra-op threads. One by default: the calling thread keeps the
 * other core busy with decoding, measuring and writing.
 */
export async function startBatchEngine(
  preference: EnginePreference,
  threads = 1,
): Promise<BatchEngine> {
  let why: string;
  try {
    const worker = await startInferenceWorker({ preference, threads });
    // Each session says where its runs go (the worker, or this thread for the quickest
    // models: session-placement.ts), so results carry the placement they had.
    const reason = `${worker.reason}, in a worker thread (models quicker than ${INLINE_BELOW_MS} ms per image on this thread)`;
    return {
      engine: worker,
      name: worker.name,
      reason,
      close: () => worker.close(),
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENGINE_UNAVAILABLE') throw error;
    why = (error as Error).message;
  }
  const choice = await chooseNodeEngine(preference, threads);
  const reason = `${choice.reason}, in the calling thread (${why})`;
  return {
    engine: withEngineInfo(choice.engine, { name: choice.name, reason }),
    name: choice.name,
    reason,
    close: async () => {},
  };
}
