/**
 * The two lung fields of a frontal chest film from the lung model's mask: per row, the
 * outer and medial edge of each, the thoracic width (outer lung borders), and the checks
 * that they are two plausible lung fields side by side.
 */
import { connectedRegions, type BinaryMask, type Region } from '../binary-mask.ts';
import { MeasurementError } from './errors.ts';

export interface Point {
  x: number;
  y: number;
}

export interface LungFields {
  width: number;
  height: number;
  /** 1-based labels of the image-left and image-right field in `labels`. */
  labels: Int32Array;
  imageLeft: Region;
  imageRight: Region;
  /** Per row: outer/medial edge of the image-left field, medial/outer edge of the image-right field (-1: absent). */
  leftOuter: Int32Array;
  leftMedial: Int32Array;
  rightMedial: Int32Array;
  rightOuter: Int32Array;
  /** The first and last row either field reaches (apex to the deepest costophrenic recess). */
  top: number;
  bottom: number;
  /** Endpoints of the widest row across both fields (outer borders), and its width. */
  thoracic: [Point, Point];
  thoracicWidthPx: number;
  /** The mediastinal midline: midpoint of the medial edges over the upper half of the shared rows. */
  midline: number;
}

/** A field smaller than this share of the film is a speck, not a lung. */
const MIN_FIELD_FRACTION = 0.01;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : Number.NaN;
}

export function findLungFields(mask: BinaryMask): LungFields {
  const { width, height } = mask;
  const { labels, regions } = connectedRegions(mask);
  const fields = regions.slice(0, 2).filter((r) => r.area >= MIN_FIELD_FRACTION * width * height);
  if (fields.length < 2) {
    throw new MeasurementError(
      'CTR_LUNGS_NOT_FOUND',
      `Two separate lung fields are needed for the cardiothoracic ratio; the lung model found ${fields.length}.`,
    );
  }
  const [imageLeft, imageRight] =
    fields[0]!.centroidX < fields[1]!.centroidX
      ? [fields[0]!, fields[1]!]
      : [fields[1]!, fields[0]!];

  // Side by side, each on its own side of the other, of similar height and size: a frontal film.
  const shared =
    Math.min(imageLeft.maxY, imageRight.maxY) - Math.max(imageLeft.minY, imageRight.minY) + 1;
  const taller = Math.max(imageLeft.maxY - imageLeft.minY, imageRight.maxY - imageRight.minY) + 1;
  const areaRatio =
    Math.min(imageLeft.area, imageRight.area) / Math.max(imageLeft.area, imageRight.area);
  const problems: string[] = [];
  if (imageLeft.maxX >= imageRight.centroidX || imageRight.minX <= imageLeft.centroidX)
    problems.push('the fields overlap from side to side');
  if (shared < 0.6 * taller)
    problems.push(
      `they share ${Math.max(0, Math.round((100 * shared) / taller))}% of their height`,
    );
  if (areaRatio < 0.3)
    problems.push(`one is ${Math.round(100 * areaRatio)}% the size of the other`);
  if (problems.length) {
    throw new MeasurementError(
      'CTR_NOT_FRONTAL',
      `The lung fields do not look like those of a frontal chest film: ${problems.join('; ')}.`,
    );
  }

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
  const sharedRows: number[] = [];
  for (let y = 0; y < height; y++) {
    if (leftOuter[y] === -1 || rightOuter[y] === -1) continue;
    sharedRows.push(y);
    const w = rightOuter[y]! - leftOuter[y]!;
    if (w > widest) {
      widest = w;
      thoracic = [
        { x: leftOuter[y]!, y },
        { x: rightOuter[y]!, y },
      ];
    }
  }
  if (!thoracic || sharedRows.length < 8) {
    throw new MeasurementError(
      'CTR_NOT_FRONTAL',
      'The lung fields share too few rows for a cardiothoracic ratio (is this a frontal film?).',
    );
  }
  const upper = sharedRows.slice(0, Math.max(1, Math.floor(sharedRows.length / 2)));
  const midline = median(upper.map((y) => (leftMedial[y]! + rightMedial[y]!) / 2));
  return {
    width,
    height,
    labels,
    imageLeft,
    imageRight,
    leftOuter,
    leftMedial,
    rightMedial,
    rightOuter,
    top: Math.min(imageLeft.minY, imageRight.minY),
    bottom: Math.max(imageLeft.maxY, imageRight.maxY),
    thoracic,
    thoracicWidthPx: thoracic[1].x - thoracic[0].x,
    midline,
  };
}
