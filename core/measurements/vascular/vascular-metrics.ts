/**
 * Plus-disease vascular metrics from a vessel mask: a measurement for the reader, not a
 * diagnosis. Steps: locate the optic disc; skeletonise the vessels; split the centre lines
 * into segments; keep the parts inside the posterior pole (between the disc margin and
 * POSTERIOR_POLE_DD disc diameters from its centre); measure each segment's tortuosity
 * index, integrated curvature and mean width; summarise per quadrant around the disc.
 *
 * Severity indicator (documented in models/retina-vessels/CARD.md): the length-weighted
 * mean tortuosity index of the major posterior-pole vessels (at least 0.8 × as wide as
 * the median segment), compared with published arteriolar TI figures from the RISA
 * analysis of expert plus-disease diagnosis (IOVS ARVO abstract 2365547): 1.07 in eyes
 * without plus, 1.15 in the ICROP standard published photograph, 1.23 in eyes with plus.
 * Each quadrant scores 0 (TI < 1.15), 1 (1.15–1.23) or 2 (≥ 1.23), summed 0–8 like
 * ROPtool's quadrant-based Plus Index (Wallace et al.). Widths are reported in pixels and
 * disc diameters; no published width threshold transfers across cameras, so width does
 * not enter the indicator.
 */
import type { BinaryMask } from '../binary-mask.ts';
import { distanceToBackground } from './distance-transform.ts';
import { locateOpticDisc, type OpticDisc } from './optic-disc.ts';
import { skeletonize } from './skeleton.ts';
import { centreLineShape } from './tortuosity.ts';
import { vesselSegments } from './vessel-segments.ts';

export const POSTERIOR_POLE_DD = 5; // zone I: twice the disc–fovea distance, ≈ 2 × 2.5 DD
export const TI_STANDARD_PHOTOGRAPH = 1.15;
export const TI_PLUS_MEAN = 1.23;
/** Segments shorter than this (in disc diameters) are too short for a shape measure. */
const MIN_SEGMENT_DD = 0.5;
/** Major vessels: at least this share of the median segment width (capillary-size branches drop out). */
const MAJOR_WIDTH_SHARE = 0.8;

export type Laterality = 'OD' | 'OS' | undefined;
export type QuadrantName = 'superotemporal' | 'inferotemporal' | 'superonasal' | 'inferonasal' | 'upper-left' | 'upper-right' | 'lower-left' | 'lower-right';

export interface MeasuredVessel {
  quadrant: QuadrantName;
  lengthPx: number;
  tortuosityIndex: number;
  curvaturePerDD: number;
  meanWidthPx: number;
  major: boolean;
  /** Centre-line pixels (y * width + x), for the overlay. */
  pixels: number[];
}

export interface QuadrantSummary {
  quadrant: QuadrantName;
  vessels: number;
  majorVessels: number;
  meanTortuosityIndex: number | null;
  maxTortuosityIndex: number | null;
  meanCurvaturePerDD: number | null;
  meanWidthPx: number | null;
  meanWidthDD: number | null;
  score: 0 | 1 | 2 | null;
}

export interface VascularMetrics {
  opticDisc: OpticDisc;
  posteriorPoleRadiusPx: number;
  laterality: 'OD' | 'OS' | 'unknown';
  vessels: MeasuredVessel[];
  quadrants: QuadrantSummary[];
  severity: {
    meanTortuosityIndex: number | null;
    quadrantScoreSum: number;
    quadrantsMeasured: number;
    category: 'insufficient vessels' | 'below standard photograph' | 'between standard photograph and plus mean' | 'at or above plus mean';
  };
}

function quadrantOf(dx: number, dy: number, laterality: Laterality): QuadrantName {
  const upper = dy < 0;
  const left = dx < 0;
  if (!laterality) return upper ? (left ? 'upper-left' : 'upper-right') : left ? 'lower-left' : 'lower-right';
  // Fundus images are seen from the front: the fovea (temporal) is left of the disc in a right eye.
  const temporal = laterality === 'OD' ? left : !left;
  return upper ? (temporal ? 'superotemporal' : 'superonasal') : temporal ? 'inferotemporal' : 'inferonasal';
}

function scoreOf(ti: number): 0 | 1 | 2 {
  return ti >= TI_PLUS_MEAN ? 2 : ti >= TI_STANDARD_PHOTOGRAPH ? 1 : 0;
}

function weightedMean(items: MeasuredVessel[], pick: (v: MeasuredVessel) => number): number | null {
  let sum = 0;
  let weight = 0;
  for (const v of items) {
    sum += pick(v) * v.lengthPx;
    weight += v.lengthPx;
  }
  return weight > 0 ? sum / weight : null;
}

export function vascularMetrics(luma: Uint8Array, field: BinaryMask, vessels: BinaryMask, options: { laterality?: Laterality; discDiameterPx?: number } = {}): VascularMetrics {
  const { width } = vessels;
  const disc = locateOpticDisc(luma, field, vessels, options.discDiameterPx);
  const dd = disc.diameter;
  const inner = dd / 2;
  const outer = POSTERIOR_POLE_DD * dd;
  const distance = distanceToBackground(vessels);
  const segments = vesselSegments(skeletonize(vessels));

  const measured: Omit<MeasuredVessel, 'major'>[] = [];
  for (const segment of segments) {
    // The longest run of the chain inside the posterior pole and the field of view.
    let best: number[] = [];
    let run: number[] = [];
    for (const p of segment.pixels) {
      const x = p % width;
      const y = (p - x) / width;
      const r = Math.hypot(x - disc.x, y - disc.y);
      if (r >= inner && r <= outer && field.data[p]) run.push(p);
      else {
        if (run.length > best.length) best = run;
        run = [];
      }
    }
    if (run.length > best.length) best = run;
    if (best.length < MIN_SEGMENT_DD * dd) continue;
    const points = best.map((p) => ({ x: p % width, y: Math.floor(p / width) }));
    const shape = centreLineShape(points, Math.max(3, dd / 20));
    if (shape.arcLength < MIN_SEGMENT_DD * dd || !Number.isFinite(shape.tortuosityIndex)) continue;
    let widthSum = 0;
    for (const p of best) widthSum += 2 * distance[p]! - 1;
    const mid = points[Math.floor(points.length / 2)]!;
    measured.push({
      quadrant: quadrantOf(mid.x - disc.x, mid.y - disc.y, options.laterality),
      lengthPx: shape.arcLength,
      tortuosityIndex: shape.tortuosityIndex,
      curvaturePerDD: shape.curvaturePerPixel * dd,
      meanWidthPx: widthSum / best.length,
      pixels: best,
    });
  }
  const widths = measured.map((v) => v.meanWidthPx).sort((a, b) => a - b);
  const medianWidth = widths.length ? widths[Math.floor(widths.length / 2)]! : 0;
  const all: MeasuredVessel[] = measured.map((v) => ({ ...v, major: v.meanWidthPx >= MAJOR_WIDTH_SHARE * medianWidth }));

  const names: QuadrantName[] = options.laterality ? ['superotemporal', 'inferotemporal', 'superonasal', 'inferonasal'] : ['upper-left', 'upper-right', 'lower-left', 'lower-right'];
  const quadrants: QuadrantSummary[] = names.map((quadrant) => {
    const inQuadrant = all.filter((v) => v.quadrant === quadrant);
    const major = inQuadrant.filter((v) => v.major);
    const ti = weightedMean(major, (v) => v.tortuosityIndex);
    const w = weightedMean(major, (v) => v.meanWidthPx);
    return {
      quadrant,
      vessels: inQuadrant.length,
      majorVessels: major.length,
      meanTortuosityIndex: ti,
      maxTortuosityIndex: major.length ? Math.max(...major.map((v) => v.tortuosityIndex)) : null,
      meanCurvaturePerDD: weightedMean(major, (v) => v.curvaturePerDD),
      meanWidthPx: w,
      meanWidthDD: w === null ? null : w / dd,
      score: ti === null ? null : scoreOf(ti),
    };
  });
  const measuredQuadrants = quadrants.filter((q) => q.score !== null);
  const meanTi = weightedMean(all.filter((v) => v.major), (v) => v.tortuosityIndex);
  const category = measuredQuadrants.length < 2 || meanTi === null ? 'insufficient vessels' : meanTi >= TI_PLUS_MEAN ? 'at or above plus mean' : meanTi >= TI_STANDARD_PHOTOGRAPH ? 'between standard photograph and plus mean' : 'below standard photograph';
  return {
    opticDisc: disc,
    posteriorPoleRadiusPx: outer,
    laterality: options.laterality ?? 'unknown',
    vessels: all,
    quadrants,
    severity: { meanTortuosityIndex: meanTi, quadrantScoreSum: measuredQuadrants.reduce((s, q) => s + q.score!, 0), quadrantsMeasured: measuredQuadrants.length, category },
  };
}

/** RGBA overlay: measured centre lines (3 px wide) coloured by tortuosity — green below the
 * standard photograph, amber up to the plus mean, red at or above it; minor vessels paler. */
export function tortuosityOverlay(metrics: VascularMetrics, width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (const v of metrics.vessels) {
    const colour = v.tortuosityIndex >= TI_PLUS_MEAN ? [230, 40, 40] : v.tortuosityIndex >= TI_STANDARD_PHOTOGRAPH ? [245, 170, 20] : [40, 200, 80];
    const alpha = v.major ? 255 : 150;
    for (const p of v.pixels) {
      const x0 = p % width;
      const y0 = (p - x0) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = x0 + dx;
          const y = y0 + dy;
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          const o = (y * width + x) * 4;
          rgba[o] = colour[0]!;
          rgba[o + 1] = colour[1]!;
          rgba[o + 2] = colour[2]!;
          rgba[o + 3] = Math.max(rgba[o + 3]!, alpha);
        }
      }
    }
  }
  return rgba;
}
