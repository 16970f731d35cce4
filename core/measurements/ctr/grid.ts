/**
 * The film at a working resolution (at most ~512 px on its longer side, by an integer
 * factor), smoothed: the heart border is a structure of centimetres, and every length in
 * the tracing is then a share of the thorax whatever the film's size.
 */
export interface Grid {
  width: number;
  height: number;
  /** Native pixels per grid pixel along each axis. */
  scale: number;
  values: Float32Array;
}

export const WORKING_SIZE = 512;

export function scaleFor(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / WORKING_SIZE));
}

/** Box-average of `scale`×`scale` blocks (partial blocks at the edges averaged over what exists). */
export function downsample(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: number,
): Grid {
  const w = Math.ceil(width / scale);
  const h = Math.ceil(height / scale);
  const sum = new Float64Array(w * h);
  const count = new Uint32Array(w * h);
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / scale) * w;
    for (let x = 0; x < width; x++) {
      const i = gy + Math.floor(x / scale);
      sum[i]! += values[y * width + x]!;
      count[i]!++;
    }
  }
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / count[i]!;
  return { width: w, height: h, scale, values: out };
}

/** Separable Gaussian blur (edges clamped). */
export function gaussianBlur(
  values: Float32Array,
  width: number,
  height: number,
  sigma: number,
): Float32Array {
  if (sigma <= 0) return values.slice();
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++)
    total += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= total;
  const tmp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++)
        s += kernel[k + radius]! * values[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
      tmp[y * width + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++)
        s += kernel[k + radius]! * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      out[y * width + x] = s;
    }
  }
  return out;
}
