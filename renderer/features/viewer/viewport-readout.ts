/**
 * What the viewport's corner overlay says: the VOI in use, the pixel under the pointer with
 * its stored value, and where distances come from (the spacing attribute, PS3.3 10.7.1.3).
 */
import type { DecodedFrame } from '../../../core/api/schemas.ts';
import type { VoiChoice } from './cornerstone-image.ts';

/** The file's own VOI presets: its windows, then its VOI LUTs (PS3.3 C.11.2). */
export function filePresets(frame: DecodedFrame): VoiChoice[] {
  return [
    ...frame.windows.map((window) => ({ kind: 'window' as const, window })),
    ...frame.voiLuts.map((_, index) => ({ kind: 'lut' as const, index })),
  ];
}

export function voiLabel(frame: DecodedFrame, voi: VoiChoice | undefined): string {
  if (!voi) return 'colour';
  if (voi.kind === 'lut')
    return `VOI LUT ${frame.voiLuts[voi.index]?.explanation ?? voi.index + 1}`;
  const fn = frame.voiFunction === 'LINEAR' ? '' : ` ${frame.voiFunction}`;
  const named = voi.window.explanation ? ` (${voi.window.explanation})` : '';
  return `W ${Math.round(voi.window.width)} / L ${Math.round(voi.window.center)}${fn}${named}`;
}

/** The stored value (or RGB) of the image pixel under the pointer, or undefined outside the image. */
export function pointerReadout(
  frame: DecodedFrame,
  point: { x: number; y: number },
): { x: number; y: number; value: string } | undefined {
  const x = Math.floor(point.x);
  const y = Math.floor(point.y);
  if (x < 0 || y < 0 || x >= frame.columns || y >= frame.rows) return undefined;
  const i = y * frame.columns + x;
  if (frame.samplesPerPixel === 3)
    return {
      x,
      y,
      value: `RGB ${frame.pixels[i * 3]} ${frame.pixels[i * 3 + 1]} ${frame.pixels[i * 3 + 2]}`,
    };
  const stored = frame.pixels[i]!;
  const modality = stored * frame.rescaleSlope + frame.rescaleIntercept;
  return {
    x,
    y,
    value:
      modality === stored ? `${stored}` : `${stored} (modality ${Number(modality.toFixed(3))})`,
  };
}

export function calibrationNote(frame: DecodedFrame): string {
  switch (frame.spacing?.source) {
    case 'PixelSpacing':
      return 'spacing: Pixel Spacing (patient plane)';
    case 'ImagerPixelSpacing':
      return 'spacing: Imager Pixel Spacing (at detector; lengths not corrected for magnification)';
    case 'NominalScannedPixelSpacing':
      return 'spacing: nominal scanned (film digitiser)';
    default:
      return 'no pixel spacing: distances in pixels';
  }
}
