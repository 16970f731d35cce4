/**
 * The plus-disease vascular metrics of one image (disc search, skeleton, traces, shape
 * measures), timed on real vessel maps against one plain pass over the same maps (threshold
 * the probability map and count the vessel pixels) measured in the same rounds, so the figure
 * reads "the metrics cost N image passes" and moves little with the machine or its load.
 */
import { readFileSync } from 'node:fs';
import { analyzeImage } from '../../../inference/analyze-image.ts';
import type { LoadedModel } from '../../../inference/load-package.ts';
import { decodePhotoFrame } from '../../../library/photo-export.ts';
import { thresholdMap, type BinaryMask } from '../../binary-mask.ts';
import { fundusField, type ProbabilityMapOnImage } from '../../derive-measurements.ts';
import { vascularMetrics } from '../vascular-metrics.ts';

/** What the metrics start from: the photograph's grey and field of view, and the vessel map. */
export interface VesselMapInput {
  name: string;
  luma: Uint8Array;
  field: BinaryMask;
  map: ProbabilityMapOnImage;
}

export interface VascularFigures {
  images: number;
  /** Mean pixels per image. */
  pixels: number;
  /** Per image: the median round's time over all images, divided by their number. */
  referenceMs: number;
  metricsMs: number;
}

/** The vessel model's maps on photographs, as the CLI and the service make them. */
export async function vesselMapsOf(files: string[], model: LoadedModel): Promise<VesselMapInput[]> {
  const inputs: VesselMapInput[] = [];
  for (const file of files) {
    const frame = await decodePhotoFrame(new Uint8Array(readFileSync(file)), 'bench', file);
    const map = (await analyzeImage(frame, model, 'none')).probabilityMap;
    if (!map) throw new Error(`${model.manifest.id} gave no probability map for ${file}`);
    inputs.push({ name: file, ...fundusField(frame), map });
  }
  return inputs;
}

/** The reference pass: threshold the map and count the vessel pixels. */
function thresholdAndCount(map: ProbabilityMapOnImage): number {
  const mask = thresholdMap(map.values, map.width, map.height, map.threshold);
  let count = 0;
  for (let i = 0; i < mask.data.length; i++) count += mask.data[i]!;
  return count;
}

/** The metrics as deriveMeasurement makes them from the map (its overlay left out). */
function metricsOf({ luma, field, map }: VesselMapInput): void {
  vascularMetrics(luma, field, thresholdMap(map.values, map.width, map.height, map.threshold));
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Times the metrics on every map against the reference pass: `repeats` rounds after a
 * warm-up round, each timing the reference and then the metrics over all maps, so that a
 * change in the machine's load during the run touches both alike.
 */
export function benchVascularMetrics(inputs: VesselMapInput[], repeats = 7): VascularFigures {
  if (!inputs.length) throw new Error('no vessel maps to time');
  const perImageMs = (run: (input: VesselMapInput) => unknown) => {
    const started = performance.now();
    inputs.forEach(run);
    return (performance.now() - started) / inputs.length;
  };
  const reference: number[] = [];
  const metrics: number[] = [];
  for (let round = 0; round <= repeats; round++) {
    const r = perImageMs(({ map }) => thresholdAndCount(map));
    const m = perImageMs(metricsOf);
    if (round === 0) continue;
    reference.push(r);
    metrics.push(m);
  }
  const pixels = inputs.reduce((s, i) => s + i.map.width * i.map.height, 0) / inputs.length;
  return {
    images: inputs.length,
    pixels,
    referenceMs: median(reference),
    metricsMs: median(metrics),
  };
}

export function formatVascularFigures(f: VascularFigures): string {
  return [
    `\nPlus-disease vascular metrics, ${f.images} vessel maps of ${(f.pixels / 1e6).toFixed(2)} Mpx on average (median of rounds; ratio to one threshold-and-count pass in the same rounds)`,
    `threshold and count (reference)  ${f.referenceMs.toFixed(2).padStart(8)} ms/image`,
    `vascular metrics                 ${f.metricsMs.toFixed(1).padStart(8)} ms/image  ${(f.metricsMs / f.referenceMs).toFixed(0)}×`,
  ].join('\n');
}
