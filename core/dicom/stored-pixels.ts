/**
 * What `neoscope pixels` writes: one frame's stored pixel values, little endian, samples
 * interleaved, no LUT applied. Native colour-by-plane frames are interleaved here; the
 * codecs return interleaved samples already.
 */
import type { DecodeWarning } from './codecs/index.ts';
import { planarToInterleaved } from './colour.ts';
import { decodeFrameBytes } from './decode.ts';
import type { ImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { isNativeTransferSyntax } from './uids.ts';

export async function decodeStoredPixels(
  parsed: ParsedDicom,
  module: ImagePixelModule,
  frame: number,
  warn?: (w: DecodeWarning) => void,
): Promise<Uint8Array> {
  const bytes = await decodeFrameBytes(parsed, module, frame, warn);
  const planarNative =
    module.samplesPerPixel === 3 &&
    module.planarConfiguration === 1 &&
    isNativeTransferSyntax(parsed.transferSyntaxUid);
  return planarNative
    ? planarToInterleaved(bytes, module.rows * module.columns, 3, module.bitsAllocated / 8)
    : bytes;
}
