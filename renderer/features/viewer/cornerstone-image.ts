/**
 * Adapts a decoded frame from the API to cornerstone-core's Image object, and computes
 * the VOI table the viewport draws with. The grayscale pipeline is core/imaging/lut.ts,
 * the one the engine uses: cornerstone's own modality-LUT and VOI-LUT paths are not used
 * (its modality LUT ignores the first mapped value, and it guesses VOI LUT bit depth).
 */
import type { Image, LUT } from 'cornerstone-core';
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import {
  defaultVoi,
  defaultWindow,
  modalityRange,
  voiStage,
  type VoiChoice,
} from '../../../core/imaging/frame-display.ts';
import { lookup, voiDisplayTable } from '../../../core/imaging/lut.ts';

export { defaultVoi, defaultWindow, modalityRange, type VoiChoice };

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

export function voiLutFor(frame: DecodedFrame, choice: VoiChoice): LUT {
  const { low, high } = modalityRange(frame);
  const table = voiDisplayTable(low, high, voiStage(frame, choice));
  // cornerstone reuses its cached display LUT while the VOI LUT's id is unchanged, so the id
  // must change with the window: without it a W/L drag updates the readout but not the pixels.
  const id = `${frame.instanceId}/${frame.frame}/${choice.kind === 'lut' ? `lut${choice.index}` : `${choice.window.center}/${choice.window.width}`}`;
  return {
    id,
    firstValueMapped: table.firstValueMapped,
    numBitsPerEntry: 8,
    lut: table.entries,
  } as LUT;
}

/** `view` names a colour view (red-free, enhanced) so cornerstone does not reuse the canvas of another view of the frame. */
export function toCornerstoneImage(frame: DecodedFrame, view = ''): Image {
  const color = frame.samplesPerPixel === 3;
  let pixelData: ArrayLike<number> & { byteLength: number } = color
    ? rgbToRgba(frame.pixels as Uint8Array)
    : frame.pixels;
  let slope = frame.rescaleSlope;
  let intercept = frame.rescaleIntercept;
  let min = frame.minValue;
  let max = frame.maxValue;
  if (!color && frame.modalityLut) {
    // Apply the Modality LUT here, so cornerstone sees modality values with identity rescale.
    const table = frame.modalityLut;
    const mapped = Int32Array.from(frame.pixels as ArrayLike<number>, (v) => lookup(table, v));
    ({ low: min, high: max } = modalityRange(frame));
    pixelData = mapped;
    slope = 1;
    intercept = 0;
  }
  const window = color ? { center: 128, width: 256 } : defaultWindow(frame);
  const image = {
    imageId: `neoscope:${frame.instanceId}/${frame.frame}${view ? `/${view}` : ''}`,
    minPixelValue: min,
    maxPixelValue: max,
    slope,
    intercept,
    windowCenter: window.center,
    windowWidth: window.width,
    getPixelData: () => pixelData as unknown as number[],
    rows: frame.rows,
    columns: frame.columns,
    height: frame.rows,
    width: frame.columns,
    color,
    rgba: color,
    invert: frame.inverted,
    columnPixelSpacing: frame.spacing?.column ?? 1,
    rowPixelSpacing: frame.spacing?.row ?? 1,
    sizeInBytes: pixelData.byteLength,
  };
  return image as unknown as Image;
}
