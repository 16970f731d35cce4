/**
 * What the reader saw, as one RGB image for reports: the frame's display rendering with
 * the AI result drawn on it: vessels coloured by tortuosity for the vascular metrics, or
 * the lung fields tinted with the cardiothoracic lines (thoracic red, cardiac cyan).
 */
import type { DecodedFrame } from '../base/schemas.ts';
import { displayBytes } from '../imaging/frame-display.ts';
import type {
  DerivedMeasurement,
  ProbabilityMapOnImage,
} from '../measurements/derive-measurements.ts';

export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

function baseRgb(frame: DecodedFrame): RgbImage {
  const { channels, data } = displayBytes(frame);
  const n = frame.rows * frame.columns;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = channels === 3 ? data[i * 3 + c]! : data[i]!;
  return { width: frame.columns, height: frame.rows, rgb };
}

function blend(image: RgbImage, index: number, colour: readonly number[], alpha: number): void {
  for (let c = 0; c < 3; c++)
    image.rgb[index * 3 + c] = Math.round(
      image.rgb[index * 3 + c]! * (1 - alpha) + colour[c]! * alpha,
    );
}

function line(
  image: RgbImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: readonly number[],
  thickness: number,
): void {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  const r = Math.max(1, Math.round(thickness / 2));
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + ((x1 - x0) * s) / steps);
    const y = Math.round(y0 + ((y1 - y0) * s) / steps);
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < image.width && yy < image.height)
          blend(image, yy * image.width + xx, colour, 1);
      }
    }
  }
}

export function overlayImage(
  frame: DecodedFrame,
  map: ProbabilityMapOnImage,
  derived: DerivedMeasurement,
): RgbImage {
  const image = baseRgb(frame);
  if (derived.kind === 'retinal-vascular-metrics') {
    const { rgba } = derived.overlay;
    for (let i = 0; i < image.width * image.height; i++)
      if (rgba[i * 4 + 3])
        blend(image, i, [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!], rgba[i * 4 + 3]! / 255);
    return image;
  }
  for (let i = 0; i < image.width * image.height; i++)
    if (map.values[i]! >= map.threshold) blend(image, i, [60, 140, 255], 0.25);
  const m = derived.measurement;
  const thickness = Math.max(2, Math.round(image.width / 300));
  line(
    image,
    m.thoracic[0].x,
    m.thoracic[0].y,
    m.thoracic[1].x,
    m.thoracic[1].y,
    [230, 40, 40],
    thickness,
  );
  const y = Math.round((m.cardiac[0].y + m.cardiac[1].y) / 2);
  line(image, m.cardiac[0].x, y, m.cardiac[1].x, y, [40, 220, 230], thickness);
  for (const p of m.cardiac)
    line(image, p.x, p.y - 3 * thickness, p.x, p.y + 3 * thickness, [40, 220, 230], thickness);
  return image;
}
