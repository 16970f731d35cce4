/**
 * Frames of native (not encapsulated) Pixel Data, returned as the bytes an Explicit VR
 * Little Endian file would hold: big endian words are swapped (PS3.5 A.3), nothing else
 * changes, so the result compares byte for byte with dcmtk's `dcmconv +te`.
 *
 * Little endian frames are already those bytes, so they are returned as views of the
 * file's array, not copies: callers must not write into a decoded frame (none does;
 * display-frame.ts copies before a frame outlives the decode).
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
  // A plain Uint8Array even when the file came as a Buffer, whose slice() would not copy
  // and whose subarray() would hand callers a Buffer.
  const stored = new Uint8Array(bytes.buffer, bytes.byteOffset + start, perFrame);
  if (parsed.transferSyntaxUid === TransferSyntax.ExplicitVRBigEndian && module.bitsAllocated > 8)
    return swappedCopy(stored, module.bitsAllocated / 8);
  return stored;
}

/**
 * Big endian words in little endian order (PS3.5 A.3), as a copy. 16- and 32-bit words, the
 * only widths readImagePixelModule lets through, are swapped a word at a time through a
 * view of the copy (which starts at offset 0, so is aligned): several times faster than
 * byte by byte, and reversing a word's bytes so does not depend on the host's byte order.
 */
function swappedCopy(stored: Uint8Array, wordBytes: number): Uint8Array {
  const out = new Uint8Array(stored);
  const words = Math.floor(out.length / wordBytes);
  if (wordBytes === 2) swapWords16(new Uint16Array(out.buffer, 0, words));
  else if (wordBytes === 4) swapWords32(new Uint32Array(out.buffer, 0, words));
  else swapBytes(out, wordBytes);
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

function swapWords16(words: Uint16Array): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    words[i] = (w >>> 8) | (w << 8);
  }
}

function swapWords32(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    words[i] = (w >>> 24) | ((w >>> 8) & 0xff00) | ((w & 0xff00) << 8) | (w << 24);
  }
}
