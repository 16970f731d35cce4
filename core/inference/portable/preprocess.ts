/**
 * Pre-processing from a decoded frame to a model's input tensor, one implementation for
 * the service and the page: the frame's default display rendering (8-bit), the model's
 * colour (grey luma, RGB, or the green channel fundus graders use for vessels), resizing
 * by the manifest's policy (area averaging when shrinking), scaling to 0..1 and
 * normalisation, NCHW. The geometry is kept so maps can be put back on the image.
 */
import type { DecodedFrame } from '../../base/schemas.ts';
import { displayBytes } from '../../imaging/frame-display.ts';
import type { ModelManifest } from './package-schema.ts';

/** Where the model's input grid lies on the image: image = (model − offset) / scale. */
export interface InputGeometry {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
  imageWidth: number;
  imageHeight: number;
}

type InputSpec = ModelManifest['input'];

function channelValue(
  data: Uint8Array,
  channels: 1 | 3,
  index: number,
  colour: InputSpec['colour'],
  outChannel: number,
): number {
  if (channels === 1) return data[index]!;
  const r = data[index * 3]!;
  const g = data[index * 3 + 1]!;
  const b = data[index * 3 + 2]!;
  if (colour === 'green-channel') return g;
  if (colour === 'gray') return 0.299 * r + 0.587 * g + 0.114 * b; // ITU-R BT.601 luma
  return [r, g, b][outChannel]!;
}

export function inputGeometry(width: number, height: number, spec: InputSpec): InputGeometry {
  const sx = spec.width / width;
  const sy = spec.height / height;
  if (spec.resize === 'stretch')
    return {
      scaleX: sx,
      scaleY: sy,
      offsetX: 0,
      offsetY: 0,
      imageWidth: width,
      imageHeight: height,
    };
  const s = spec.resize === 'letterbox' ? Math.min(sx, sy) : Math.max(sx, sy);
  return {
    scaleX: s,
    scaleY: s,
    offsetX: (spec.width - width * s) / 2,
    offsetY: (spec.height - height * s) / 2,
    imageWidth: width,
    imageHeight: height,
  };
}

/** Mean of the source pixels a target pixel covers (area averaging), or bilinear when enlarging. */
function sampleArea(
  plane: Float32Array,
  width: number,
  height: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): number {
  if (x1 - x0 <= 1 && y1 - y0 <= 1) {
    const x = Math.min(width - 1, Math.max(0, (x0 + x1) / 2 - 0.5));
    const y = Math.min(height - 1, Math.max(0, (y0 + y1) / 2 - 0.5));
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    const fx = x - xi;
    const fy = y - yi;
    const at = (cx: number, cy: number) =>
      plane[Math.min(height - 1, cy) * width + Math.min(width - 1, cx)]!;
    return (
      (at(xi, yi) * (1 - fx) + at(xi + 1, yi) * fx) * (1 - fy) +
      (at(xi, yi + 1) * (1 - fx) + at(xi + 1, yi + 1) * fx) * fy
    );
  }
  let sum = 0;
  let weight = 0;
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    if (y < 0 || y >= height) continue;
    const wy = Math.min(y + 1, y1) - Math.max(y, y0);
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      if (x < 0 || x >= width) continue;
      const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
      sum += plane[y * width + x]! * w;
      weight += w;
    }
  }
  return weight > 0 ? sum / weight : 0;
}

export function preprocessFrame(
  frame: DecodedFrame,
  spec: InputSpec,
): { tensor: Float32Array; geometry: InputGeometry } {
  const { channels, data } = displayBytes(frame);
  const geometry = inputGeometry(frame.columns, frame.rows, spec);
  const tensor = new Float32Array(spec.channels * spec.height * spec.width);
  const plane = new Float32Array(frame.rows * frame.columns);
  for (let c = 0; c < spec.channels; c++) {
    for (let i = 0; i < plane.length; i++)
      plane[i] = channelValue(data, channels, i, spec.colour, c);
    const mean = spec.mean[c] ?? spec.mean[0] ?? 0;
    const std = spec.std[c] ?? spec.std[0] ?? 1;
    for (let y = 0; y < spec.height; y++) {
      const sy0 = (y - geometry.offsetY) / geometry.scaleY;
      const sy1 = (y + 1 - geometry.offsetY) / geometry.scaleY;
      for (let x = 0; x < spec.width; x++) {
        const sx0 = (x - geometry.offsetX) / geometry.scaleX;
        const sx1 = (x + 1 - geometry.offsetX) / geometry.scaleX;
        const inside = sx1 > 0 && sy1 > 0 && sx0 < frame.columns && sy0 < frame.rows;
        let v = inside ? sampleArea(plane, frame.columns, frame.rows, sx0, sx1, sy0, sy1) : 0; // letterbox padding is black
        if (spec.scaleTo01) v /= 255;
        tensor[(c * spec.height + y) * spec.width + x] = (v - mean) / std;
      }
    }
  }
  return { tensor, geometry };
}

/** A map on the model's input grid, resampled onto the image (nearest-neighbour on the grid). */
export function mapToImage(
  values: Float32Array,
  spec: { width: number; height: number },
  geometry: InputGeometry,
): Float32Array {
  const out = new Float32Array(geometry.imageWidth * geometry.imageHeight);
  for (let y = 0; y < geometry.imageHeight; y++) {
    const my = Math.min(
      spec.height - 1,
      Math.max(0, Math.floor((y + 0.5) * geometry.scaleY + geometry.offsetY)),
    );
    for (let x = 0; x < geometry.imageWidth; x++) {
      const mx = Math.min(
        spec.width - 1,
        Math.max(0, Math.floor((x + 0.5) * geometry.scaleX + geometry.offsetX)),
      );
      out[y * geometry.imageWidth + x] = values[my * spec.width + mx]!;
    }
  }
  return out;
}
