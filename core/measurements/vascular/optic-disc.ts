/**
 * Finds the optic disc: the place where the image is brightest and the vessels are densest
 * together (the disc is bright in colour fundus images and every major vessel converges on
 * it; in dim infant images the vessel convergence carries the decision). On a reduced grid:
 * brightness of a disc-sized blob against its surroundings, plus vessel density over a
 * disc-sized window, each standardised inside the field of view, added with brightness
 * weighted twice (vessels are densest just beside the disc, where the trunks run).
 *
 * The disc diameter is not measured from the image: it is taken as a fixed share of the
 * field of view's width (DISC_SHARE_OF_FIELD) unless the reader gives one with the disc
 * ruler. Reports say which.
 */
import type { BinaryMask } from '../binary-mask.ts';

/** A 45–50° fundus field spans about 7–8 disc diameters (DRIVE, CHASE_DB1). */
export const DISC_SHARE_OF_FIELD = 1 / 8;

export interface OpticDisc {
  x: number;
  y: number;
  diameter: number;
  diameterSource: 'estimated from the field of view' | 'measured by the reader';
}

function boxMean(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum = integral[y1 * (width + 1) + x1]! - integral[y0 * (width + 1) + x1]! - integral[y1 * (width + 1) + x0]! + integral[y0 * (width + 1) + x0]!;
      out[y * width + x] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

function standardise(values: Float32Array, inside: Uint8Array): void {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (!inside[i]) continue;
    sum += values[i]!;
    sq += values[i]! * values[i]!;
    n++;
  }
  const mean = n ? sum / n : 0;
  const std = n ? Math.sqrt(Math.max(1e-12, sq / n - mean * mean)) : 1;
  for (let i = 0; i < values.length; i++) values[i] = (values[i]! - mean) / std;
}

/**
 * `luma`: 8-bit grey of the displayed image; `field`: the camera's field of view;
 * `vessels`: the vessel mask; all at the image's size.
 */
export function locateOpticDisc(luma: Uint8Array, field: BinaryMask, vessels: BinaryMask, measuredDiameter?: number): OpticDisc {
  const { width, height } = field;
  let minX = width;
  let maxX = -1;
  for (let i = 0; i < field.data.length; i++) {
    if (!field.data[i]) continue;
    const x = i % width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  const fieldWidth = maxX >= minX ? maxX - minX + 1 : width;
  const diameter = measuredDiameter ?? fieldWidth * DISC_SHARE_OF_FIELD;
  // Work on a grid of about 4 cells per disc radius: fine enough, and fast on 4000-px images.
  const cell = Math.max(1, Math.floor(diameter / 8));
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const bright = new Float32Array(gw * gh);
  const density = new Float32Array(gw * gh);
  const inField = new Float32Array(gw * gh);
  const counts = new Float32Array(gw * gh);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const g = Math.floor(y / cell) * gw + Math.floor(x / cell);
      counts[g]!++;
      if (!field.data[i]) continue;
      inField[g]!++;
      bright[g]! += luma[i]!;
      density[g]! += vessels.data[i]!;
    }
  }
  for (let g = 0; g < counts.length; g++) {
    bright[g] = inField[g]! ? bright[g]! / inField[g]! : 0;
    density[g] = inField[g]! ? density[g]! / inField[g]! : 0;
  }
  const radius = Math.max(1, Math.round(diameter / 2 / cell));
  // Brightness as a blob: the disc against its surroundings, not the brighter half of the field.
  // A small centre window: wide-field infant images show the disc far smaller than the estimate.
  const centre = boxMean(bright, gw, gh, Math.max(1, Math.round(radius / 4)));
  const surround = boxMean(bright, gw, gh, 3 * radius);
  const brightness = centre.map((v, g) => v - surround[g]!);
  const convergence = boxMean(density, gw, gh, radius);
  // Candidates lie well inside the field: the rim glare of wide-field cameras is bright too.
  const fieldShare = boxMean(new Float32Array(inField.map((v, g) => v / counts[g]!)), gw, gh, radius);
  const inside = new Uint8Array(gw * gh);
  for (let g = 0; g < inside.length; g++) inside[g] = fieldShare[g]! > 0.95 ? 1 : 0;
  standardise(brightness, inside);
  standardise(convergence, inside);
  let best = -Infinity;
  let bestG = -1;
  for (let g = 0; g < inside.length; g++) {
    if (!inside[g]) continue;
    const score = 2 * brightness[g]! + convergence[g]!; // brightness leads; convergence breaks ties in dim images
    if (score > best) {
      best = score;
      bestG = g;
    }
  }
  if (bestG < 0) bestG = Math.floor(gh / 2) * gw + Math.floor(gw / 2);
  return {
    x: ((bestG % gw) + 0.5) * cell,
    y: (Math.floor(bestG / gw) + 0.5) * cell,
    diameter,
    diameterSource: measuredDiameter ? 'measured by the reader' : 'estimated from the field of view',
  };
}
