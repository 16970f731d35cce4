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
import { distanceToBackground } from './distance-transform.ts';
import { skeletonize } from './skeleton.ts';
import { vesselSegments, type VesselSegment } from './vessel-segments.ts';

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
  const { width, data } = field;
  let minX = Infinity;
  let maxX = -1;
  let minY = Infinity;
  let maxY = -1;
  for (let i = 0; i < data.length; i++) {
    if (!data[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (maxX < 0)
    return { minX: 0, maxX: field.width - 1, minY: 0, maxY: field.height - 1, width: field.width };
  return { minX, maxX, minY, maxY, width: maxX - minX + 1 };
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  // A typed array sorts numerically in native code: the same order as a comparator sort of
  // the plain array, several times faster on the hundreds of thousands of field pixels.
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
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

/** Box blur (radius r, in place) of a row-major float image, rows then columns. */
function boxBlur(values: Float32Array, w: number, h: number, r: number): void {
  if (r < 1) return;
  const line = new Float32Array(Math.max(w, h));
  const pass = (n: number, get: (i: number) => number, set: (i: number, v: number) => void) => {
    let acc = 0;
    for (let i = -r; i <= r; i++) acc += get(Math.min(n - 1, Math.max(0, i)));
    for (let i = 0; i < n; i++) {
      line[i] = acc / (2 * r + 1);
      acc += get(Math.min(n - 1, i + r + 1)) - get(Math.max(0, i - r));
    }
    for (let i = 0; i < n; i++) set(i, line[i]!);
  };
  for (let y = 0; y < h; y++)
    pass(
      w,
      (i) => values[y * w + i]!,
      (i, v) => (values[y * w + i] = v),
    );
  for (let x = 0; x < w; x++)
    pass(
      h,
      (i) => values[i * w + x]!,
      (i, v) => (values[i * w + x] = v),
    );
}

/**
 * The course of the vessels around each point: the orientation of the structure tensor of
 * the (blurred) vessel mask, averaged over a window about one meander wide (`window` px), so
 * that a tortuous vessel's course is read, not its local swing. Computed on a grid of at most
 * about 640 cells across.
 */
export function vesselCourse(
  vessels: BinaryMask,
  fieldWidth: number,
  window: number,
): (x: number, y: number) => [number, number] {
  const k = Math.max(1, Math.round(fieldWidth / 640));
  const w = Math.ceil(vessels.width / k);
  const h = Math.ceil(vessels.height / k);
  const m = new Float32Array(w * h);
  for (let y = 0; y < vessels.height; y++)
    for (let x = 0; x < vessels.width; x++)
      if (vessels.data[y * vessels.width + x])
        m[Math.floor(y / k) * w + Math.floor(x / k)]! += 1 / (k * k);
  boxBlur(m, w, h, 1);
  boxBlur(m, w, h, 1);
  const jxx = new Float32Array(w * h);
  const jxy = new Float32Array(w * h);
  const jyy = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = m[i + 1]! - m[i - 1]!;
      const gy = m[i + w]! - m[i - w]!;
      jxx[i] = gx * gx;
      jxy[i] = gx * gy;
      jyy[i] = gy * gy;
    }
  }
  const r = Math.max(1, Math.round(window / 2 / k));
  for (const j of [jxx, jxy, jyy]) {
    boxBlur(j, w, h, r);
    boxBlur(j, w, h, r);
  }
  return (x, y) => {
    const i =
      Math.min(h - 1, Math.max(0, Math.floor(y / k))) * w +
      Math.min(w - 1, Math.max(0, Math.floor(x / k)));
    // The gradient's dominant orientation is across the vessels; their course is perpendicular to it.
    const across = 0.5 * Math.atan2(2 * jxy[i]!, jxx[i]! - jyy[i]!);
    return [-Math.sin(across), Math.cos(across)];
  };
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
  return Math.max(
    1,
    percentile(
      samples.map((s) => s.width),
      0.85,
    ),
  );
}

interface Grid {
  cell: number;
  gw: number;
  gh: number;
  sum: Float64Array;
  count: Float64Array;
}

/** Brightness on a coarse grid from field pixels that are not vessels; integral images for box means. */
function brightnessGrid(
  luma: Uint8Array,
  field: BinaryMask,
  vessels: BinaryMask,
  cell: number,
  clip: number,
): Grid {
  const { width, height } = field;
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const sum = new Float64Array((gw + 1) * (gh + 1));
  const count = new Float64Array((gw + 1) * (gh + 1));
  const cellSum = new Float64Array(gw * gh);
  const cellCount = new Float64Array(gw * gh);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!field.data[i] || vessels.data[i]) continue;
      const g = Math.floor(y / cell) * gw + Math.floor(x / cell);
      cellSum[g]! += Math.min(clip, luma[i]!);
      cellCount[g]!++;
    }
  }
  for (let y = 0; y < gh; y++) {
    let rs = 0;
    let rc = 0;
    for (let x = 0; x < gw; x++) {
      const g = y * gw + x;
      // A cell counts when mostly usable; its mean stands for it.
      const usable = cellCount[g]! >= 0.25 * cell * cell;
      rs += usable ? cellSum[g]! / cellCount[g]! : 0;
      rc += usable ? 1 : 0;
      sum[(y + 1) * (gw + 1) + x + 1] = sum[y * (gw + 1) + x + 1]! + rs;
      count[(y + 1) * (gw + 1) + x + 1] = count[y * (gw + 1) + x + 1]! + rc;
    }
  }
  return { cell, gw, gh, sum, count };
}

/** Sum and count of usable cells in the box of half-size `half` (grid cells) around cell (gx, gy). */
function boxStats(grid: Grid, gx: number, gy: number, half: number): [number, number] {
  const x0 = Math.max(0, Math.floor(gx - half));
  const x1 = Math.min(grid.gw, Math.ceil(gx + half + 1));
  const y0 = Math.max(0, Math.floor(gy - half));
  const y1 = Math.min(grid.gh, Math.ceil(gy + half + 1));
  if (x1 <= x0 || y1 <= y0) return [0, 0];
  const w = grid.gw + 1;
  const s =
    grid.sum[y1 * w + x1]! -
    grid.sum[y0 * w + x1]! -
    grid.sum[y1 * w + x0]! +
    grid.sum[y0 * w + x0]!;
  const c =
    grid.count[y1 * w + x1]! -
    grid.count[y0 * w + x1]! -
    grid.count[y1 * w + x0]! +
    grid.count[y0 * w + x0]!;
  return [s, c];
}

/** Best disc-sized centre-minus-surround contrast at (x, y) over the disc sizes, in grid units. */
function blobContrast(
  grid: Grid,
  x: number,
  y: number,
  diameters: number[],
): { contrast: number; diameter: number } {
  const gx = x / grid.cell - 0.5;
  const gy = y / grid.cell - 0.5;
  let best = { contrast: -Infinity, diameter: diameters[0]! };
  for (const d of diameters) {
    const dc = d / grid.cell;
    const [cs, cc] = boxStats(grid, gx, gy, Math.max(0.5, 0.3 * dc));
    const [is, ic] = boxStats(grid, gx, gy, 0.7 * dc);
    const [os, oc] = boxStats(grid, gx, gy, 1.4 * dc);
    const ringCount = oc - ic;
    if (cc < 1 || ringCount < 4) continue;
    const contrast = cs / cc - (os - is) / ringCount;
    if (contrast > best.contrast) best = { contrast, diameter: d };
  }
  return best;
}

/** Radial-convergence score of a point: ≈ number of thick vessels radiating from it. */
export function convergenceAt(
  samples: VesselSample[],
  weights: Float32Array,
  x: number,
  y: number,
  r0: number,
  r1: number,
  step: number,
): number {
  let s = 0;
  const r0s = r0 * r0;
  const r1s = r1 * r1;
  for (let k = 0; k < samples.length; k++) {
    const p = samples[k]!;
    const dx = p.x - x;
    const dy = p.y - y;
    const d2 = dx * dx + dy * dy;
    if (d2 < r0s || d2 > r1s) continue;
    const c = Math.max(Math.abs(p.tx * dx + p.ty * dy), Math.abs(p.lx * dx + p.ly * dy));
    // Radial runs count (sharply: 1 along the radius, ¼ at 30° off), runs across count 0: the
    // dark rim of an infant's disc and the camera's rim are often segmented as vessels. The
    // better of the local direction and the vessels' course counts, so meandering vessels count too.
    const along = 2 * ((c * c) / d2) - 1;
    // Nearer the disc counts more (weight ∝ 1/√r): vessels are straightest there, even in plus disease.
    if (along > 0) s += (weights[k]! * along * along) / Math.sqrt(Math.sqrt(d2));
  }
  // Normalised so that one vessel radiating through the whole ring scores 1.
  return (s * step) / (2 * (Math.sqrt(r1) - Math.sqrt(r0)));
}

/** The outermost steep fall of the brightness profile around (x, y): the disc's edge radius, or undefined. */
function edgeRadius(
  luma: Uint8Array,
  field: BinaryMask,
  vessels: BinaryMask,
  x: number,
  y: number,
  rMin: number,
  rMax: number,
  noise: number,
): number | undefined {
  const { width, height } = field;
  const bins = Math.ceil(rMax * 1.6) + 2;
  const sum = new Float64Array(bins);
  const count = new Float64Array(bins);
  const reach = Math.ceil(rMax * 1.6);
  for (
    let yy = Math.max(0, Math.floor(y - reach));
    yy <= Math.min(height - 1, Math.ceil(y + reach));
    yy++
  ) {
    for (
      let xx = Math.max(0, Math.floor(x - reach));
      xx <= Math.min(width - 1, Math.ceil(x + reach));
      xx++
    ) {
      const i = yy * width + xx;
      if (!field.data[i] || vessels.data[i]) continue;
      const r = Math.round(Math.hypot(xx - x, yy - y));
      if (r >= bins) continue;
      sum[r]! += luma[i]!;
      count[r]!++;
    }
  }
  const profile: number[] = [];
  for (let r = 0; r < bins; r++) profile.push(count[r]! ? sum[r]! / count[r]! : NaN);
  // Smooth over ±2 px, ignoring empty rings.
  const smooth = profile.map((_, r) => {
    let s = 0;
    let n = 0;
    for (let k = Math.max(0, r - 2); k <= Math.min(bins - 1, r + 2); k++) {
      if (Number.isNaN(profile[k]!)) continue;
      s += profile[k]!;
      n++;
    }
    return n ? s / n : NaN;
  });
  const drops: { r: number; drop: number }[] = [];
  for (let r = Math.max(2, Math.floor(rMin)); r <= Math.min(bins - 3, Math.ceil(rMax)); r++) {
    const half = Math.max(2, Math.round(0.2 * r));
    const inner = smooth[Math.max(0, r - half)]!;
    const outer = smooth[Math.min(bins - 1, r + half)]!;
    if (Number.isNaN(inner) || Number.isNaN(outer)) continue;
    drops.push({ r, drop: inner - outer });
  }
  if (!drops.length) return undefined;
  const strongest = Math.max(...drops.map((d) => d.drop));
  if (strongest < 0.8 * noise) return undefined;
  // Local maxima at least half as strong as the strongest; the outermost is the rim (a bright cup gives an inner one).
  let edge: number | undefined;
  for (let k = 0; k < drops.length; k++) {
    const d = drops[k]!;
    const left = drops[k - 1]?.drop ?? -Infinity;
    const right = drops[k + 1]?.drop ?? -Infinity;
    if (d.drop >= 0.5 * strongest && d.drop >= left && d.drop >= right) edge = d.r;
  }
  return edge;
}

/**
 * Brightness noise: robust spread (1.4826 × MAD) of each cell against the mean of the cells
 * around it (a box of `half` cells), so that a smooth illumination gradient across the field,
 * common in infant images, does not count as noise.
 */
function robustSpread(grid: Grid, half: number): number {
  const values: number[] = [];
  const w = grid.gw + 1;
  for (let y = 0; y < grid.gh; y++) {
    for (let x = 0; x < grid.gw; x++) {
      const c =
        grid.count[(y + 1) * w + x + 1]! -
        grid.count[y * w + x + 1]! -
        grid.count[(y + 1) * w + x]! +
        grid.count[y * w + x]!;
      if (!c) continue;
      const v =
        grid.sum[(y + 1) * w + x + 1]! -
        grid.sum[y * w + x + 1]! -
        grid.sum[(y + 1) * w + x]! +
        grid.sum[y * w + x]!;
      const [bs, bc] = boxStats(grid, x, y, half);
      values.push(v - bs / bc);
    }
  }
  const median = percentile(values, 0.5);
  const mad = percentile(
    values.map((v) => Math.abs(v - median)),
    0.5,
  );
  return Math.max(1, 1.4826 * mad);
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

/** The disc diameter at a known centre: reader's radius, else the disc edge, else major-vessel width. */
export function discDiameterAt(
  inputs: DiscInputs,
  x: number,
  y: number,
  majorWidth: number,
): { diameterPx: number; diameterSource: DiameterSource } {
  const geometry = fieldGeometry(inputs.field);
  const fw = geometry.width;
  const cell = Math.max(1, Math.round(fw / 160));
  const clip = 255;
  const grid = brightnessGrid(inputs.luma, inputs.field, inputs.vessels, cell, clip);
  const noise = robustSpread(grid, Math.round(fw / 10 / cell));
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
  const r0 = fw / 20;
  const r1 = fw / 3;

  // Brightness grid: specular glints are clipped at the field's 99.8th percentile of brightness.
  const fieldLuma: number[] = [];
  for (let i = 0; i < luma.length; i += 7) if (field.data[i]) fieldLuma.push(luma[i]!);
  const clip = percentile(fieldLuma, 0.998);
  const bcell = Math.max(1, Math.round(fw / 160));
  const grid = brightnessGrid(luma, field, vessels, bcell, clip);
  const noise = robustSpread(grid, Math.round(fw / 10 / bcell));
  const diameters: number[] = [];
  for (let d = fw / 22; d <= fw / 5; d *= 1.2) diameters.push(d);

  // Coarse search over the image and a margin of a quarter field around it.
  const cell = Math.max(2, fw / 80);
  const margin = fw / 4;
  const candidates: {
    x: number;
    y: number;
    conv: number;
    bright: number;
    score: number;
    inside: boolean;
  }[] = [];
  const evaluate = (x: number, y: number) => {
    const conv = convergenceAt(samples, weights, x, y, r0, r1, step);
    const inside = inField(field, x, y);
    const bright = inside ? Math.max(0, blobContrast(grid, x, y, diameters).contrast / noise) : 0;
    return {
      x,
      y,
      conv,
      bright,
      score: Math.max(0, conv) * (1 + BRIGHTNESS_BOOST * Math.min(8, Math.max(0, bright - 2))),
      inside,
    };
  };
  for (let y = geometry.minY - margin; y <= geometry.maxY + margin; y += cell) {
    for (let x = geometry.minX - margin; x <= geometry.maxX + margin; x += cell)
      candidates.push(evaluate(x, y));
  }
  candidates.sort((a, b) => b.score - a.score);
  // Refine the few best on a finer grid.
  const refined = candidates.slice(0, 6).map((c) => {
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
  const second = candidates.find((c) => Math.hypot(c.x - best.x, c.y - best.y) >= apart);
  const margin01 = second ? Math.max(0, Math.min(1, 1 - second.score / best.score)) : 1;
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
  const diameter = discDiameterAt(
    { ...inputs, distance, segments },
    centre.x,
    centre.y,
    majorWidth,
  );
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
