/**
 * One frame's pixel bytes, whatever the transfer syntax, as an Explicit VR Little Endian
 * file would hold them. Encapsulated syntaxes are handed to codecs (core/dicom/codecs).
 */
import { DicomError } from './errors.ts';
import type { ImagePixelModule } from './image-pixel-module.ts';
import { readNativeFrame } from './native-frame.ts';
import type { ParsedDicom } from './parse.ts';
import { isNativeTransferSyntax, transferSyntaxName } from './uids.ts';

export function decodeFrameBytes(parsed: ParsedDicom, module: ImagePixelModule, frame: number): Uint8Array {
  if (!Number.isInteger(frame) || frame < 0 || frame >= module.frames) {
    throw new DicomError('DICOM_FRAME_OUT_OF_RANGE', `frame ${frame} requested; the image has ${module.frames} frame(s), numbered from 0`, parsed.fileName);
  }
  if (isNativeTransferSyntax(parsed.transferSyntaxUid)) return readNativeFrame(parsed, module, frame);
  throw new DicomError(
    'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
    `${transferSyntaxName(parsed.transferSyntaxUid)} (${parsed.transferSyntaxUid}) cannot be decoded by this version`,
    parsed.fileName,
  );
}
