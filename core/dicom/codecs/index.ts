// Ambient module types for the untyped codec packages; a reference keeps them visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./wasm-codec-modules.d.ts" />
/**
 * Decoders by transfer syntax. Each returns the frame as Explicit VR Little Endian
 * Pixel Data would hold it: little-endian words of Bits Allocated, samples interleaved.
 *
 *   RLE Lossless                       own decoder (rle.ts)
 *   JPEG Baseline / Extended, 8-bit    libjpeg-turbo (WASM)
 *   JPEG Extended, 12-bit              own sequential DCT decoder (jpeg-sequential.ts)
 *   JPEG Lossless (process 14, SV1)    jpeg-lossless-decoder-js
 *   JPEG-LS lossless / near-lossless   CharLS (WASM)
 *   JPEG 2000 lossless / lossy         OpenJPEG (WASM)
 *   HTJ2K                              OpenJPH (WASM)
 */
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { planarToInterleaved } from '../colour.ts';
import { DicomError } from '../errors.ts';
import type { ImagePixelModule } from '../image-pixel-module.ts';
import { TransferSyntax, transferSyntaxName } from '../uids.ts';
import { decodeSequentialJpeg } from './jpeg-sequential.ts';
import { decodeRleFrame } from './rle.ts';
import {
  decodeWithCharls,
  decodeWithLibjpegTurbo,
  decodeWithOpenJpeg,
  decodeWithOpenJph,
  type CodecOutput,
} from './wasm-codecs.ts';

export interface DecodeWarning {
  code: string;
  message: string;
}

export type FrameDecoder = (
  encoded: Uint8Array,
  module: ImagePixelModule,
  fileName: string,
  warn?: (warning: DecodeWarning) => void,
) => Promise<Uint8Array>;

export interface JpegStreamInfo {
  /** SOF marker byte: 0xC0/0xC1 sequential DCT, 0xC3 lossless, 0xF7 JPEG-LS. */
  sof?: number;
  precision?: number;
  components?: number;
  jfif: boolean;
}

/** Reads the markers before the first scan (ISO 10918-1 B.2, 14495-1 for SOF55). */
export function jpegStreamInfo(data: Uint8Array): JpegStreamInfo {
  const info: JpegStreamInfo = { jfif: false };
  for (let o = 2; o + 4 < data.length;) {
    if (data[o] !== 0xff) break;
    const marker = data[o + 1]!;
    if (marker === 0xff) {
      o++;
      continue;
    }
    if (marker === 0xe0 && data[o + 4] === 0x4a && data[o + 5] === 0x46) info.jfif = true;
    const isSof =
      (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) ||
      marker === 0xf7;
    if (isSof) {
      info.sof = marker;
      info.precision = data[o + 4];
      info.components = data[o + 9];
      break;
    }
    if (marker === 0xda) break;
    o += 2 + ((data[o + 2]! << 8) | data[o + 3]!);
  }
  return info;
}

export function jpegPrecision(data: Uint8Array): number | undefined {
  return jpegStreamInfo(data).precision;
}

/** Codec samples (8- or 16-bit) → bytes of Bits Allocated width, checking the geometry. */
function toFrameBytes(
  output: CodecOutput,
  module: ImagePixelModule,
  codec: string,
  fileName: string,
): Uint8Array {
  if (
    output.width !== module.columns ||
    output.height !== module.rows ||
    output.components !== module.samplesPerPixel
  ) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `${codec} frame is ${output.width}×${output.height}×${output.components}; the header says ${module.columns}×${module.rows}×${module.samplesPerPixel}`,
      fileName,
    );
  }
  const pixels = output.width * output.height;
  const codecBytes = output.bitsPerSample > 8 ? 2 : 1;
  let bytes = output.bytes.subarray(0, pixels * output.components * codecBytes);
  if (output.planar) bytes = planarToInterleaved(bytes, pixels, output.components, codecBytes);
  const targetBytes = module.bitsAllocated / 8;
  if (codecBytes === targetBytes) return bytes;
  if (codecBytes === 1 && targetBytes === 2) {
    const wide = new Uint16Array(bytes.length);
    wide.set(bytes);
    return new Uint8Array(wide.buffer);
  }
  throw new DicomError(
    'DICOM_CODEC_FAILED',
    `${codec} returned ${output.bitsPerSample}-bit samples for Bits Allocated ${module.bitsAllocated}`,
    fileName,
  );
}

/**
 * Sequential DCT. 12-bit data and colour data labelled RGB without a JFIF marker go to
 * the own decoder: the first because libjpeg-turbo's build is 8-bit only, the second
 * because PS3.5 8.2.1 says RGB means no colour transform, while libjpeg-turbo would
 * assume YCbCr for a 3-component stream without markers.
 */
const decodeJpegDct: FrameDecoder = async (encoded, module, fileName, warn) => {
  const info = jpegStreamInfo(encoded);
  const rgbWithoutTransform = info.components === 3 && module.photometric === 'RGB' && !info.jfif;
  if (info.precision === 12 || rgbWithoutTransform) {
    const jpeg = decodeSequentialJpeg(encoded, fileName, warn);
    const output = {
      width: jpeg.width,
      height: jpeg.height,
      bitsPerSample: jpeg.precision,
      components: jpeg.components,
      bytes: new Uint8Array(jpeg.samples.buffer),
      planar: false,
    };
    if (jpeg.precision === 8) output.bytes = Uint8Array.from(jpeg.samples);
    return toFrameBytes(output, module, `JPEG ${jpeg.precision}-bit`, fileName);
  }
  return toFrameBytes(await decodeWithLibjpegTurbo(encoded, fileName), module, 'JPEG', fileName);
};

const decodeJpegLossless: FrameDecoder = async (encoded, module, fileName) => {
  let samples: Uint8Array | Uint16Array | Int16Array;
  try {
    const aligned = encoded.slice();
    samples = new JpegLosslessDecoder().decode(
      aligned.buffer,
      0,
      aligned.length,
      module.bitsAllocated <= 8 ? 1 : 2,
    );
  } catch (error) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `JPEG Lossless could not decode the frame: ${(error as Error).message}`,
      fileName,
    );
  }
  const bitsPerSample = samples.BYTES_PER_ELEMENT === 2 ? 16 : 8;
  const expected = module.rows * module.columns * module.samplesPerPixel;
  if (samples.length < expected) {
    throw new DicomError(
      'DICOM_TRUNCATED_PIXEL_DATA',
      `truncated pixel data: JPEG Lossless decoded ${samples.length.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} samples`,
      fileName,
    );
  }
  const bytes = new Uint8Array(
    samples.buffer,
    samples.byteOffset,
    expected * samples.BYTES_PER_ELEMENT,
  );
  return toFrameBytes(
    {
      width: module.columns,
      height: module.rows,
      components: module.samplesPerPixel,
      bitsPerSample,
      bytes,
      planar: false,
    },
    module,
    'JPEG Lossless',
    fileName,
  );
};

const wasm =
  (decode: (e: Uint8Array, f: string) => Promise<CodecOutput>, codec: string): FrameDecoder =>
  async (encoded, module, fileName) =>
    toFrameBytes(await decode(encoded, fileName), module, codec, fileName);

const decodeJpegLs = wasm(decodeWithCharls, 'JPEG-LS');

/** The SOF markers a transfer syntax allows (PS3.5 A.4.1, A.4.3). */
const DCT = [0xc0, 0xc1];
const ALLOWED_SOF: Record<string, number[]> = {
  [TransferSyntax.JPEGBaseline]: DCT,
  [TransferSyntax.JPEGExtended]: DCT,
  [TransferSyntax.JPEGLosslessP14]: [0xc3],
  [TransferSyntax.JPEGLosslessSV1]: [0xc3],
  [TransferSyntax.JPEGLSLossless]: [0xf7],
  [TransferSyntax.JPEGLSNearLossless]: [0xf7],
};

const PROCESS_NAMES: Record<number, string> = {
  0xc0: 'DCT (lossy)',
  0xc1: 'DCT (lossy)',
  0xc3: 'lossless',
  0xf7: 'JPEG-LS',
};

/**
 * JPEG-family frames are decoded by what their codestream is, not only by what the
 * transfer syntax claims: real files carry lossy baseline streams labelled "lossless"
 * (the Heidelberg OP sample does). A mismatch is decoded correctly and reported, since
 * a reader must know an image was lossy compressed (PS3.3 C.7.6.1.1.5).
 */
function jpegFamilyDecoder(transferSyntaxUid: string): FrameDecoder {
  return async (encoded, module, fileName, warn) => {
    const sof = jpegStreamInfo(encoded).sof;
    const allowed = ALLOWED_SOF[transferSyntaxUid]!;
    if (sof !== undefined && !allowed.includes(sof)) {
      warn?.({
        code: 'DICOM_TRANSFER_SYNTAX_MISMATCH',
        message: `transfer syntax says ${PROCESS_NAMES[allowed[0]!]} JPEG but the codestream is ${PROCESS_NAMES[sof] ?? `SOF 0x${sof.toString(16)}`}; decoded as what it is`,
      });
    }
    if (sof === 0xc0 || sof === 0xc1) return decodeJpegDct(encoded, module, fileName, warn);
    if (sof === 0xc3) return decodeJpegLossless(encoded, module, fileName);
    if (sof === 0xf7) return decodeJpegLs(encoded, module, fileName);
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      sof === undefined
        ? 'JPEG: no frame header (SOF) before the first scan'
        : `JPEG process with SOF 0x${sof.toString(16).toUpperCase()} is not supported`,
      fileName,
    );
  };
}

const DECODERS: Record<string, FrameDecoder> = {
  [TransferSyntax.RLELossless]: async (encoded, module, fileName) =>
    decodeRleFrame(encoded, module, fileName),
  ...Object.fromEntries(Object.keys(ALLOWED_SOF).map((uid) => [uid, jpegFamilyDecoder(uid)])),
  [TransferSyntax.JPEG2000Lossless]: wasm(decodeWithOpenJpeg, 'JPEG 2000'),
  [TransferSyntax.JPEG2000]: wasm(decodeWithOpenJpeg, 'JPEG 2000'),
  [TransferSyntax.HTJ2KLossless]: wasm(decodeWithOpenJph, 'HTJ2K'),
  [TransferSyntax.HTJ2KLosslessRPCL]: wasm(decodeWithOpenJph, 'HTJ2K'),
  [TransferSyntax.HTJ2K]: wasm(decodeWithOpenJph, 'HTJ2K'),
};

export const JPEG_FAMILY = new Set<string>([
  TransferSyntax.JPEGBaseline,
  TransferSyntax.JPEGExtended,
  TransferSyntax.JPEGLosslessP14,
  TransferSyntax.JPEGLosslessSV1,
  TransferSyntax.JPEGLSLossless,
  TransferSyntax.JPEGLSNearLossless,
]);

export function decoderFor(transferSyntaxUid: string, fileName: string): FrameDecoder {
  const decoder = DECODERS[transferSyntaxUid];
  if (!decoder) {
    throw new DicomError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `${transferSyntaxName(transferSyntaxUid)} (${transferSyntaxUid}) is not a transfer syntax this workstation decodes`,
      fileName,
    );
  }
  return decoder;
}

export const SUPPORTED_ENCAPSULATED_SYNTAXES = Object.keys(DECODERS);

const DCT_SYNTAXES = new Set<string>([TransferSyntax.JPEGBaseline, TransferSyntax.JPEGExtended]);

/**
 * Colour space of decoded colour frames. libjpeg-turbo converts YCbCr JPEG data to RGB
 * (as dcmdjpeg does by default), and the JPEG 2000 codecs undo the RCT/ICT component
 * transform, so such frames are RGB whatever the Photometric Interpretation says
 * (PS3.5 8.2.1, 8.2.4). Native and RLE data keep their photometric interpretation.
 */
export function photometricAfterDecoding(transferSyntaxUid: string, photometric: string): string {
  if (DCT_SYNTAXES.has(transferSyntaxUid) && photometric.startsWith('YBR_')) return 'RGB';
  if (photometric === 'YBR_RCT' || photometric === 'YBR_ICT') return 'RGB';
  return photometric;
}
