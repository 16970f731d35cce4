/**
 * Adapts a decoded frame from the API to cornerstone-core's Image object. MONOCHROME1
 * is displayed inverted (PS3.3 C.7.6.3.1.2: minimum value is white); colour frames are
 * given to cornerstone as RGBA, which its colour renderer expects.
 */
import type { Image } from 'cornerstone-core';
import type { DecodedFrame } from '../../../core/api/schemas.ts';

export function rgbToRgba(rgb: Uint8Array): Uint8Array {
  const pixels = rgb.length / 3;
  const rgba = new Uint8Array(pixels * 4);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    rgba[j] = rgb[i * 3]!;
    rgba[j + 1] = rgb[i * 3 + 1]!;
    rgba[j + 2] = rgb[i * 3 + 2]!;
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Default window: the file's own, else the full range of modality values. */
export function defaultWindow(frame: DecodedFrame): { center: number; width: number } {
  if (frame.windowCenter !== undefined && frame.windowWidth !== undefined) return { center: frame.windowCenter, width: frame.windowWidth };
  const low = frame.minValue * frame.rescaleSlope + frame.rescaleIntercept;
  const high = frame.maxValue * frame.rescaleSlope + frame.rescaleIntercept;
  return { center: (low + high) / 2, width: Math.max(1, Math.abs(high - low)) };
}

export function toCornerstoneImage(frame: DecodedFrame): Image {
  const color = frame.samplesPerPixel === 3;
  const pixelData = color ? rgbToRgba(frame.pixels as Uint8Array) : frame.pixels;
  const window = color ? { center: 128, width: 256 } : defaultWindow(frame);
  const image = {
    imageId: `neoscope:${frame.instanceId}/${frame.frame}`,
    minPixelValue: frame.minValue,
    maxPixelValue: frame.maxValue,
    slope: frame.rescaleSlope,
    intercept: frame.rescaleIntercept,
    windowCenter: window.center,
    windowWidth: window.width,
    getPixelData: () => pixelData as unknown as number[],
    rows: frame.rows,
    columns: frame.columns,
    height: frame.rows,
    width: frame.columns,
    color,
    rgba: color,
    invert: frame.photometric === 'MONOCHROME1',
    columnPixelSpacing: frame.spacing?.column ?? 1,
    rowPixelSpacing: frame.spacing?.row ?? 1,
    sizeInBytes: pixelData.byteLength,
  };
  return image as unknown as Image;
}
