/**
 * Exact Euclidean distance from each foreground pixel to the nearest background pixel
 * (Felzenszwalb & Huttenlocher 2012, two 1-D passes). At a vessel's centre line it is half
 * the vessel's width.
 */
import type { BinaryMask } from '../binary-mask.ts';

const INF = 1e20;

function squaredDistance1d(
  f: Float64Array,
  n: number,
  d: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    d[q] = (q - v[k]!) * (q - v[k]!) + f[v[k]!]!;
  }
}

/**
 * Up to this image size (n px across) the second pass's lower envelope is found exactly in
 * double precision when its inputs are integer squared distances (below n²): every
 * intersection is then a fraction with a denominator of at most 2n, two different ones lie
 * at least 1/(4n²) apart, and their rounding errors (each below n² × 2⁻⁵³) cannot reorder
 * them while n⁴ < 2⁵⁰. The envelope's value at each pixel is then the exact minimum over
 * the row, which a direct search finds as well, in far fewer steps.
 */
const EXACT_ENVELOPE_SIZE = 4096;

export function distanceToBackground(mask: BinaryMask): Float32Array {
  const { width, height } = mask;
  const n = Math.max(width, height);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const grid = verticalSquaredDistance(mask, d, v, z);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const line = grid.subarray(row, row + width);
    if (n <= EXACT_ENVELOPE_SIZE && allBelow(line, n * n)) {
      // Background pixels (0) stay 0.
      for (let x = 0; x < width; x++) if (line[x]) out[row + x] = Math.sqrt(nearestInRow(line, x));
    } else {
      squaredDistance1d(line, width, d, v, z);
      for (let x = 0; x < width; x++) out[row + x] = Math.sqrt(d[x]!);
    }
  }
  return out;
}

/** False where a column without background left its INF-based values in the row. */
function allBelow(line: Float64Array, limit: number): boolean {
  for (let x = 0; x < line.length; x++) if (line[x]! >= limit) return false;
  return true;
}

/**
 * min over x' of (x − x')² + line[x'], searched outward from x until the horizontal step
 * alone exceeds the best so far: a few pixels for a vessel, whose background is near.
 */
function nearestInRow(line: Float64Array, x: number): number {
  let best = line[x]!;
  for (let t = 1; t * t < best; t++) {
    const step = t * t;
    if (x - t >= 0 && step + line[x - t]! < best) best = step + line[x - t]!;
    if (x + t < line.length && step + line[x + t]! < best) best = step + line[x + t]!;
  }
  return best;
}

/**
 * The first pass: squared distance to the nearest background pixel in the same column.
 * Where a column has background the 1-D transform's lower envelope is exactly that
 * (the parabolas of foreground pixels, raised by INF, never reach below the background
 * ones inside the column), so it is read off two sweeps down and up the rows, in memory
 * order. A column without background is left to the 1-D transform itself.
 */
function verticalSquaredDistance(
  mask: BinaryMask,
  d: Float64Array,
  v: Int32Array,
  z: Float64Array,
): Float64Array {
  const { width, height, data } = mask;
  const grid = new Float64Array(width * height);
  // Row of the nearest background pixel above (then below) in each column; -1: none yet.
  const nearest = new Int32Array(width).fill(-1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) nearest[x] = y;
      else grid[row + x] = nearest[x]! < 0 ? INF : (y - nearest[x]!) * (y - nearest[x]!);
    }
  }
  const withoutBackground: number[] = [];
  for (let x = 0; x < width; x++) if (nearest[x]! < 0) withoutBackground.push(x);
  nearest.fill(-1);
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) nearest[x] = y;
      else if (nearest[x]! >= 0) {
        const below = (nearest[x]! - y) * (nearest[x]! - y);
        if (below < grid[row + x]!) grid[row + x] = below;
      }
    }
  }
  const f = new Float64Array(height);
  for (const x of withoutBackground) {
    for (let y = 0; y < height; y++) f[y] = INF;
    squaredDistance1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) grid[y * width + x] = d[y]!;
  }
  return grid;
}
