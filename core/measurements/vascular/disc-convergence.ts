/**
 * Radial convergence of the vessels on a candidate disc centre: about the number of thick
 * vessels radiating from the point (see optic-disc.ts for how it is used).
 *
 * The disc search scores some fifteen thousand grid candidates against a few thousand
 * vessel samples each, and only a sample within the ring around a candidate counts. So the
 * grid is scored the other way round: each sample, in order, adds its share to the
 * candidates whose ring it lies in, found from the grid's spacing. Every candidate still
 * receives the same shares, computed the same way, in the same sample order, so its score
 * is the same to the last bit as scoring it alone (convergenceAt).
 */
import type { VesselSample } from './vessel-samples.ts';

/** The samples in typed arrays, for the hot loops. */
export interface PackedSamples {
  count: number;
  x: Float64Array;
  y: Float64Array;
  tx: Float64Array;
  ty: Float64Array;
  lx: Float64Array;
  ly: Float64Array;
  weight: Float32Array;
}

/** The ring around a candidate in which vessels count (px), and the samples' spacing. */
export interface ConvergenceRing {
  r0: number;
  r1: number;
  step: number;
}

export function packSamples(samples: VesselSample[], weights: Float32Array): PackedSamples {
  const count = samples.length;
  const packed: PackedSamples = {
    count,
    x: new Float64Array(count),
    y: new Float64Array(count),
    tx: new Float64Array(count),
    ty: new Float64Array(count),
    lx: new Float64Array(count),
    ly: new Float64Array(count),
    weight: Float32Array.from(weights),
  };
  for (let k = 0; k < count; k++) {
    const s = samples[k]!;
    packed.x[k] = s.x;
    packed.y[k] = s.y;
    packed.tx[k] = s.tx;
    packed.ty[k] = s.ty;
    packed.lx[k] = s.lx;
    packed.ly[k] = s.ly;
  }
  return packed;
}

/** Normalised so that one vessel radiating through the whole ring scores 1. */
function normalised(sum: number, ring: ConvergenceRing): number {
  return (sum * ring.step) / (2 * (Math.sqrt(ring.r1) - Math.sqrt(ring.r0)));
}

/**
 * A sample's share of a candidate's score, with (dx, dy) from the candidate to the sample
 * at (x, y) and d2 = dx² + dy², (tx, ty) its local direction, (lx, ly) its course and w its
 * weight; `tdy` and `ldy` are ty × dy and ly × dy. 0 outside the ring, or where the vessel
 * runs more across than along the radius.
 */
function radialShare(
  dx: number,
  d2: number,
  tx: number,
  tdy: number,
  lx: number,
  ldy: number,
  w: number,
  r0s: number,
  r1s: number,
): number {
  if (d2 < r0s || d2 > r1s) return 0;
  const c = Math.max(Math.abs(tx * dx + tdy), Math.abs(lx * dx + ldy));
  // Radial runs count (sharply: 1 along the radius, ¼ at 30° off), runs across count 0: the
  // dark rim of an infant's disc and the camera's rim are often segmented as vessels. The
  // better of the local direction and the vessels' course counts, so meandering vessels count too.
  // More than 45° off (c² ≤ d2 / 2, so the rounded c² / d2 is at most ½) counts nothing,
  // known before the division.
  if (c * c <= 0.5 * d2) return 0;
  const along = 2 * ((c * c) / d2) - 1;
  // Nearer the disc counts more (weight ∝ 1/√r): vessels are straightest there, even in plus disease.
  return along > 0 ? (w * along * along) / Math.sqrt(Math.sqrt(d2)) : 0;
}

/** Radial-convergence score of a point: ≈ number of thick vessels radiating from it. */
export function convergenceAt(
  samples: PackedSamples,
  x: number,
  y: number,
  ring: ConvergenceRing,
): number {
  const { tx, ty, lx, ly, weight } = samples;
  const r0s = ring.r0 * ring.r0;
  const r1s = ring.r1 * ring.r1;
  let s = 0;
  for (let k = 0; k < samples.count; k++) {
    const dx = samples.x[k]! - x;
    const dy = samples.y[k]! - y;
    const d2 = dx * dx + dy * dy;
    // Adding a share of 0 leaves the (non-negative) sum as it is.
    s += radialShare(dx, d2, tx[k]!, ty[k]! * dy, lx[k]!, ly[k]! * dy, weight[k]!, r0s, r1s);
  }
  return normalised(s, ring);
}

/**
 * The grid lines (`count` of them, `spacing` apart from `start`) that may lie within
 * [from, to], with two lines to spare on each side: indices first … end − 1.
 */
function firstLine(from: number, start: number, spacing: number): number {
  return Math.max(0, Math.floor((from - start) / spacing) - 2);
}

function endLine(to: number, start: number, spacing: number, count: number): number {
  return Math.min(count, Math.max(0, Math.floor((to - start) / spacing) + 3));
}

/**
 * convergenceAt for every candidate of a grid: columns at `xs`, rows at `ys` (both
 * increasing, `spacing` apart up to rounding), row-major. Each sample tries the candidates
 * within two grid lines of its ring's reach, a margin far beyond the rounding of the grid's
 * coordinates; the ring test itself decides.
 */
export function convergenceOnGrid(
  samples: PackedSamples,
  xs: Float64Array,
  ys: Float64Array,
  spacing: number,
  ring: ConvergenceRing,
): Float64Array {
  const r0s = ring.r0 * ring.r0;
  const r1s = ring.r1 * ring.r1;
  const columns = xs.length;
  const rows = ys.length;
  const sums = new Float64Array(columns * rows);
  for (let k = 0; k < samples.count; k++) {
    const px = samples.x[k]!;
    const py = samples.y[k]!;
    const tx = samples.tx[k]!;
    const ty = samples.ty[k]!;
    const lx = samples.lx[k]!;
    const ly = samples.ly[k]!;
    const w = samples.weight[k]!;
    const toRow = endLine(py + ring.r1, ys[0]!, spacing, rows);
    for (let row = firstLine(py - ring.r1, ys[0]!, spacing); row < toRow; row++) {
      const dy = py - ys[row]!;
      const dy2 = dy * dy;
      if (dy2 > r1s) continue;
      const reach = Math.sqrt(r1s - dy2);
      const fromColumn = firstLine(px - reach, xs[0]!, spacing);
      const toColumn = endLine(px + reach, xs[0]!, spacing, columns);
      const tdy = ty * dy;
      const ldy = ly * dy;
      for (
        let column = fromColumn, i = row * columns + fromColumn;
        column < toColumn;
        column++, i++
      ) {
        const dx = px - xs[column]!;
        sums[i]! += radialShare(dx, dx * dx + dy2, tx, tdy, lx, ldy, w, r0s, r1s);
      }
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = normalised(sums[i]!, ring);
  return sums;
}
