/**
 * Default rendering of a decoded frame, shared by the viewer and the model pre-processing:
 * the modality value range, the default window (the file's first, else the full range),
 * and 8-bit display values through the PS3.3 C.11 pipeline (lut.ts).
 */
import type { DecodedFrame } from '../base/schemas.ts';
import { buildDisplayTable, lookup, type GrayscalePipeline, type VoiWindow } from './lut.ts';

export function modalityRange(frame: DecodedFrame): { low: number; high: number } {
  const map = (v: number) =>
    frame.modalityLut
      ? lookup(frame.modalityLut, v)
      : v * frame.rescaleSlope + frame.rescaleIntercept;
  const a = map(frame.minValue);
  const b = map(frame.maxValue);
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

export function defaultWindow(frame: DecodedFrame): VoiWindow {
  if (frame.windows[0]) return frame.windows[0];
  const { low, high } = modalityRange(frame);
  return { center: (low + high) / 2, width: Math.max(1, high - low) };
}

/** What a viewer applies as VOI: a window (with the file's VOI LUT Function) or one of the file's VOI LUTs. */
export type VoiChoice = { kind: 'window'; window: VoiWindow } | { kind: 'lut'; index: number };

/** The file's own default rendering: a VOI LUT when it has one and no window (C.11.2). */
export function defaultVoi(frame: DecodedFrame): VoiChoice {
  return frame.voiLuts.length && !frame.windows.length
    ? { kind: 'lut', index: 0 }
    : { kind: 'window', window: defaultWindow(frame) };
}

export function voiStage(frame: DecodedFrame, choice: VoiChoice): GrayscalePipeline['voi'] {
  return choice.kind === 'lut'
    ? { lut: frame.voiLuts[choice.index], fn: frame.voiFunction }
    : { window: choice.window, fn: frame.voiFunction };
}

export function defaultPipeline(frame: DecodedFrame): GrayscalePipeline {
  const voi = voiStage(frame, defaultVoi(frame));
  return {
    rescale: { slope: frame.rescaleSlope, intercept: frame.rescaleIntercept },
    modalityLut: frame.modalityLut,
    voi,
    inverted: frame.inverted,
  };
}

/** 8-bit display values of a frame as a reader first sees it (grey: 1 sample; colour: RGB). */
export function displayBytes(frame: DecodedFrame): { channels: 1 | 3; data: Uint8Array } {
  if (frame.samplesPerPixel === 3) return { channels: 3, data: frame.pixels as Uint8Array };
  const min = Math.floor(frame.minValue);
  const table = buildDisplayTable(min, Math.ceil(frame.maxValue), defaultPipeline(frame));
  const data = new Uint8Array(frame.pixels.length);
  for (let i = 0; i < data.length; i++) data[i] = table[frame.pixels[i]! - min]!;
  return { channels: 1, data };
}
