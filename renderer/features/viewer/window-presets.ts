/**
 * Window/level presets. CT has fixed Hounsfield presets. A projection film (CR, DX) has no
 * absolute scale: its presets come from the film's own histogram of modality values,
 * measured on what the reader sees (dark = air), so they work for MONOCHROME1 and 2 alike:
 *   chest: nearly the whole range of the film (lungs and mediastinum both readable),
 *   soft tissue: the brighter part (mediastinum, heart, lines and tubes),
 *   bone: the brightest part.
 * Colour images (fundus photographs) have none.
 */
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import { lookup } from '../../../core/imaging/lut.ts';

export interface WindowPreset {
  name: string;
  center: number;
  width: number;
}

/** Conventional CT windows in HU. */
const CT_PRESETS: WindowPreset[] = [
  { name: 'lung', center: -600, width: 1500 },
  { name: 'soft tissue', center: 40, width: 400 },
  { name: 'bone', center: 400, width: 1800 },
];

/** Display-brightness percentiles each film preset spans (0 = darkest displayed, 100 = brightest). */
const FILM_PRESETS: Array<{ name: string; from: number; to: number }> = [
  { name: 'chest', from: 1, to: 99 },
  { name: 'soft tissue', from: 40, to: 99.5 },
  { name: 'bone', from: 75, to: 100 },
];

/** Modality values of a sample of the frame's pixels, sorted from darkest to brightest as displayed. */
function displayOrderedSample(frame: DecodedFrame): Float64Array {
  const step = Math.max(1, Math.floor(frame.pixels.length / 65_536));
  const values = new Float64Array(Math.ceil(frame.pixels.length / step));
  for (let i = 0, j = 0; i < frame.pixels.length; i += step, j++) {
    const stored = frame.pixels[i]!;
    values[j] = frame.modalityLut
      ? lookup(frame.modalityLut, stored)
      : stored * frame.rescaleSlope + frame.rescaleIntercept;
  }
  // A typed array sorts numerically without a comparator call per step: several times
  // faster on the 65,536 values of a large film, which are sorted as it is first shown.
  values.sort();
  // Inverted display (MONOCHROME1): high values are dark.
  return frame.inverted ? values.reverse() : values;
}

export function windowPresets(frame: DecodedFrame, modality: string): WindowPreset[] {
  if (frame.samplesPerPixel !== 1) return [];
  if (modality === 'CT') return CT_PRESETS;
  const ordered = displayOrderedSample(frame);
  const at = (percent: number) =>
    ordered[
      Math.min(ordered.length - 1, Math.max(0, Math.round((percent / 100) * (ordered.length - 1))))
    ]!;
  return FILM_PRESETS.map(({ name, from, to }) => {
    const a = at(from);
    const b = at(to);
    return { name, center: (a + b) / 2, width: Math.max(1, Math.abs(b - a)) };
  });
}
