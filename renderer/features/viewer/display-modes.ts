/**
 * How a colour fundus photograph is shown: as taken, red-free (the green channel, where
 * vessels and haemorrhages have the most contrast, as a grey image), or contrast-enhanced
 * (CLAHE through luminance, for dim peripheral photographs). The stored image is never
 * changed; the pixel readout keeps reporting the stored RGB values.
 */
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { claheRgb } from '../../../core/imaging/clahe.ts';

export const COLOUR_VIEWS = ['colour', 'red-free', 'enhanced'] as const;
export type ColourView = (typeof COLOUR_VIEWS)[number];

export function redFree(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const g = rgb[i + 1]!;
    out[i] = g;
    out[i + 1] = g;
    out[i + 2] = g;
  }
  return out;
}

/** The frame as the chosen view draws it (colour frames only; grey frames are returned as they are). */
export function colourView(frame: DecodedFrame, view: ColourView): DecodedFrame {
  if (frame.samplesPerPixel !== 3 || view === 'colour') return frame;
  const rgb = frame.pixels as Uint8Array;
  return {
    ...frame,
    pixels: view === 'red-free' ? redFree(rgb) : claheRgb(rgb, frame.columns, frame.rows),
  };
}
