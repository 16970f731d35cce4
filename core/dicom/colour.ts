/**
 * Colour frames to interleaved 8-bit RGB for display. The stored bytes are kept as they
 * are for export and comparison; only what is drawn is converted.
 *   YBR_FULL      → RGB with the full-range equations of PS3.3 C.7.6.3.1.2;
 *   YBR_FULL_422  → in native data each pair of pixels is stored Y1 Y2 Cb Cr
 *                   (PS3.3 C.7.6.3.1.2), upsampled by repeating chroma;
 *   planar data   → interleaved (Planar Configuration 1, PS3.3 C.7.6.3.1.3).
 */
import { DicomError } from './errors.ts';

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** Colour-by-plane samples (R…, G…, B…) to colour-by-pixel (RGB RGB …), any sample width. */
export function planarToInterleaved(
  planar: Uint8Array,
  pixelCount: number,
  components = 3,
  bytesPerSample = 1,
): Uint8Array {
  const out = new Uint8Array(pixelCount * components * bytesPerSample);
  for (let c = 0; c < components; c++) {
    for (let i = 0; i < pixelCount; i++) {
      for (let b = 0; b < bytesPerSample; b++)
        out[(i * components + c) * bytesPerSample + b] =
          planar[(c * pixelCount + i) * bytesPerSample + b]!;
    }
  }
  return out;
}

export function ybrFullToRgb(ybr: Uint8Array): Uint8Array {
  const out = new Uint8Array(ybr.length);
  for (let i = 0; i + 2 < ybr.length; i += 3) {
    const y = ybr[i]!;
    const cb = ybr[i + 1]! - 128;
    const cr = ybr[i + 2]! - 128;
    out[i] = clampByte(y + 1.402 * cr);
    out[i + 1] = clampByte(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clampByte(y + 1.772 * cb);
  }
  return out;
}

/** Native YBR_FULL_422: 4 bytes (Y1 Y2 Cb Cr) per 2 pixels → interleaved YBR_FULL. */
export function ybr422ToYbrFull(data: Uint8Array, pixelCount: number): Uint8Array {
  const out = new Uint8Array(pixelCount * 3);
  for (let pixel = 0, src = 0; pixel < pixelCount; pixel += 2, src += 4) {
    const cb = data[src + 2]!;
    const cr = data[src + 3]!;
    out.set([data[src]!, cb, cr], pixel * 3);
    if (pixel + 1 < pixelCount) out.set([data[src + 1]!, cb, cr], pixel * 3 + 3);
  }
  return out;
}

export function toDisplayRgb(
  interleaved: Uint8Array,
  photometric: string,
  fileName: string,
): Uint8Array {
  switch (photometric) {
    case 'RGB':
      return interleaved;
    case 'YBR_FULL':
    case 'YBR_FULL_422':
      return ybrFullToRgb(interleaved);
    default:
      throw new DicomError(
        'DICOM_UNSUPPORTED_PHOTOMETRIC',
        `photometric interpretation ${photometric} with 3 samples is not supported`,
        fileName,
      );
  }
}
