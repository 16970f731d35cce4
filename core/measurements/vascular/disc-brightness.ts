/**
 * Brightness evidence for the optic disc: a coarse grid of the retina's brightness (vessels
 * left out), disc-sized centre-minus-surround contrast on it, its robust noise level, and
 * the disc's edge on the brightness profile around a centre.
 */
import type { BinaryMask } from '../binary-mask.ts';
import { percentile } from './percentile.ts';

export interface Grid {
  cell: number;
  gw: number;
  gh: number;
  sum: Float64Array;
  count: Float64Array;
}

/** Brightness grids of the same cells, with glints clipped and without. */
export interface BrightnessGrids {
  clipped: Grid;
  raw: Grid;
}

/**
 * Brightness on a coarse grid from field pixels that are not vessels, with integral images
 * for box means: clipped at `clip` (for the search) and unclipped (for the disc edge), from
 * one pass over the image. The cell sums are integers, so they do not depend on the order
 * they are added in.
 */
export function brightnessGrids(
  luma: Uint8Array,
  field: BinaryMask,
  vessels: BinaryMask,
  cell: number,
  clip: number,
): BrightnessGrids {
  const { width, height } = field;
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const clippedSum = new Float64Array(gw * gh);
  const rawSum = new Float64Array(gw * gh);
  const cellCount = new Float64Array(gw * gh);
  const cellColumn = new Int32Array(width);
  for (let x = 0; x < width; x++) cellColumn[x] = Math.floor(x / cell);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const cellRow = Math.floor(y / cell) * gw;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!field.data[i] || vessels.data[i]) continue;
      const g = cellRow + cellColumn[x]!;
      clippedSum[g]! += Math.min(clip, luma[i]!);
      rawSum[g]! += luma[i]!;
      cellCount[g]!++;
    }
  }
  return {
    clipped: integralOfCellMeans(clippedSum, cellCount, cell, gw, gh),
    raw: integralOfCellMeans(rawSum, cellCount, cell, gw, gh),
  };
}

function integralOfCellMeans(
  cellSum: Float64Array,
  cellCount: Float64Array,
  cell: number,
  gw: number,
  gh: number,
): Grid {
  const sum = new Float64Array((gw + 1) * (gh + 1));
  const count = new Float64Array((gw + 1) * (gh + 1));
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

/**
 * Sum and count of usable cells in the box of half-size `half` (grid cells) around cell
 * (gx, gy), written to out[at] and out[at + 1] (the candidate scan reads millions of boxes:
 * no array per box).
 */
function boxStats(
  grid: Grid,
  gx: number,
  gy: number,
  half: number,
  out: Float64Array,
  at: number,
): void {
  const x0 = Math.max(0, Math.floor(gx - half));
  const x1 = Math.min(grid.gw, Math.ceil(gx + half + 1));
  const y0 = Math.max(0, Math.floor(gy - half));
  const y1 = Math.min(grid.gh, Math.ceil(gy + half + 1));
  if (x1 <= x0 || y1 <= y0) {
    out[at] = 0;
    out[at + 1] = 0;
    return;
  }
  const w = grid.gw + 1;
  out[at] =
    grid.sum[y1 * w + x1]! -
    grid.sum[y0 * w + x1]! -
    grid.sum[y1 * w + x0]! +
    grid.sum[y0 * w + x0]!;
  out[at + 1] =
    grid.count[y1 * w + x1]! -
    grid.count[y0 * w + x1]! -
    grid.count[y1 * w + x0]! +
    grid.count[y0 * w + x0]!;
}

/** Best disc-sized centre-minus-surround contrast at (x, y) over the disc sizes, in grid units. */
export function blobContrast(
  grid: Grid,
  x: number,
  y: number,
  diameters: number[],
): { contrast: number; diameter: number } {
  const gx = x / grid.cell - 0.5;
  const gy = y / grid.cell - 0.5;
  let bestContrast = -Infinity;
  let bestDiameter = diameters[0]!;
  // Centre, inner and outer boxes: sum and count of each.
  const boxes = new Float64Array(6);
  for (const d of diameters) {
    const dc = d / grid.cell;
    boxStats(grid, gx, gy, Math.max(0.5, 0.3 * dc), boxes, 0);
    boxStats(grid, gx, gy, 0.7 * dc, boxes, 2);
    boxStats(grid, gx, gy, 1.4 * dc, boxes, 4);
    const ringCount = boxes[5]! - boxes[3]!;
    if (boxes[1]! < 1 || ringCount < 4) continue;
    const contrast = boxes[0]! / boxes[1]! - (boxes[4]! - boxes[2]!) / ringCount;
    if (contrast > bestContrast) {
      bestContrast = contrast;
      bestDiameter = d;
    }
  }
  return { contrast: bestContrast, diameter: bestDiameter };
}

/** The outermost steep fall of the brightness profile around (x, y): the disc's edge radius, or undefined. */
export function edgeRadius(
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
export function robustSpread(grid: Grid, half: number): number {
  const cells = new Float64Array(grid.gw * grid.gh);
  const box = new Float64Array(2);
  let used = 0;
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
      boxStats(grid, x, y, half, box, 0);
      cells[used++] = v - box[0]! / box[1]!;
    }
  }
  const values = cells.subarray(0, used);
  const median = percentile(values, 0.5);
  const mad = percentile(
    values.map((v) => Math.abs(v - median)),
    0.5,
  );
  return Math.max(1, 1.4826 * mad);
}
