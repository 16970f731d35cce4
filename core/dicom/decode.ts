/**
 * One frame's pixel bytes, whatever the transfer syntax, as an Explicit VR Little Endian
 * file would hold them (little-endian words, samples interleaved unless the header's
 * Planar Configuration says otherwise for native data). Encapsulated syntaxes go to the
 * codec registry (codecs/index.ts). A native little endian frame is a view of the file's
 * bytes (native-frame.ts): read it, copy it to change it.
 */
import { decoderFor, JPEG_FAMILY, type DecodeWarning } from './codecs/index.ts';
import { encapsulatedFrame } from './codecs/encapsulated-frames.ts';
import { DicomError } from './errors.ts';
import type { ImagePixelModule } from './image-pixel-module.ts';
import { readNativeFrame } from './native-frame.ts';
import type { ParsedDicom } from './parse.ts';
import { isNativeTransferSyntax } from './uids.ts';

export async function decodeFrameBytes(
  parsed: ParsedDicom,
  module: ImagePixelModule,
  frame: number,
  warn?: (warning: DecodeWarning) => void,
): Promise<Uint8Array> {
  if (!Number.isInteger(frame) || frame < 0 || frame >= module.frames) {
    throw new DicomError(
      'DICOM_FRAME_OUT_OF_RANGE',
      `frame ${frame} requested; the image has ${module.frames} frame(s), numbered from 0`,
      parsed.fileName,
    );
  }
  if (isNativeTransferSyntax(parsed.transferSyntaxUid))
    return readNativeFrame(parsed, module, frame);
  const decode = decoderFor(parsed.transferSyntaxUid, parsed.fileName);
  const encoded = encapsulatedFrame(
    parsed,
    module,
    frame,
    JPEG_FAMILY.has(parsed.transferSyntaxUid),
  );
  return decode(encoded, module, parsed.fileName, warn);
}
