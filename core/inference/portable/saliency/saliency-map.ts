/** A saliency map in model-input coordinates (row-major, height × width), plus helpers. */
export interface SaliencyMap {
  method: 'cam' | 'occlusion' | 'rise' | 'probability-map';
  width: number;
  height: number;
  values: Float32Array;
}

/** Scales to 0..1 after clipping negatives (evidence against the class is not shown). */
export function normaliseMap(values: Float32Array): Float32Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const out = new Float32Array(values.length);
  if (max > 0) for (let i = 0; i < values.length; i++) out[i] = Math.max(0, values[i]!) / max;
  return out;
}

/** Bilinear resampling of a map (used to bring feature-map CAMs to input size). */
export function resizeMap(
  values: Float32Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float32Array {
  const out = new Float32Array(toWidth * toHeight);
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(height - 1, Math.max(0, ((y + 0.5) * height) / toHeight - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(width - 1, Math.max(0, ((x + 0.5) * width) / toWidth - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = values[y0 * width + x0]! * (1 - fx) + values[y0 * width + x1]! * fx;
      const bottom = values[y1 * width + x0]! * (1 - fx) + values[y1 * width + x1]! * fx;
      out[y * toWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Share of the map's total mass inside a rectangle (how "concentrated" an explanation is). */
export function massFraction(
  map: SaliencyMap,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  let inside = 0;
  let total = 0;
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      const v = Math.max(0, map.values[y * map.width + x]!);
      total += v;
      if (x >= x0 && x < x1 && y >= y0 && y < y1) inside += v;
    }
  }
  return total > 0 ? inside / total : 0;
}
