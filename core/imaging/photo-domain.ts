/**
 * What a plain photo (JPEG/PNG/TIFF export) shows, from its pixels alone: a fundus
 * photograph, a chest film, or something else. Camera exports carry no modality, and a
 * chest film saved as JPEG among a day's fundus photos must never reach a retina model.
 *
 *   fundus field — fundus cameras and indirect ophthalmoscopes image through a round
 *                  aperture: a bright, filled disc (possibly clipped at two edges) on a
 *                  near-black surround;
 *   grey         — radiographs are monochrome: the three channels nearly equal everywhere.
 *
 * A fundus field means retina (colour or red-free); grey without one means a chest film;
 * colour without one is another photo. The test runs on a small copy (≤ 128 px a side),
 * so it costs little next to decoding.
 */

export interface RgbThumbnail {
  width: number;
  height: number;
  /** Interleaved RGB, 8 bits a sample. */
  rgb: Uint8Array;
}

export interface PhotoDomainGuess {
  domain: 'retina' | 'chest' | 'other';
  grey: boolean;
  fundusField: boolean;
  /** Why, in words a reader can check against the image. */
  reason: string;
}

/**
 * How far each pixel's hue strays from the image's average hue, as chromaticity (each
 * channel's share of the pixel's sum, in hundredths): a film photographed under a warm lamp
 * has a cast but one hue throughout, so the spread, not the tint, says grey. Pixels too dark
 * to have a measurable hue are left out. Mean and 99th percentile.
 */
function hueSpread(rgb: Uint8Array): { mean: number; p99: number } {
  const shares: number[] = [];
  let red = 0;
  let blue = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    const sum = rgb[i]! + rgb[i + 1]! + rgb[i + 2]!;
    if (sum < 60) continue;
    const r = rgb[i]! / sum;
    const b = rgb[i + 2]! / sum;
    shares.push(r, b);
    red += r;
    blue += b;
  }
  const n = shares.length / 2;
  if (!n) return { mean: 0, p99: 0 };
  red /= n;
  blue /= n;
  const histogram = new Uint32Array(101);
  let total = 0;
  for (let k = 0; k < shares.length; k += 2) {
    const deviation = Math.min(
      100,
      Math.round(100 * Math.max(Math.abs(shares[k]! - red), Math.abs(shares[k + 1]! - blue))),
    );
    histogram[deviation]!++;
    total += deviation;
  }
  let seen = 0;
  let p99 = 0;
  for (; p99 < 100; p99++) {
    seen += histogram[p99]!;
    if (seen >= n * 0.99) break;
  }
  return { mean: total / n, p99 };
}

/** Brightness as the brightest channel: a fundus is red, and red alone must count as bright. */
function brightness(image: RgbThumbnail): Uint8Array {
  const out = new Uint8Array(image.width * image.height);
  for (let p = 0, i = 0; p < out.length; p++, i += 3)
    out[p] = Math.max(image.rgb[i]!, image.rgb[i + 1]!, image.rgb[i + 2]!);
  return out;
}

function percentile(values: Uint8Array, q: number): number {
  const histogram = new Uint32Array(256);
  for (const v of values) histogram[v]!++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= values.length * q) return v;
  }
  return 255;
}

/**
 * A bright filled disc on a dark surround. The disc is the ellipse in the bright pixels'
 * bounding box (rows and columns count when over 3 % of them are bright, so a label or a
 * stray reflection does not stretch it); a field clipped by the sensor at two opposite edges
 * keeps its circle. Inside the disc nearly everything is bright; outside it nearly nothing.
 */
export function hasFundusField(image: RgbThumbnail): { found: boolean; detail: string } {
  const { width: w, height: h } = image;
  const lum = brightness(image);
  const threshold = Math.max(14, 0.12 * percentile(lum, 0.98));
  const rowCount = new Uint32Array(h);
  const colCount = new Uint32Array(w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (lum[y * w + x]! > threshold) {
        rowCount[y]!++;
        colCount[x]!++;
      }
  const span = (counts: Uint32Array, length: number) => {
    const min = Math.max(1, 0.03 * length);
    let first = counts.findIndex((c) => c >= min);
    let last = counts.length - 1;
    while (last >= 0 && counts[last]! < min) last--;
    if (first < 0) first = last = -1;
    return { first, last };
  };
  const cols = span(colCount, h);
  const rows = span(rowCount, w);
  if (cols.first < 0 || rows.first < 0) return { found: false, detail: 'no bright field' };
  let cx = (cols.first + cols.last + 1) / 2;
  let cy = (rows.first + rows.last + 1) / 2;
  let rx = (cols.last - cols.first + 1) / 2;
  let ry = (rows.last - rows.first + 1) / 2;
  const clippedV = rows.first <= 1 && rows.last >= h - 2;
  const clippedH = cols.first <= 1 && cols.last >= w - 2;
  if (clippedV && !clippedH && rx > ry) [ry, cy] = [rx, h / 2];
  else if (clippedH && !clippedV && ry > rx) [rx, cx] = [ry, w / 2];
  let inside = 0;
  let insideBright = 0;
  let outside = 0;
  let outsideDark = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
      const bright = lum[y * w + x]! > threshold;
      if (d < 0.85 ** 2) {
        inside++;
        if (bright) insideBright++;
      } else if (d > 1.12 ** 2) {
        outside++;
        if (!bright) outsideDark++;
      }
    }
  const fill = insideBright / Math.max(inside, 1);
  const dark = outsideDark / Math.max(outside, 1);
  const surround = outside / (w * h);
  const found = fill >= 0.85 && dark >= 0.92 && surround >= 0.04;
  return {
    found,
    detail: `field fill ${(fill * 100).toFixed(0)} %, surround dark ${(dark * 100).toFixed(0)} % of ${(surround * 100).toFixed(0)} % of the image`,
  };
}

export function guessPhotoDomain(image: RgbThumbnail): PhotoDomainGuess {
  const spread = hueSpread(image.rgb);
  // JPEG chroma noise on a grey film moves a share by a hundredth or two; a fundus by tens.
  const grey = spread.mean < 1 && spread.p99 < 4;
  const field = hasFundusField(image);
  const colour = grey
    ? `grey (hue within ${spread.p99} % of one tint)`
    : `colour (hue strays ${spread.mean.toFixed(1)} % from the average)`;
  if (field.found)
    return {
      domain: 'retina',
      grey,
      fundusField: true,
      reason: `${colour} with a circular fundus field (${field.detail})`,
    };
  return {
    domain: grey ? 'chest' : 'other',
    grey,
    fundusField: false,
    reason: `${colour} and no circular fundus field (${field.detail})`,
  };
}
