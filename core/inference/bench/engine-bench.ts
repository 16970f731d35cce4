/**
 * Per-image latency of each model on each engine present here, and of the engine the
 * workstation picks for a page without a hardware GPU (the service's inference worker:
 * onnxruntime-node with every core, or WASM where it is missing), as a ratio to the fastest
 * measured in the same run. The pick is timed through the worker, message passing included,
 * because that is what a reader waits for.
 */
import { availableParallelism } from 'node:os';
import { createNativeNodeEngine } from '../engine-native-node.ts';
import { createWasmNodeEngine } from '../engine-wasm-node.ts';
import type { InferenceEngine } from '../portable/engine.ts';
import { startInferenceWorker, type WorkerEngine } from '../worker/inference-worker-host.ts';
import { benchBackends, type BackendFigure, type InputShape } from './inference-bench.ts';

export interface EngineSet {
  engines: Array<{ label: string; engine: InferenceEngine }>;
  /** The label of the workstation's pick among `engines`. */
  picked: string;
  notes: string[];
  close(): Promise<void>;
}

/** Every engine here; ORT-Web fixes its WASM thread count once per process, so WASM uses all cores. */
export async function enginesHere(): Promise<EngineSet> {
  const cores = availableParallelism();
  const notes: string[] = [];
  const engines: EngineSet['engines'] = [
    { label: `onnxruntime-web WASM, ${cores} threads`, engine: createWasmNodeEngine(cores) },
  ];
  for (const threads of [...new Set([1, cores])]) {
    const native = await createNativeNodeEngine(threads).catch((error: Error) => {
      if (threads === 1) notes.push(`onnxruntime-node not available: ${error.message}`);
      return undefined;
    });
    if (native)
      engines.push({
        label: `onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}`,
        engine: native,
      });
  }
  const workers: WorkerEngine[] = [];
  let picked = engines[0]!.label;
  try {
    // The worker with one thread shows what the thread hop itself costs.
    if (cores > 1) {
      const single = await startInferenceWorker({ threads: 1 });
      workers.push(single);
      engines.push({ label: `worker, ${single.name}, 1 thread`, engine: single });
    }
    // The service's own setting (core/workstation/inference-handlers.ts).
    const worker = await startInferenceWorker({ threads: cores });
    workers.push(worker);
    picked = `workstation pick: worker, ${worker.name}, ${cores} threads`;
    engines.push({ label: picked, engine: worker });
  } catch (error) {
    notes.push(`inference worker not started (${(error as Error).message}): the pick is WASM`);
  }
  return {
    engines,
    picked,
    notes,
    close: async () => void (await Promise.all(workers.map((w) => w.close()))),
  };
}

export interface ModelFigures {
  model: string;
  figures: BackendFigure[];
  fastest: BackendFigure;
  picked?: BackendFigure;
  /** Fastest latency ÷ the pick's latency: 1 means the pick is the fastest. */
  pickedRatio?: number;
}

export async function benchModelOnEngines(
  model: string,
  onnx: Uint8Array,
  shape: InputShape | number,
  set: EngineSet,
): Promise<ModelFigures> {
  const figures = await benchBackends(onnx, shape, set.engines);
  const fastest = figures.reduce((a, b) => (b.msPerImage < a.msPerImage ? b : a));
  const picked = figures.find((f) => f.backend === set.picked);
  return {
    model,
    figures,
    fastest,
    picked,
    pickedRatio: picked ? fastest.msPerImage / picked.msPerImage : undefined,
  };
}

export function formatEngineFigures(rows: ModelFigures[], load: string): string {
  const lines = [`Inference per image, each engine (ratios measured in this run; ${load})`];
  for (const row of rows) {
    lines.push(row.model);
    for (const f of row.figures)
      lines.push(
        `  ${f.backend.padEnd(42)} ${f.msPerImage.toFixed(2).padStart(9)} ms  ${(row.fastest.msPerImage / f.msPerImage).toFixed(2).padStart(5)}× the fastest`,
      );
    if (row.pickedRatio !== undefined)
      lines.push(
        `  → the workstation's pick runs at ${row.pickedRatio.toFixed(2)}× the fastest (goal ≥ 0.95×)`,
      );
  }
  return lines.join('\n');
}
