/**
 * Cardiothoracic ratio estimated from the two lung fields of a frontal chest film.
 *
 * Thoracic width: the widest distance between the outer borders of the lungs on one row
 * (the inner margins of the ribs), as readers measure it. Cardiac width: the heart's
 * borders are taken as the medial borders of the lungs over the lower half of the rows
 * both lungs share, down to the cardiophrenic angle, where the medial edge turns into the
 * nearly horizontal lung base (below it the edge no longer follows the heart):
 * the right heart border is the leftmost medial edge of the image-left lung, the left
 * heart border the rightmost medial edge of the image-right lung (Danzer's MRD + MLD).
 *
 * This is an estimate from lung segmentation, not a heart segmentation: the points are
 * returned so the reader sees and can move them in the CTR tool.
 */
import { CodedError } from '../api/errors.ts';
import { connectedRegions, type BinaryMask } from './binary-mask.ts';

export interface Point {
  x: number;
  y: number;
}

export interface CardiothoracicMeasurement {
  /** Endpoints of the thoracic width (same row). */
  thoracic: [Point, Point];
  /** The right heart border (image left) and the left heart border (image right); rows may differ. */
  cardiac: [Point, Point];
  thoracicWidthPx: number;
  cardiacWidthPx: number;
  ratio: number;
}

export class MeasurementError extends CodedError<'MEASUREMENT_NOT_POSSIBLE'> {}

/** A medial edge moving sideways faster than this (pixels per row) is the lung base, not the heart border. */
const FLAT_SLOPE = 1.5;

/** Lungs smaller than this share of the film are noise, not a lung field. */
const MIN_LUNG_FRACTION = 0.01;

/** Mean of five pixels along the row: the threshold test should not stop at one noisy pixel. */
function smoothed(luma: Uint8Array, width: number, x: number, y: number): number {
  let sum = 0;
  let n = 0;
  for (let dx = -2; dx <= 2; dx++) {
    const xx = x + dx;
    if (xx < 0 || xx >= width) continue;
    sum += luma[y * width + xx]!;
    n++;
  }
  return sum / n;
}

/** Otsu's threshold over the lung pixels of the given rows. */
function otsuThreshold(luma: Uint8Array, labels: Int32Array, width: number, rows: number[], lungLabels: number[]): number {
  const histogram = new Float64Array(256);
  for (const y of rows) for (let x = 0; x < width; x++) if (lungLabels.includes(labels[y * width + x]!)) histogram[luma[y * width + x]!]!++;
  const total = histogram.reduce((a, b) => a + b, 0);
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i]!;
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    weightBelow += histogram[t]!;
    if (!weightBelow || weightBelow === total) continue;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / (total - weightBelow);
    const between = weightBelow * (total - weightBelow) * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** The outermost border point after dropping the most extreme `trim` share (noise, vessels). */
function robustExtreme(points: Point[], side: 'min' | 'max', trim = 0.05): Point | undefined {
  if (!points.length) return undefined;
  const sorted = [...points].sort((a, b) => (side === 'min' ? a.x - b.x : b.x - a.x));
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * trim))];
}

/**
 * `luma`, when given, is the film's 8-bit display rendering (air dark): the heart borders
 * are then found as the edge of the heart shadow inside the lung fields.
 */
export function cardiothoracicRatio(lungs: BinaryMask, luma?: Uint8Array): CardiothoracicMeasurement {
  const { width, height } = lungs;
  const { labels, regions } = connectedRegions(lungs);
  const fields = regions.slice(0, 2).filter((r) => r.area >= MIN_LUNG_FRACTION * width * height);
  if (fields.length < 2) {
    throw new MeasurementError('MEASUREMENT_NOT_POSSIBLE', `Two separate lung fields are needed for the cardiothoracic ratio; found ${fields.length}.`);
  }
  const [imageLeft, imageRight] = fields[0]!.centroidX < fields[1]!.centroidX ? [fields[0]!, fields[1]!] : [fields[1]!, fields[0]!];

  // Per row: the lateral and medial edge of each lung (-1 where the lung is absent).
  const leftOuter = new Int32Array(height).fill(-1);
  const leftMedial = new Int32Array(height).fill(-1);
  const rightMedial = new Int32Array(height).fill(-1);
  const rightOuter = new Int32Array(height).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const label = labels[y * width + x];
      if (label === imageLeft.label) {
        if (leftOuter[y] === -1) leftOuter[y] = x;
        leftMedial[y] = x;
      } else if (label === imageRight.label) {
        if (rightMedial[y] === -1) rightMedial[y] = x;
        rightOuter[y] = x;
      }
    }
  }

  let thoracic: [Point, Point] | undefined;
  let widest = -1;
  const shared: number[] = [];
  for (let y = 0; y < height; y++) {
    if (leftOuter[y] === -1 || rightOuter[y] === -1) continue;
    shared.push(y);
    const w = rightOuter[y]! - leftOuter[y]!;
    if (w > widest) {
      widest = w;
      thoracic = [{ x: leftOuter[y]!, y }, { x: rightOuter[y]!, y }];
    }
  }
  if (!thoracic || shared.length < 4) {
    throw new MeasurementError('MEASUREMENT_NOT_POSSIBLE', 'The lung fields share too few rows for a cardiothoracic ratio (is this a frontal film?).');
  }

  // Walk down the lower half of the shared rows; each lung's medial edge follows the heart
  // border until the lung base under the heart, where the edge turns nearly horizontal.
  const step = Math.max(2, Math.round(0.02 * height));
  const turnsFlat = (medial: Int32Array, y: number, outward: 1 | -1) => {
    const below = y + step;
    return below >= height || medial[below] === -1 || outward * (medial[below]! - medial[y]!) > FLAT_SLOPE * step;
  };
  const leftRows: number[] = [];
  const rightRows: number[] = [];
  let leftDone = false;
  let rightDone = false;
  for (const y of shared.slice(Math.floor(shared.length / 2))) {
    if (!leftDone) leftRows.push(y);
    if (!rightDone) rightRows.push(y);
    leftDone ||= turnsFlat(leftMedial, y, -1);
    rightDone ||= turnsFlat(rightMedial, y, 1);
  }
  let rightBorder: Point | undefined;
  let leftBorder: Point | undefined;
  if (luma) {
    // Lung masks drawn behind the heart (as many annotators do) put the medial edge at the
    // spine: there the heart is the dense shadow inside the lung field. Scan out from the
    // medial edge while the film stays denser than aerated lung (Otsu threshold over the
    // lung pixels of these rows); a mask that excludes the heart stops at once.
    const threshold = otsuThreshold(luma, labels, width, [...new Set([...leftRows, ...rightRows])], [imageLeft.label, imageRight.label]);
    const scan = (y: number, from: number, to: number, dir: 1 | -1): number | undefined => {
      let x = from;
      while (x !== to && smoothed(luma, width, x, y) > threshold) x += dir;
      return x === to ? undefined : x; // a row dense all the way out is consolidation, not heart
    };
    rightBorder = robustExtreme(leftRows.flatMap((y) => {
      const x = scan(y, leftMedial[y]!, leftOuter[y]!, -1);
      return x === undefined ? [] : [{ x, y }];
    }), 'min');
    leftBorder = robustExtreme(rightRows.flatMap((y) => {
      const x = scan(y, rightMedial[y]!, rightOuter[y]!, 1);
      return x === undefined ? [] : [{ x, y }];
    }), 'max');
  } else {
    rightBorder = robustExtreme(leftRows.map((y) => ({ x: leftMedial[y]!, y })), 'min', 0);
    leftBorder = robustExtreme(rightRows.map((y) => ({ x: rightMedial[y]!, y })), 'max', 0);
  }
  if (!rightBorder || !leftBorder || leftBorder.x <= rightBorder.x) {
    throw new MeasurementError('MEASUREMENT_NOT_POSSIBLE', 'The heart borders could not be found between the lung fields.');
  }
  // Widths count pixels inclusively: a border pixel belongs to the measured span.
  const thoracicWidthPx = thoracic[1].x - thoracic[0].x + 1;
  const cardiacWidthPx = leftBorder.x - rightBorder.x - 1;
  return { thoracic, cardiac: [rightBorder, leftBorder], thoracicWidthPx, cardiacWidthPx, ratio: cardiacWidthPx / thoracicWidthPx };
}
