/**
 * The course of the vessels around each point: the orientation of the structure tensor of
 * the (blurred) vessel mask, averaged over a window about one meander wide, so that a
 * tortuous vessel's course is read, not its local swing.
 */
import type { BinaryMask } from '../binary-mask.ts';
import { boxBlur } from './box-blur.ts';

/** The grid the course is read on: at most about this many cells across the field. */
const COURSE_GRID_CELLS = 640;

/**
 * The vessels' course at (x, y) as a unit vector, read on a grid of at most about 640 cells
 * across the field; `window` (px) is the averaging window, about one meander wide.
 */
export function vesselCourse(
  vessels: BinaryMask,
  fieldWidth: number,
  window: number,
): (x: number, y: number) => [number, number] {
  const k = Math.max(1, Math.round(fieldWidth / COURSE_GRID_CELLS));
  const w = Math.ceil(vessels.width / k);
  const h = Math.ceil(vessels.height / k);
  const scratch = new Float32Array(w * h);
  const m = vesselDensity(vessels, k, w, h);
  boxBlur(m, w, h, 1, scratch);
  boxBlur(m, w, h, 1, scratch);
  const { jxx, jxy, jyy } = structureTensor(m, w, h);
  const r = Math.max(1, Math.round(window / 2 / k));
  for (const j of [jxx, jxy, jyy]) {
    boxBlur(j, w, h, r, scratch);
    boxBlur(j, w, h, r, scratch);
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

/** Share of each k × k cell covered by vessel (added pixel by pixel, in float32). */
function vesselDensity(vessels: BinaryMask, k: number, w: number, h: number): Float32Array {
  const m = new Float32Array(w * h);
  const { width, height, data } = vessels;
  const share = 1 / (k * k);
  const cellColumn = new Int32Array(width);
  for (let x = 0; x < width; x++) cellColumn[x] = Math.floor(x / k);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const cellRow = Math.floor(y / k) * w;
    for (let x = 0; x < width; x++) if (data[row + x]) m[cellRow + cellColumn[x]!]! += share;
  }
  return m;
}

/** Products of the central-difference gradient (the image border stays 0). */
function structureTensor(
  m: Float32Array,
  w: number,
  h: number,
): { jxx: Float32Array; jxy: Float32Array; jyy: Float32Array } {
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
  return { jxx, jxy, jyy };
}
