/**
 * Frames of native (not encapsulated) Pixel Data, returned as the bytes an Explicit VR
 * Little Endian file would hold: big endian words are swapped (PS3.5 A.3), nothing else
 * changes, so the result compares byte for byte with dcmtk's `dcmconv +te`.
 */
import { DicomError, formatBytes } from './errors.ts';
import { frameByteLength, type ImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { Tag } from './attributes.ts';
import { TransferSyntax } from './uids.ts';

export function readNativeFrame(
  parsed: ParsedDicom,
  module: ImagePixelModule,
  frame: number,
): Uint8Array {
  const element = parsed.dataSet.elements[Tag.PixelData]!;
  const bytes = parsed.dataSet.byteArray;
  const perFrame = frameByteLength(module);
  const start = element.dataOffset + perFrame * frame;
  const wanted = perFrame * module.frames;
  const available = Math.max(0, Math.min(element.length, bytes.length - element.dataOffset));
  if (available < wanted && start + perFrame > element.dataOffset + available) {
    throw new DicomError(
      'DICOM_TRUNCATED_PIXEL_DATA',
      `truncated pixel data: ${formatBytes(available)} of ${formatBytes(wanted)} bytes`,
      parsed.fileName,
    );
  }
  if (
    module.bitsAllocated === 1 &&
    module.frames > 1 &&
    perFrame * 8 !== module.rows * module.columns * module.samplesPerPixel
  ) {
    // Multi-frame 1-bit data is packed across frame boundaries; not needed for our domains.
    throw new DicomError(
      'DICOM_UNSUPPORTED_PHOTOMETRIC',
      'multi-frame 1-bit pixel data whose frames do not end on a byte boundary',
      parsed.fileName,
    );
  }
  const out = new Uint8Array(perFrame);
  out.set(bytes.subarray(start, start + perFrame));
  if (parsed.transferSyntaxUid === TransferSyntax.ExplicitVRBigEndian && module.bitsAllocated > 8) {
    swapBytes(out, module.bitsAllocated / 8);
  }
  return out;
}

function swapBytes(data: Uint8Array, wordBytes: number): void {
  for (let i = 0; i + wordBytes <= data.length; i += wordBytes) {
    for (let a = i, b = i + wordBytes - 1; a < b; a++, b--) {
      const t = data[a]!;
      data[a] = data[b]!;
      data[b] = t;
    }
  }
}
