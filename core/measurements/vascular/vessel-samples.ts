/**
 * Points along the vessel centre lines, every few pixels, with the vessel's width and
 * direction there: what the disc search scores candidates with.
 */
import { percentile } from './percentile.ts';
import type { VesselSegment } from './vessel-segments.ts';

/**
 * A point along a vessel centre line with its width, its local direction (tx, ty) and the
 * direction of the vessel's course there (lx, ly): a meandering vessel's local direction
 * swings from side to side, its course does not.
 */
export interface VesselSample {
  x: number;
  y: number;
  tx: number;
  ty: number;
  lx: number;
  ly: number;
  width: number;
}

function unit(
  pixels: number[],
  from: number,
  to: number,
  width: number,
): [number, number] | undefined {
  const a = pixels[from]!;
  const b = pixels[to]!;
  const dx = (b % width) - (a % width);
  const dy = Math.floor(b / width) - Math.floor(a / width);
  const n = Math.hypot(dx, dy);
  return n === 0 ? undefined : [dx / n, dy / n];
}

/**
 * Centre-line points every `step` px with their width, the local direction (over ±`reach`
 * px) and, with `course`, the vessels' course there (else the local direction again).
 */
export function vesselSamples(
  segments: VesselSegment[],
  distance: Float32Array,
  width: number,
  step: number,
  reach: number,
  course?: (x: number, y: number) => [number, number],
): VesselSample[] {
  const out: VesselSample[] = [];
  for (const { pixels } of segments) {
    // Short segments (between close branch points) get a shorter reach, down to 2 px.
    const r = Math.min(reach, Math.floor((pixels.length - 1) / 2));
    if (r < 2) continue;
    for (let i = r; i < pixels.length - r; i += step) {
      const t = unit(pixels, i - r, i + r, width);
      if (!t) continue;
      const p = pixels[i]!;
      const x = p % width;
      const y = Math.floor(p / width);
      const l = course ? course(x, y) : t;
      out.push({
        x,
        y,
        tx: t[0],
        ty: t[1],
        lx: l[0],
        ly: l[1],
        width: Math.max(1, 2 * distance[p]! - 1),
      });
    }
  }
  return out;
}

/** Width of the thick vessels: the 85th percentile of centre-line widths. */
export function majorVesselWidth(samples: VesselSample[]): number {
  const widths = new Float64Array(samples.length);
  for (let k = 0; k < samples.length; k++) widths[k] = samples[k]!.width;
  return Math.max(1, percentile(widths, 0.85));
}
