/**
 * Draws a 0..1 map (saliency or probability, in image pixels) over the viewport: as a
 * filled heat map (transparent below the threshold, coloured by the chosen colormap with
 * the chosen opacity) or as the contour of the region above the threshold (segmentations).
 * A finding's region (the bounding box of the map above the threshold) can be outlined.
 */
export interface HeatMap {
  width: number;
  height: number;
  values: Float32Array;
}

export const COLORMAPS = ['heat', 'viridis', 'red'] as const;
export type Colormap = (typeof COLORMAPS)[number];

type Rgb = [number, number, number];
const RAMPS: Record<Colormap, Array<[number, Rgb]>> = {
  // Dark blue → cyan → yellow → red.
  heat: [
    [0, [20, 40, 160]],
    [0.35, [0, 190, 220]],
    [0.65, [250, 220, 40]],
    [1, [230, 30, 20]],
  ],
  // Perceptually uniform and readable with colour-vision deficiency (matplotlib's viridis, 5 stops).
  viridis: [
    [0, [68, 1, 84]],
    [0.25, [59, 82, 139]],
    [0.5, [33, 145, 140]],
    [0.75, [94, 201, 98]],
    [1, [253, 231, 37]],
  ],
  // One hue, strength by value: reads well over a grey film.
  red: [
    [0, [120, 0, 0]],
    [1, [255, 40, 40]],
  ],
};

export function colourOf(v: number, colormap: Colormap = 'heat'): Rgb {
  const stops = RAMPS[colormap];
  const t = Math.max(0, Math.min(1, v));
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i]!;
    const [t0, c0] = stops[i - 1]!;
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k]! + (c1[k]! - c0[k]!) * f)) as Rgb;
    }
  }
  return stops[stops.length - 1]![1];
}

export interface OverlayStyle {
  threshold: number;
  opacity: number;
  colormap: Colormap;
  /** Fill the map, or draw only the outline of the region above the threshold. */
  style: 'fill' | 'contour';
}

function heatImage(
  map: HeatMap,
  threshold: number,
  opacity: number,
  colormap: Colormap = 'heat',
): ImageData {
  const image = new ImageData(map.width, map.height);
  for (let i = 0; i < map.values.length; i++) {
    const v = map.values[i]!;
    if (v < threshold) continue;
    const [r, g, b] = colourOf(v, colormap);
    image.data.set([r, g, b, Math.round(opacity * 255)], i * 4);
  }
  return image;
}

/** Pixels above the threshold with a 4-neighbour at or below it (or at the image edge). */
export function contourMask(map: HeatMap, threshold: number): Uint8Array {
  const { width, height, values } = map;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (values[i]! < threshold) continue;
      const inside = (xx: number, yy: number) =>
        xx >= 0 && yy >= 0 && xx < width && yy < height && values[yy * width + xx]! >= threshold;
      if (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1))
        mask[i] = 1;
    }
  }
  return mask;
}

/**
 * Longest side of the grid an overlay is rendered on. Model maps come from inputs of a few
 * hundred pixels, so nothing is lost; a film-sized source (1841×1955) redrawn on every
 * window/level frame would cost more than the film itself.
 */
const OVERLAY_GRID = 512;

/** The map resampled (nearest sample) so that its longer side is at most OVERLAY_GRID. */
function resampleMap(map: HeatMap): HeatMap {
  const step = Math.max(1, Math.max(map.width, map.height) / OVERLAY_GRID);
  if (step === 1) return map;
  const width = Math.max(1, Math.round(map.width / step));
  const height = Math.max(1, Math.round(map.height / step));
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(map.height - 1, Math.floor((y + 0.5) * step));
    for (let x = 0; x < width; x++)
      values[y * width + x] =
        map.values[sy * map.width + Math.min(map.width - 1, Math.floor((x + 0.5) * step))]!;
  }
  return { width, height, values };
}

/** The contour, thickened by one cell so that it stays a visible line when the whole image is shown. */
function contourImage(map: HeatMap, threshold: number, colormap: Colormap): ImageData {
  const { width, height } = map;
  const edge = contourMask(map, threshold);
  const image = new ImageData(width, height);
  const [r, g, b] = colourOf(1, colormap);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const near =
        edge[y * width + x] ||
        (x > 0 && edge[y * width + x - 1]) ||
        (y > 0 && edge[(y - 1) * width + x]);
      if (near) image.data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return image;
}

/** The bounding box (image pixels) of the map above the threshold, or undefined when nothing is. */
export function regionAbove(
  map: HeatMap,
  threshold: number,
): { x: number; y: number; width: number; height: number } | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      if (map.values[y * map.width + x]! < threshold) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * The map rendered once per map and style, at its own resolution (or the contour grid's):
 * redrawing on every pan, zoom or window/level frame then costs one scaled drawImage.
 */
export function renderOverlaySource(map: HeatMap, style: OverlayStyle): HTMLCanvasElement {
  const grid = resampleMap(map);
  const image =
    style.style === 'contour'
      ? contourImage(grid, style.threshold, style.colormap)
      : heatImage(grid, style.threshold, style.opacity, style.colormap);
  const source = document.createElement('canvas');
  source.width = grid.width;
  source.height = grid.height;
  source.getContext('2d')!.putImageData(image, 0, 0);
  return source;
}

/**
 * Draws a rendered map onto the overlay canvas through `transform`, the image-to-canvas
 * matrix the viewport draws the image with (so zoom, pan, rotation and flips line up), and
 * outlines the highlighted region.
 */
export function drawOverlaySource(
  canvas: HTMLCanvasElement,
  source: HTMLCanvasElement,
  map: HeatMap,
  transform: readonly number[],
  crisp: boolean,
  highlight?: { x: number; y: number; width: number; height: number },
): void {
  const context = canvas.getContext('2d')!;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, canvas.width, canvas.height);
  const [a, b, c, d, e, f] = transform as [number, number, number, number, number, number];
  context.setTransform(a, b, c, d, e, f);
  // A contour is a thin line: keep it crisp when enlarged.
  context.imageSmoothingEnabled = !crisp;
  context.drawImage(source, 0, 0, map.width, map.height);
  if (highlight) {
    const scale = Math.hypot(a, b);
    context.lineWidth = 3 / scale;
    context.setLineDash([8 / scale, 5 / scale]);
    context.strokeStyle = '#ffffff';
    context.strokeRect(highlight.x, highlight.y, highlight.width, highlight.height);
  }
  context.setTransform(1, 0, 0, 1, 0, 0);
}
