/**
 * RLE Lossless decoder (PS3.5 Annex G). A frame is a 64-byte header (segment count and
 * up to 15 offsets) and one PackBits segment per byte plane: for each sample, the most
 * significant byte first (G.2). Output is little endian, samples interleaved.
 */
import { DicomError, formatBytes } from '../errors.ts';

export interface RleFrameLayout {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

function decodePackBits(data: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let src = start;
  let dst = 0;
  while (src < end && dst < out.length) {
    const n = (data[src++]! << 24) >> 24; // header byte as int8
    if (n >= 0) {
      const count = Math.min(n + 1, out.length - dst, end - src);
      out.set(data.subarray(src, src + count), dst);
      src += n + 1;
      dst += count;
    } else if (n !== -128) {
      const count = Math.min(1 - n, out.length - dst);
      out.fill(data[src++]!, dst, dst + count);
      dst += count;
    }
  }
  return dst;
}

export function decodeRleFrame(
  frame: Uint8Array,
  layout: RleFrameLayout,
  fileName: string,
): Uint8Array {
  const bytesPerSample = layout.bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample))
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `RLE with Bits Allocated ${layout.bitsAllocated} is not defined (PS3.5 G.2)`,
      fileName,
    );
  const pixels = layout.rows * layout.columns;
  const expectedSegments = layout.samplesPerPixel * bytesPerSample;
  if (frame.length < 64)
    throw new DicomError(
      'DICOM_TRUNCATED_PIXEL_DATA',
      `RLE frame is ${frame.length} bytes, shorter than its 64-byte header`,
      fileName,
    );
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== expectedSegments) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `RLE header lists ${segments} segments; ${layout.samplesPerPixel} sample(s) of ${layout.bitsAllocated} bits need ${expectedSegments}`,
      fileName,
    );
  }
  const offsets = Array.from({ length: segments }, (_, i) => view.getUint32(4 + i * 4, true));
  const out = new Uint8Array(pixels * expectedSegments);
  const plane = new Uint8Array(pixels);
  for (let segment = 0; segment < segments; segment++) {
    const start = offsets[segment]!;
    const end = segment + 1 < segments ? offsets[segment + 1]! : frame.length;
    if (start < 64 || start > end || end > frame.length) {
      throw new DicomError(
        'DICOM_CODEC_FAILED',
        `RLE segment ${segment + 1} has offset ${start}..${end} outside the ${formatBytes(frame.length)}-byte frame`,
        fileName,
      );
    }
    plane.fill(0);
    const produced = decodePackBits(frame, start, end, plane);
    if (produced < pixels) {
      throw new DicomError(
        'DICOM_TRUNCATED_PIXEL_DATA',
        `truncated pixel data: RLE segment ${segment + 1} decodes to ${formatBytes(produced)} of ${formatBytes(pixels)} bytes`,
        fileName,
      );
    }
    const sample = Math.floor(segment / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample); // MSB segment first → highest LE byte
    const stride = layout.samplesPerPixel * bytesPerSample;
    let dst = sample * bytesPerSample + byteInSample;
    for (let i = 0; i < pixels; i++, dst += stride) out[dst] = plane[i]!;
  }
  return out;
}
