/**
 * Contrast-limited adaptive histogram equalisation (Zuiderveld, Graphics Gems IV, 1994),
 * the "contrast-enhanced" view of a fundus photograph: vessels and the ridge stand out in
 * dim peripheral photographs without saturating the bright disc.
 *
 * The image is split into tiles; each tile's 256-bin histogram is clipped at `clipLimit`
 * times its mean bin height (the excess spread evenly over all bins) and turned into a
 * mapping by its cumulative sum. A pixel's output blends the mappings of the four nearest
 * tile centres bilinearly, so tile borders do not show.
 *
 * Colour is enhanced through its luminance (Rec. 601): each channel is scaled by
 * Y'/Y, which keeps hue while contrast changes.
 */
export interface ClaheOptions {
  /** Tiles across and down (default 8). */
  tiles?: number;
  /** Clip limit as a multiple of the mean bin height (default 2; 1 = no enhancement beyond flat). */
  clipLimit?: number;
}

/** One 256-entry mapping per tile, tiles in row-major order. */
function tileMappings(
  grey: Uint8Array,
  width: number,
  height: number,
  tiles: number,
  clipLimit: number,
): Uint8Array[] {
  const mappings: Uint8Array[] = [];
  const histogram = new Uint32Array(256);
  for (let ty = 0; ty < tiles; ty++) {
    for (let tx = 0; tx < tiles; tx++) {
      const x0 = Math.floor((tx * width) / tiles);
      const x1 = Math.floor(((tx + 1) * width) / tiles);
      const y0 = Math.floor((ty * height) / tiles);
      const y1 = Math.floor(((ty + 1) * height) / tiles);
      histogram.fill(0);
      for (let y = y0; y < y1; y++)
        for (let x = x0, i = y * width + x0; x < x1; x++, i++) histogram[grey[i]!]!++;
      const count = Math.max(1, (x1 - x0) * (y1 - y0));
      const limit = Math.max(1, Math.floor((clipLimit * count) / 256));
      let excess = 0;
      for (let b = 0; b < 256; b++) {
        if (histogram[b]! > limit) {
          excess += histogram[b]! - limit;
          histogram[b] = limit;
        }
      }
      const share = Math.floor(excess / 256);
      let remainder = excess - share * 256;
      for (let b = 0; b < 256; b++) histogram[b]! += share + (remainder-- > 0 ? 1 : 0);
      const mapping = new Uint8Array(256);
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        sum += histogram[b]!;
        mapping[b] = Math.min(255, Math.round((sum * 255) / count));
      }
      mappings.push(mapping);
    }
  }
  return mappings;
}

/** CLAHE of an 8-bit grey image. */
export function claheGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  options: ClaheOptions = {},
): Uint8Array {
  const tiles = Math.max(1, Math.min(options.tiles ?? 8, width, height));
  const mappings = tileMappings(grey, width, height, tiles, options.clipLimit ?? 2);
  const out = new Uint8Array(grey.length);
  const tileW = width / tiles;
  const tileH = height / tiles;
  // Per column: the two tiles whose centres surround it, and the weight of the right one.
  const left = new Int32Array(width);
  const weightX = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(tiles - 1, Math.max(0, (x + 0.5) / tileW - 0.5));
    left[x] = Math.min(tiles - 2, Math.floor(fx));
    weightX[x] = tiles === 1 ? 0 : fx - left[x]!;
    if (tiles === 1) left[x] = 0;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(tiles - 1, Math.max(0, (y + 0.5) / tileH - 0.5));
    const top = tiles === 1 ? 0 : Math.min(tiles - 2, Math.floor(fy));
    const wy = tiles === 1 ? 0 : fy - top;
    const bottom = tiles === 1 ? 0 : top + 1;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const l = left[x]!;
      const r = tiles === 1 ? 0 : l + 1;
      const wx = weightX[x]!;
      const v = grey[i]!;
      const a = mappings[top * tiles + l]![v]!;
      const b = mappings[top * tiles + r]![v]!;
      const c = mappings[bottom * tiles + l]![v]!;
      const d = mappings[bottom * tiles + r]![v]!;
      out[i] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (c * (1 - wx) + d * wx) * wy);
    }
  }
  return out;
}

/** CLAHE of interleaved 8-bit RGB through its luminance, hue kept. */
export function claheRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  options: ClaheOptions = {},
): Uint8Array {
  const pixels = width * height;
  const luma = new Uint8Array(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 3)
    luma[i] = Math.round(0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!);
  const enhanced = claheGrey(luma, width, height, options);
  const out = new Uint8Array(rgb.length);
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    const gain = enhanced[i]! / Math.max(1, luma[i]!);
    out[j] = Math.min(255, Math.round(rgb[j]! * gain));
    out[j + 1] = Math.min(255, Math.round(rgb[j + 1]! * gain));
    out[j + 2] = Math.min(255, Math.round(rgb[j + 2]! * gain));
  }
  return out;
}

/** Global histogram equalisation: the reference CLAHE is benchmarked against. */
export function equaliseGrey(grey: Uint8Array): Uint8Array {
  const histogram = new Uint32Array(256);
  for (const v of grey) histogram[v]!++;
  const mapping = new Uint8Array(256);
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    sum += histogram[b]!;
    mapping[b] = Math.round((sum * 255) / Math.max(1, grey.length));
  }
  return grey.map((v) => mapping[v]!);
}
