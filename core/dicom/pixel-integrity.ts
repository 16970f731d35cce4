/**
 * Structural checks of Pixel Data at import, without decoding: every native frame is
 * fully present; every encapsulated frame can be located, lies inside the file, and its
 * codestream ends with its end marker (JPEG EOI / JPEG 2000 EOC, both 0xFFD9; PS3.5
 * A.4 allows one byte of padding to an even length). A file failing here would show a
 * partly grey or garbled image later, so it is quarantined instead.
 */
import { Tag } from './attributes.ts';
import { JPEG_FAMILY } from './codecs/index.ts';
import { encapsulatedFrame } from './codecs/encapsulated-frames.ts';
import { DicomError, formatBytes } from './errors.ts';
import { frameByteLength, type ImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { isNativeTransferSyntax, TransferSyntax } from './uids.ts';

const ENDS_WITH_FFD9 = new Set<string>([
  ...JPEG_FAMILY,
  TransferSyntax.JPEG2000Lossless,
  TransferSyntax.JPEG2000,
  TransferSyntax.HTJ2KLossless,
  TransferSyntax.HTJ2KLosslessRPCL,
  TransferSyntax.HTJ2K,
]);

/** Trailing 0x00 padding (PS3.5 A.4) or 0xFF fill bytes (ISO 10918-1 B.1.1.2) may follow the marker. */
function endsWithEndMarker(frame: Uint8Array): boolean {
  let end = frame.length;
  while (
    end > 2 &&
    (frame[end - 1] === 0x00 || (frame[end - 1] === 0xff && frame[end - 2] === 0xd9)) &&
    frame.length - end < 8
  )
    end--;
  return frame[end - 2] === 0xff && frame[end - 1] === 0xd9;
}

export function checkPixelData(parsed: ParsedDicom, module: ImagePixelModule): void {
  const { fileName } = parsed;
  if (isNativeTransferSyntax(parsed.transferSyntaxUid)) {
    const element = parsed.dataSet.elements[Tag.PixelData]!;
    const wanted = frameByteLength(module) * module.frames;
    const available = Math.max(
      0,
      Math.min(element.length, parsed.dataSet.byteArray.length - element.dataOffset),
    );
    if (available < wanted)
      throw new DicomError(
        'DICOM_TRUNCATED_PIXEL_DATA',
        `truncated pixel data: ${formatBytes(available)} of ${formatBytes(wanted)} bytes`,
        fileName,
      );
    return;
  }
  const isJpeg = JPEG_FAMILY.has(parsed.transferSyntaxUid);
  for (let frame = 0; frame < module.frames; frame++) {
    const bytes = encapsulatedFrame(parsed, module, frame, isJpeg);
    if (ENDS_WITH_FFD9.has(parsed.transferSyntaxUid) && !endsWithEndMarker(bytes)) {
      throw new DicomError(
        'DICOM_TRUNCATED_PIXEL_DATA',
        `truncated pixel data: frame ${frame + 1} of ${module.frames} (${formatBytes(bytes.length)} bytes) ends without its end-of-image marker`,
        fileName,
      );
    }
  }
}
