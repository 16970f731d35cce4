/**
 * Plus-disease vascular metrics from a vessel mask: a measurement for the reader, not a
 * diagnosis. Steps:
 *
 * 1. Find the optic disc with a confidence, or report it not found (optic-disc.ts); a disc
 *    the reader places replaces the detected one. Without a disc nothing that needs one is
 *    measured: the indicator says "disc not found: place it".
 * 2. All distances are in disc diameters (DD): the reader's, the measured disc edge, or an
 *    estimate from the major vessels' width (the result says which).
 * 3. Skeletonise the vessels, trace them outward from the disc through branch points
 *    (vessel-paths.ts), and measure each trace from the disc margin (0.5 DD) to 3 DD from the
 *    disc centre: tortuosity index (arc / chord, as ROPtool, RISA and i-ROP define it),
 *    integrated curvature (radians per DD, RISA's second measure) and mean width.
 * 4. Major vessels: per quadrant around the disc, the MAJOR_PER_QUADRANT widest × longest
 *    traces that are at least MAJOR_WIDTH_SHARE as wide as the eye's widest vessels and reach
 *    at least MIN_REACH_DD from the disc centre. Thin capillaries never count.
 * 5. Indicator (plus-rule.ts): each quadrant's most tortuous major vessel against published
 *    thresholds; "no plus" / "pre-plus range" / "plus range", with the rule and its sources.
 */
import type { BinaryMask } from '../binary-mask.ts';
import { distanceToBackground } from './distance-transform.ts';
import {
  findOpticDisc,
  type DiameterSource,
  type DiscResult,
  type ReaderDisc,
} from './optic-disc.ts';
import {
  eyeIndicator,
  legacyCategory,
  MEASURE_INNER_DD,
  MEASURE_OUTER_DD,
  quadrantLevel,
  RULE,
  TI_PLUS,
  TI_PRE_PLUS,
  type Indicator,
  type LegacyCategory,
  type QuadrantLevel,
} from './plus-rule.ts';
import { skeletonize } from './skeleton.ts';
import { centreLineShape } from './tortuosity.ts';
import { traceVesselsFromDisc } from './vessel-paths.ts';
import { vesselSegments } from './vessel-segments.ts';

export type { ReaderDisc } from './optic-disc.ts';

/** Major vessels per quadrant (ROPtool and RISA measure the one or two main vessels of each). */
export const MAJOR_PER_QUADRANT = 2;
/** A major vessel is at least this share as wide as the eye's widest traced vessels. */
export const MAJOR_WIDTH_SHARE = 0.6;
/** A measured vessel must be traced at least this far from the disc centre (DD). */
export const MIN_REACH_DD = 1.5;

export type Laterality = 'OD' | 'OS' | undefined;
export type QuadrantName =
  | 'superotemporal'
  | 'inferotemporal'
  | 'superonasal'
  | 'inferonasal'
  | 'upper-left'
  | 'upper-right'
  | 'lower-left'
  | 'lower-right';

export interface MeasuredVessel {
  quadrant: QuadrantName;
  /** Centre-line length measured (disc margin to the outer radius or where the trace ends). */
  lengthPx: number;
  lengthDD: number;
  /** How far from the disc centre the trace reaches, in DD. */
  reachDD: number;
  tortuosityIndex: number;
  curvaturePerDD: number;
  meanWidthPx: number;
  meanWidthDD: number;
  major: boolean;
  /** Centre-line pixels (y * width + x), for the overlay. */
  pixels: number[];
}

export interface QuadrantSummary {
  quadrant: QuadrantName;
  vessels: number;
  majorVessels: number;
  /** Length-weighted mean TI of the quadrant's major vessels. */
  meanTortuosityIndex: number | null;
  /** TI of the quadrant's most tortuous major vessel: what its level is read from. */
  maxTortuosityIndex: number | null;
  meanCurvaturePerDD: number | null;
  meanWidthPx: number | null;
  meanWidthDD: number | null;
  /** ROPtool-style quadrant score: 0 normal, 1 pre-plus-level, 2 plus-level. */
  score: 0 | 1 | 2 | null;
  level: QuadrantLevel | null;
}

export interface VascularMetrics {
  disc: DiscResult;
  /** Earlier versions' disc field: the disc used, or null when none was found or placed. */
  opticDisc: { x: number; y: number; diameter: number; diameterSource: DiameterSource } | null;
  /** The unit of every distance here. */
  scale: { discDiameterPx: number | null; source: DiameterSource | null; note: string };
  measurementWindowDD: { inner: number; outer: number };
  /** Outer radius of the measured region (px), or null without a disc. */
  posteriorPoleRadiusPx: number | null;
  laterality: 'OD' | 'OS' | 'unknown';
  vessels: MeasuredVessel[];
  quadrants: QuadrantSummary[];
  severity: {
    indicator: Indicator;
    /** Length-weighted mean TI of all major vessels. */
    meanTortuosityIndex: number | null;
    quadrantScoreSum: number;
    quadrantsMeasured: number;
    /** The indicator in earlier versions' words (the grading form's choices). */
    category: LegacyCategory;
    rule: typeof RULE;
    message: string;
  };
}

export interface VascularOptions {
  laterality?: Laterality;
  /** The reader's disc diameter (px) for a detected disc. */
  discDiameterPx?: number;
  /** A disc the reader placed (image pixels): replaces detection. */
  disc?: ReaderDisc;
}

function quadrantOf(dx: number, dy: number, laterality: Laterality): QuadrantName {
  const upper = dy < 0;
  const left = dx < 0;
  if (!laterality)
    return upper ? (left ? 'upper-left' : 'upper-right') : left ? 'lower-left' : 'lower-right';
  // Fundus images are seen from the front: the fovea (temporal) is left of the disc in a right eye.
  const temporal = laterality === 'OD' ? left : !left;
  return upper
    ? temporal
      ? 'superotemporal'
      : 'superonasal'
    : temporal
      ? 'inferotemporal'
      : 'inferonasal';
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

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function vascularMetrics(
  luma: Uint8Array,
  field: BinaryMask,
  vessels: BinaryMask,
  options: VascularOptions = {},
): VascularMetrics {
  const { width } = vessels;
  const distance = distanceToBackground(vessels);
  const segments = vesselSegments(skeletonize(vessels));
  const reader = options.disc ?? undefined;
  if (
    reader &&
    !(
      Number.isFinite(reader.x) &&
      Number.isFinite(reader.y) &&
      (reader.radiusPx === undefined || (Number.isFinite(reader.radiusPx) && reader.radiusPx > 0))
    )
  ) {
    throw new RangeError(
      'a placed disc needs finite x and y in image pixels and, if given, a positive radiusPx',
    );
  }
  const search = findOpticDisc({ luma, field, vessels, segments, distance }, reader);
  let disc = search.disc;
  if (
    disc.found &&
    disc.source === 'detected' &&
    options.discDiameterPx &&
    options.discDiameterPx > 0
  )
    disc = {
      ...disc,
      diameterPx: options.discDiameterPx,
      diameterSource: 'measured by the reader',
    };
  const names: QuadrantName[] = options.laterality
    ? ['superotemporal', 'inferotemporal', 'superonasal', 'inferonasal']
    : ['upper-left', 'upper-right', 'lower-left', 'lower-right'];
  const laterality = options.laterality ?? 'unknown';
  const window = { inner: MEASURE_INNER_DD, outer: MEASURE_OUTER_DD };

  if (!disc.found) {
    return {
      disc,
      opticDisc: null,
      scale: { discDiameterPx: null, source: null, note: 'no disc, so no disc-diameter scale' },
      measurementWindowDD: window,
      posteriorPoleRadiusPx: null,
      laterality,
      vessels: [],
      quadrants: names.map((quadrant) => ({
        quadrant,
        vessels: 0,
        majorVessels: 0,
        meanTortuosityIndex: null,
        maxTortuosityIndex: null,
        meanCurvaturePerDD: null,
        meanWidthPx: null,
        meanWidthDD: null,
        score: null,
        level: null,
      })),
      severity: {
        indicator: 'disc not found: place it',
        meanTortuosityIndex: null,
        quadrantScoreSum: 0,
        quadrantsMeasured: 0,
        category: legacyCategory('disc not found: place it'),
        rule: RULE,
        message: `Optic disc not found (${disc.reason}). Place the disc to measure the vessels around it.`,
      },
    };
  }

  const dd = disc.diameterPx;
  const inner = MEASURE_INNER_DD * dd;
  const outer = MEASURE_OUTER_DD * dd;
  const traces = traceVesselsFromDisc(segments, distance, width, {
    disc: { x: disc.x, y: disc.y, diameterPx: dd },
    outerRadiusPx: outer,
    field,
  });
  const radius = (p: number) => Math.hypot((p % width) - disc.x, Math.floor(p / width) - disc.y);

  const candidates: Omit<MeasuredVessel, 'major'>[] = [];
  for (const trace of traces) {
    const first = trace.pixels.findIndex((p) => radius(p) >= inner);
    if (first < 0) continue;
    const part = trace.pixels.slice(first);
    let reach = 0;
    for (const p of part) reach = Math.max(reach, radius(p));
    if (reach < MIN_REACH_DD * dd || part.length < 3) continue;
    const points = part.map((p) => ({ x: p % width, y: Math.floor(p / width) }));
    const shape = centreLineShape(points, Math.max(2.5, dd / 24));
    if (!Number.isFinite(shape.tortuosityIndex) || shape.arcLength < 0.75 * dd) continue;
    let widthSum = 0;
    for (const p of part) widthSum += Math.max(1, 2 * distance[p]! - 1);
    const w = widthSum / part.length;
    const anchor =
      part.find((p) => radius(p) >= Math.min(MIN_REACH_DD * dd, reach)) ?? part[part.length - 1]!;
    candidates.push({
      quadrant: quadrantOf(
        (anchor % width) - disc.x,
        Math.floor(anchor / width) - disc.y,
        options.laterality,
      ),
      lengthPx: round(shape.arcLength, 1),
      lengthDD: round(shape.arcLength / dd, 2),
      reachDD: round(reach / dd, 2),
      tortuosityIndex: round(shape.tortuosityIndex, 4),
      curvaturePerDD: round(shape.curvaturePerPixel * dd, 3),
      meanWidthPx: round(w, 2),
      meanWidthDD: round(w / dd, 4),
      pixels: part,
    });
  }
  // One trace per vessel: the widest × longest first; later ones mostly on the same pixels are dropped.
  candidates.sort((a, b) => b.meanWidthPx * b.lengthPx - a.meanWidthPx * a.lengthPx);
  const claimed = new Uint8Array(vessels.data.length);
  const measured: Omit<MeasuredVessel, 'major'>[] = [];
  for (const c of candidates) {
    let shared = 0;
    for (const p of c.pixels) shared += claimed[p]!;
    if (shared > 0.5 * c.pixels.length) continue;
    for (const p of c.pixels) claimed[p] = 1;
    measured.push(c);
  }
  const widest = measured
    .map((v) => v.meanWidthPx)
    .sort((a, b) => b - a)
    .slice(0, 4);
  const reference = widest.length ? widest.reduce((s, v) => s + v, 0) / widest.length : 0;
  const majorSet = new Set<Omit<MeasuredVessel, 'major'>>();
  for (const quadrant of names) {
    measured
      .filter((v) => v.quadrant === quadrant && v.meanWidthPx >= MAJOR_WIDTH_SHARE * reference)
      .slice(0, MAJOR_PER_QUADRANT) // already ordered by width × length
      .forEach((v) => majorSet.add(v));
  }
  const all: MeasuredVessel[] = measured.map((v) => ({ ...v, major: majorSet.has(v) }));

  const quadrants: QuadrantSummary[] = names.map((quadrant) => {
    const inQuadrant = all.filter((v) => v.quadrant === quadrant);
    const major = inQuadrant.filter((v) => v.major);
    const ti = weightedMean(major, (v) => v.tortuosityIndex);
    const max = major.length ? Math.max(...major.map((v) => v.tortuosityIndex)) : null;
    const w = weightedMean(major, (v) => v.meanWidthPx);
    const level = max === null ? null : quadrantLevel(max);
    return {
      quadrant,
      vessels: inQuadrant.length,
      majorVessels: major.length,
      meanTortuosityIndex: ti === null ? null : round(ti, 4),
      maxTortuosityIndex: max,
      meanCurvaturePerDD: (() => {
        const c = weightedMean(major, (v) => v.curvaturePerDD);
        return c === null ? null : round(c, 3);
      })(),
      meanWidthPx: w === null ? null : round(w, 2),
      meanWidthDD: w === null ? null : round(w / dd, 4),
      score: level === null ? null : level === 'plus' ? 2 : level === 'pre-plus' ? 1 : 0,
      level,
    };
  });
  const measuredQuadrants = quadrants.filter((q) => q.level !== null);
  const indicator = eyeIndicator(measuredQuadrants.map((q) => q.level!));
  const meanTi = weightedMean(
    all.filter((v) => v.major),
    (v) => v.tortuosityIndex,
  );
  const scaleNote =
    disc.diameterSource === 'estimated from major-vessel width (disc edge not clear)'
      ? 'disc diameter estimated from the major vessels\u2019 width: distances in DD are approximate; measure the disc to fix them'
      : disc.diameterSource === 'measured by the reader'
        ? 'disc diameter given by the reader'
        : 'disc diameter measured from the disc edge in the image';
  const discText =
    disc.source === 'reader'
      ? 'disc placed by the reader'
      : `disc detected (confidence ${disc.confidence.toFixed(2)})`;
  const message =
    indicator === 'insufficient vessels'
      ? `Fewer than two quadrants have a major vessel traced from the disc to ${MIN_REACH_DD} DD; ${discText}.`
      : `${indicator}: ${measuredQuadrants.filter((q) => q.level === 'plus').length} quadrant(s) plus-level, ${measuredQuadrants.filter((q) => q.level === 'pre-plus').length} pre-plus-level of ${measuredQuadrants.length} measured; ${discText}; ${scaleNote}. Not validated on plus-labelled images.`;
  return {
    disc,
    opticDisc: { x: disc.x, y: disc.y, diameter: dd, diameterSource: disc.diameterSource },
    scale: { discDiameterPx: round(dd, 1), source: disc.diameterSource, note: scaleNote },
    measurementWindowDD: window,
    posteriorPoleRadiusPx: round(outer, 1),
    laterality,
    vessels: all,
    quadrants,
    severity: {
      indicator,
      meanTortuosityIndex: meanTi === null ? null : round(meanTi, 4),
      quadrantScoreSum: measuredQuadrants.reduce((s, q) => s + q.score!, 0),
      quadrantsMeasured: measuredQuadrants.length,
      category: legacyCategory(indicator),
      rule: RULE,
      message,
    },
  };
}

/** RGBA overlay: measured centre lines (3 px wide) coloured by tortuosity — green below the
 * pre-plus threshold, amber up to the plus threshold, red at or above it; vessels that are not
 * major paler; the disc used drawn as a thin cyan circle. */
export function tortuosityOverlay(
  metrics: VascularMetrics,
  width: number,
  height: number,
): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const paint = (x: number, y: number, colour: readonly number[], alpha: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * 4;
    rgba[o] = colour[0]!;
    rgba[o + 1] = colour[1]!;
    rgba[o + 2] = colour[2]!;
    rgba[o + 3] = Math.max(rgba[o + 3]!, alpha);
  };
  for (const v of metrics.vessels) {
    const colour =
      v.tortuosityIndex >= TI_PLUS
        ? [230, 40, 40]
        : v.tortuosityIndex >= TI_PRE_PLUS
          ? [245, 170, 20]
          : [40, 200, 80];
    const alpha = v.major ? 255 : 150;
    for (const p of v.pixels) {
      const x0 = p % width;
      const y0 = (p - x0) / width;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) paint(x0 + dx, y0 + dy, colour, alpha);
    }
  }
  const disc = metrics.opticDisc;
  if (disc) {
    const r = disc.diameter / 2;
    const steps = Math.max(16, Math.ceil(2 * Math.PI * r));
    for (let k = 0; k < steps; k++) {
      const a = (2 * Math.PI * k) / steps;
      paint(
        Math.round(disc.x + r * Math.cos(a)),
        Math.round(disc.y + r * Math.sin(a)),
        [40, 220, 230],
        200,
      );
    }
  }
  return rgba;
}
