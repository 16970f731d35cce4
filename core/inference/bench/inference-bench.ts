/**
 * Inference figures, each against a reference measured in the same run: per-image latency
 * and images/s of a model on every backend present here (onnxruntime-web WASM with 1 and
 * with 2 threads, onnxruntime-node), the ratio WASM / native, and a 14×14 occlusion map
 * batched against unbatched.
 */
import type { InferenceEngine, ModelSession } from '../portable/engine.ts';
import { occlusionMap } from '../portable/saliency/perturbation.ts';

export interface BackendFigure {
  backend: string;
  msPerImage: number;
  imagesPerSecond: number;
}

export interface InputShape {
  name: string;
  channels: number;
  height: number;
  width: number;
}

async function timeRuns(
  session: ModelSession,
  shape: InputShape | number,
  minMs = 1500,
): Promise<number> {
  const { name, channels, height, width } =
    typeof shape === 'number' ? { name: 'image', channels: 1, height: shape, width: shape } : shape;
  const length = channels * height * width;
  const feeds = {
    [name]: {
      dims: [1, channels, height, width],
      data: Float32Array.from({ length }, (_, i) => (i % 251) / 250),
    },
  };
  await session.run(feeds); // warm-up
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || runs < 5) {
    await session.run(feeds);
    runs++;
  }
  return (performance.now() - start) / runs;
}

export async function benchBackends(
  model: Uint8Array,
  size: number | InputShape,
  engines: Array<{ label: string; engine: InferenceEngine }>,
): Promise<BackendFigure[]> {
  const figures: BackendFigure[] = [];
  for (const { label, engine } of engines) {
    const session = await engine.createSession(model);
    const ms = await timeRuns(session, size);
    figures.push({ backend: label, msPerImage: ms, imagesPerSecond: 1000 / ms });
    await session.release();
  }
  return figures;
}

export async function benchOcclusion(
  session: ModelSession,
  size: number,
  batchSize: number,
): Promise<{ batchedMs: number; unbatchedMs: number }> {
  const target = {
    session,
    inputName: 'image',
    input: Float32Array.from({ length: size * size }, (_, i) => (i % 251) / 250),
    channels: 1,
    height: size,
    width: size,
    outputName: 'probability',
    scoreIndex: 0,
  };
  await occlusionMap({ ...target, batchSize }, 14); // warm-up
  let start = performance.now();
  await occlusionMap({ ...target, batchSize }, 14);
  const batchedMs = performance.now() - start;
  start = performance.now();
  await occlusionMap({ ...target, batchSize: 1 }, 14);
  return { batchedMs, unbatchedMs: performance.now() - start };
}
