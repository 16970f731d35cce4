/**
 * Where each model's runs go: to the inference worker, unless the model is so quick that the
 * hop there and back (the input cloned, two thread wake-ups: about 0.1–0.15 ms here, `npm run
 * bench` shows it) would cost it more than a few per cent. Those models (a 224×224 classifier
 * runs in under a millisecond) run on the calling thread, in a session of the same engine with
 * the same settings, so the outputs are the same; blocking the calling thread for under
 * INLINE_BELOW_MS is not noticeable to the page or the CLI. The worker's own timings of the
 * first runs (a package's self-tests) decide, per image, so a batched run (saliency's
 * perturbed images) still goes to the worker when it would take longer.
 */
import type { EngineInfo, ModelSession, OutputTensor } from '../portable/engine.ts';

/** A run predicted to take less than this on the calling thread stays there. */
export const INLINE_BELOW_MS = 3;
/** Worker runs timed before deciding; the median is used (the first run warms caches). */
export const TIMED_RUNS = 3;

type Feeds = Parameters<ModelSession['run']>[0];

export interface RemoteRuns {
  /** One run on the worker, with the worker's own time for it (no hop included). */
  run(feeds: Feeds): Promise<{ outputs: Record<string, OutputTensor>; runMs: number }>;
}

/** Images in a run: the batch dimension of its first input. */
function imagesIn(feeds: Feeds): number {
  const first = Object.values(feeds)[0];
  return Math.max(1, first?.dims[0] ?? 1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface PlacedSession {
  run: ModelSession['run'];
  /** The engine and where this session's runs go now, for the results they make. */
  engine(): EngineInfo;
  /** Releases the calling thread's session, if one was made. */
  release(): Promise<void>;
}

/**
 * `openInline` makes the calling thread's session (undefined: no such engine here, so every
 * run goes to the worker).
 */
export function placeSession(
  remote: RemoteRuns,
  info: EngineInfo,
  openInline?: () => Promise<ModelSession>,
): PlacedSession {
  const timings: number[] = [];
  let perImageMs: number | undefined;
  let inline: Promise<ModelSession | undefined> | undefined;
  let inlineReady: ModelSession | undefined;

  const decide = () => {
    perImageMs = median(timings);
    if (!openInline || perImageMs >= INLINE_BELOW_MS) return;
    inline = openInline().then(
      (session) => (inlineReady = session),
      () => undefined, // the worker keeps running it
    );
  };

  return {
    async run(feeds) {
      const images = imagesIn(feeds);
      if (inlineReady && perImageMs! * images < INLINE_BELOW_MS) return inlineReady.run(feeds);
      const { outputs, runMs } = await remote.run(feeds);
      if (perImageMs === undefined) {
        timings.push(runMs / images);
        if (timings.length >= TIMED_RUNS) decide();
      }
      return outputs;
    },
    engine() {
      if (!inlineReady)
        return {
          ...info,
          reason: `${info.reason}, in a worker thread`,
          placement: { thread: 'worker' },
        };
      return {
        ...info,
        reason: `${info.reason}, on the calling thread (${perImageMs!.toFixed(2)} ms per image: the hop to the worker thread would cost more than it frees)`,
        placement: { thread: 'caller', perImageMs },
      };
    },
    async release() {
      await (await inline)?.release();
    },
  };
}
