/**
 * Finds the optic disc, or says it cannot: every major retinal vessel leaves the disc, so
 * around the disc the thick vessels run radially, and the disc is usually (not always, in
 * dim infant images) brighter than its surroundings. Candidates on a grid that reaches a
 * quarter of the field (FIELD = width of the field of view) beyond the image (an infant's
 * disc is often at the edge of the image or off it) are scored by
 *
 * - convergence: vessel centre line within [FIELD/20, FIELD/3] of the candidate that runs
 *   radially to it. Each point counts (2cos²θ − 1)² where positive (θ between the vessel and
 *   the line to the candidate; the better of the vessel's local direction and its course,
 *   read from the structure tensor over a meander's length, so tortuous vessels still count),
 *   weighted by the vessel's width (full at 0.6 × the thick-vessel width) and by 1/√r (vessels
 *   are straightest near the disc), normalised so that one vessel radiating through the whole
 *   ring scores 1: about the number of thick vessels radiating from the point;
 * - brightness: disc-sized centre minus its surround (vessel pixels left out), in robust
 *   standard deviations of the brightness around it, best over disc sizes FIELD/22 … FIELD/5;
 *
 * score = convergence × (1 + BRIGHTNESS_BOOST × (brightness − 2), 0 … 8 counted). The best
 * candidate must lie inside the field of view: when it lies outside, the vessels converge on
 * a disc that is not in the image, and the result says so.
 *
 * Confidence in 0..1 from the convergence strength (0 at CONVERGENCE_NONE, 1 at
 * CONVERGENCE_FULL), the margin over the best candidate at least FIELD/6 away, and brightness
 * support. Below DISC_CONFIDENCE_MIN the result is "not found" with the reason (and the
 * unconfirmed candidate, for the reader to start from); the reader can place the disc.
 *
 * The disc diameter (DD), the unit of every distance in the vascular metrics, comes from
 * the reader, else from the disc's edge (the outermost steep fall of the brightness profile
 * around the centre), else from the width of the major vessels (DD ≈ VESSEL_WIDTHS_PER_DD ×
 * their width). The result says which.
 *
 * The constants were set on the shared retina images (see VASCULAR-VALIDATION.md): the
 * developer's by-eye disc marks on the infant images and the known absence of a disc in the
 * HVDROPDB peripheral views. They are detection settings, not the plus-disease thresholds.
 */
import type { BinaryMask } from '../binary-mask.ts';
import {
  convergenceAt,
  convergenceOnGrid,
  packSamples,
  type ConvergenceRing,
} from './disc-convergence.ts';
import {
  blobContrast,
  brightnessGrids,
  edgeRadius,
  robustSpread,
  type Grid,
} from './disc-brightness.ts';
import { distanceToBackground } from './distance-transform.ts';
import { histogramPercentile } from './percentile.ts';
import { bestScoreApart, leadingIndices, searchGrid } from './search-grid.ts';
import { skeletonize } from './skeleton.ts';
import { vesselCourse } from './vessel-course.ts';
import { majorVesselWidth, vesselSamples } from './vessel-samples.ts';
import { vesselSegments, type VesselSegment } from './vessel-segments.ts';

export { convergenceAt, packSamples, type PackedSamples } from './disc-convergence.ts';
export { vesselCourse } from './vessel-course.ts';
export { majorVesselWidth, vesselSamples, type VesselSample } from './vessel-samples.ts';

/**
 * Brightness raises a candidate's score by this share per standard deviation above 2 (at
 * most 8 counted): a tie-breaker rather than a lead, because infant discs are often no
 * brighter than the retina around them (2–5 local standard deviations in the shared infant
 * images, as are bright patches elsewhere), while adult discs stand out (3–16).
 */
const BRIGHTNESS_BOOST = 0.06;
/**
 * Convergence scale for the confidence: at or below CONVERGENCE_NONE nothing converges (the
 * shared images without a disc in view peak at 1.2–1.6), at CONVERGENCE_FULL and above it is
 * as strong as at a clearly imaged disc (the shared adult and child images reach 5–13; the
 * infant video frames only 3.1–6.6, so their confidence rests more on the margin).
 */
const CONVERGENCE_NONE = 2;
const CONVERGENCE_FULL = 6.5;
/** Below this the disc is reported as not found rather than guessed. */
export const DISC_CONFIDENCE_MIN = 0.5;
/**
 * Disc diameter in major-vessel widths (85th percentile of the segmented centre-line widths)
 * when the disc edge cannot be seen. On the shared images the ratio is about 10 for the
 * infant images (Ostrava, VEVIO) and 16–18 for the adult and child 30–45° cameras (DRIVE,
 * CHASE_DB1), whose vessels the segmentation draws relatively thinner; the infant value is
 * used, as infants are what this is for. A scale estimate, flagged as such in every result.
 */
export const VESSEL_WIDTHS_PER_DD = 10;

export type DiameterSource =
  | 'measured by the reader'
  | 'measured from the disc edge'
  | 'estimated from major-vessel width (disc edge not clear)';

/** A disc the reader placed, in image pixels. */
export interface ReaderDisc {
  x: number;
  y: number;
  radiusPx?: number;
}

export interface DiscEvidence {
  /** ≈ number of thick vessels radiating from the point. */
  radiatingVessels: number;
  /** Disc-sized brightness contrast, robust standard deviations of the field. */
  brightness: number;
  /** 1 − second-best score / best score (second best at least a disc's reach away). */
  margin: number;
}

export interface FoundDisc {
  found: true;
  source: 'detected' | 'reader';
  /** 0..1; 1 for a reader-placed disc. */
  confidence: number;
  x: number;
  y: number;
  diameterPx: number;
  diameterSource: DiameterSource;
  evidence?: DiscEvidence;
}

export interface MissingDisc {
  found: false;
  source: 'not-found';
  confidence: number;
  reason: string;
  /** Where the vessels converge best, when that is outside the image (for the reader's orientation). */
  convergesToward?: { x: number; y: number };
  /** The best in-field candidate when its confidence was too low: not used for any metric, only a starting point for the reader. */
  unconfirmedCandidate?: { x: number; y: number };
  evidence?: DiscEvidence;
}

export type DiscResult = FoundDisc | MissingDisc;

export interface DiscInputs {
  luma: Uint8Array;
  field: BinaryMask;
  vessels: BinaryMask;
  /** Precomputed by the caller to avoid doing it twice. */
  segments?: VesselSegment[];
  distance?: Float32Array;
}

interface FieldGeometry {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  width: number;
}

function fieldGeometry(field: BinaryMask): FieldGeometry {
  const { width, height, data } = field;
  let minX = Infinity;
  let maxX = -1;
  let minY = Infinity;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let first = 0;
    while (first < width && !data[row + first]) first++;
    if (first === width) continue;
    let last = width - 1;
    while (!data[row + last]) last--;
    if (first < minX) minX = first;
    if (last > maxX) maxX = last;
    if (y < minY) minY = y;
    maxY = y;
  }
  if (maxX < 0)
    return { minX: 0, maxX: field.width - 1, minY: 0, maxY: field.height - 1, width: field.width };
  return { minX, maxX, minY, maxY, width: maxX - minX + 1 };
}

function inField(field: BinaryMask, x: number, y: number): boolean {
  const xi = Math.round(x);
  const yi = Math.round(y);
  return (
    xi >= 0 &&
    yi >= 0 &&
    xi < field.width &&
    yi < field.height &&
    field.data[yi * field.width + xi] === 1
  );
}

/** Brightness grid cells: about 160 across the field. */
function brightnessCell(fieldWidth: number): number {
  return Math.max(1, Math.round(fieldWidth / 160));
}

/** The disc diameter at a known centre: reader's radius, else the disc edge, else major-vessel width. */
export function discDiameterAt(
  inputs: DiscInputs,
  x: number,
  y: number,
  majorWidth: number,
): { diameterPx: number; diameterSource: DiameterSource } {
  const geometry = fieldGeometry(inputs.field);
  const cell = brightnessCell(geometry.width);
  const { raw } = brightnessGrids(inputs.luma, inputs.field, inputs.vessels, cell, 255);
  return diameterFromEdge(inputs, geometry, raw, x, y, majorWidth);
}

/** discDiameterAt with the field's geometry and its unclipped brightness grid at hand. */
function diameterFromEdge(
  inputs: DiscInputs,
  geometry: FieldGeometry,
  raw: Grid,
  x: number,
  y: number,
  majorWidth: number,
): { diameterPx: number; diameterSource: DiameterSource } {
  const fw = geometry.width;
  const noise = robustSpread(raw, Math.round(fw / 10 / raw.cell));
  const r = edgeRadius(inputs.luma, inputs.field, inputs.vessels, x, y, fw / 44, fw / 10, noise);
  if (r !== undefined) return { diameterPx: 2 * r, diameterSource: 'measured from the disc edge' };
  return {
    diameterPx: Math.min(fw / 5, Math.max(fw / 22, VESSEL_WIDTHS_PER_DD * majorWidth)),
    diameterSource: 'estimated from major-vessel width (disc edge not clear)',
  };
}

export interface DiscSearch {
  disc: DiscResult;
  /** Vessel samples and thick-vessel width, reused by the caller. */
  majorWidth: number;
}

interface Candidate {
  x: number;
  y: number;
  conv: number;
  bright: number;
  score: number;
  inside: boolean;
}

function scoreOf(conv: number, bright: number): number {
  return Math.max(0, conv) * (1 + BRIGHTNESS_BOOST * Math.min(8, Math.max(0, bright - 2)));
}

/** Detects the disc (or reports it missing); with `reader`, uses the reader's disc instead. */
export function findOpticDisc(inputs: DiscInputs, reader?: ReaderDisc): DiscSearch {
  const { luma, field, vessels } = inputs;
  const { width } = field;
  const geometry = fieldGeometry(field);
  const fw = geometry.width;
  const distance = inputs.distance ?? distanceToBackground(vessels);
  const segments = inputs.segments ?? vesselSegments(skeletonize(vessels));
  const step = Math.max(2, Math.round(fw / 200));
  const course = vesselCourse(vessels, fw, fw / 10);
  const samples = vesselSamples(
    segments,
    distance,
    width,
    step,
    Math.max(2, Math.round(fw / 160)),
    course,
  ).filter((s) => inField(field, s.x, s.y));
  const majorWidth = majorVesselWidth(samples);

  if (reader) {
    const diameter =
      reader.radiusPx && reader.radiusPx > 0
        ? { diameterPx: 2 * reader.radiusPx, diameterSource: 'measured by the reader' as const }
        : discDiameterAt({ ...inputs, distance, segments }, reader.x, reader.y, majorWidth);
    return {
      disc: { found: true, source: 'reader', confidence: 1, x: reader.x, y: reader.y, ...diameter },
      majorWidth,
    };
  }

  // Thick vessels count fully (at least 60% of the thick-vessel width), thinner ones in proportion.
  const weights = new Float32Array(samples.length);
  for (let k = 0; k < samples.length; k++)
    weights[k] = Math.min(1, samples[k]!.width / (0.6 * majorWidth));
  const packed = packSamples(samples, weights);
  const ring: ConvergenceRing = { r0: fw / 20, r1: fw / 3, step };

  // Brightness grid: specular glints are clipped at the field's 99.8th percentile of brightness.
  const fieldLuma = new Float64Array(256);
  for (let i = 0; i < luma.length; i += 7) if (field.data[i]) fieldLuma[luma[i]!]!++;
  const clip = histogramPercentile(fieldLuma, 0.998);
  const bcell = brightnessCell(fw);
  const { clipped: grid, raw } = brightnessGrids(luma, field, vessels, bcell, clip);
  const noise = robustSpread(grid, Math.round(fw / 10 / bcell));
  const diameters: number[] = [];
  for (let d = fw / 22; d <= fw / 5; d *= 1.2) diameters.push(d);

  const brightnessAt = (x: number, y: number) =>
    inField(field, x, y) ? Math.max(0, blobContrast(grid, x, y, diameters).contrast / noise) : 0;
  const candidateAt = (x: number, y: number, conv: number, bright: number): Candidate => ({
    x,
    y,
    conv,
    bright,
    score: scoreOf(conv, bright),
    inside: inField(field, x, y),
  });
  const evaluate = (x: number, y: number) =>
    candidateAt(x, y, convergenceAt(packed, x, y, ring), brightnessAt(x, y));

  // Coarse search over the image and a margin of a quarter field around it.
  const cell = Math.max(2, fw / 80);
  const coarse = searchGrid(geometry, cell, fw / 4);
  const columns = coarse.xs.length;
  const convergence = convergenceOnGrid(packed, coarse.xs, coarse.ys, cell, ring);
  const brightness = new Float64Array(convergence.length);
  const scores = new Float64Array(convergence.length);
  for (let i = 0; i < scores.length; i++) {
    brightness[i] = brightnessAt(coarse.xs[i % columns]!, coarse.ys[Math.floor(i / columns)]!);
    scores[i] = scoreOf(convergence[i]!, brightness[i]!);
  }
  const leaders = leadingIndices(scores, 6).map((i) =>
    candidateAt(
      coarse.xs[i % columns]!,
      coarse.ys[Math.floor(i / columns)]!,
      convergence[i]!,
      brightness[i]!,
    ),
  );
  // Refine the few best on a finer grid.
  const refined = leaders.map((c) => {
    let best = c;
    for (let dy = -cell; dy <= cell; dy += cell / 3) {
      for (let dx = -cell; dx <= cell; dx += cell / 3) {
        const e = evaluate(c.x + dx, c.y + dy);
        if (e.score > best.score) best = e;
      }
    }
    return best;
  });
  refined.sort((a, b) => b.score - a.score);
  const best = refined[0];
  if (!best || best.score <= 0) {
    return {
      disc: {
        found: false,
        source: 'not-found',
        confidence: 0,
        reason: 'no vessels converge anywhere in or near the image',
      },
      majorWidth,
    };
  }
  const apart = fw / 6;
  const second = bestScoreApart(coarse, scores, best.x, best.y, apart);
  const margin01 = second !== undefined ? Math.max(0, Math.min(1, 1 - second / best.score)) : 1;
  const strength = Math.max(
    0,
    Math.min(1, (best.conv - CONVERGENCE_NONE) / (CONVERGENCE_FULL - CONVERGENCE_NONE)),
  );
  const brightSupport = Math.max(0, Math.min(1, (best.bright - 2) / 6));
  // Convergence and brightness are two pieces of evidence; each counts in proportion to how
  // distinct the place is from the runner-up.
  const clearMargin = Math.min(1, margin01 / 0.4);
  const fromVessels = strength * (0.55 + 0.45 * clearMargin);
  const fromBrightness = 0.5 * brightSupport * clearMargin;
  const confidence = Math.max(0, Math.min(1, 1 - (1 - fromVessels) * (1 - fromBrightness)));
  const evidence: DiscEvidence = {
    radiatingVessels: round2(best.conv),
    brightness: round2(best.bright),
    margin: round2(margin01),
  };
  const rounded = round2(confidence);

  if (!best.inside) {
    const side =
      best.x < geometry.minX
        ? 'left'
        : best.x > geometry.maxX
          ? 'right'
          : best.y < geometry.minY
            ? 'top'
            : best.y > geometry.maxY
              ? 'bottom'
              : 'edge';
    return {
      disc: {
        found: false,
        source: 'not-found',
        confidence: rounded,
        reason: `the vessels converge outside the field of view (beyond its ${side}); the disc is not in the image`,
        convergesToward: { x: Math.round(best.x), y: Math.round(best.y) },
        evidence,
      },
      majorWidth,
    };
  }
  if (confidence < DISC_CONFIDENCE_MIN) {
    const why =
      strength < 0.5
        ? `vessels converge only weakly (best ${best.conv.toFixed(1)})`
        : `no clear best place (the runner-up scores ${(100 * (1 - margin01)).toFixed(0)}% of the best)`;
    return {
      disc: {
        found: false,
        source: 'not-found',
        confidence: rounded,
        reason: `disc not found with confidence: ${why}`,
        unconfirmedCandidate: { x: Math.round(best.x), y: Math.round(best.y) },
        evidence,
      },
      majorWidth,
    };
  }
  // Vessels converge a little beside a bright disc's centre: move to a clearly bright blob nearby.
  let centre = { x: best.x, y: best.y };
  const near = fw / 30;
  let brightest = best.bright + 0.5;
  for (let dy = -near; dy <= near; dy += bcell) {
    for (let dx = -near; dx <= near; dx += bcell) {
      if (dx * dx + dy * dy > near * near || !inField(field, best.x + dx, best.y + dy)) continue;
      const b =
        blobContrast(grid, best.x + dx, best.y + dy, diameters.slice(0, 4)).contrast / noise;
      if (b >= 3 && b > brightest) {
        brightest = b;
        centre = { x: best.x + dx, y: best.y + dy };
      }
    }
  }
  const diameter = diameterFromEdge(inputs, geometry, raw, centre.x, centre.y, majorWidth);
  return {
    disc: {
      found: true,
      source: 'detected',
      confidence: rounded,
      x: Math.round(centre.x),
      y: Math.round(centre.y),
      ...diameter,
      evidence,
    },
    majorWidth,
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
