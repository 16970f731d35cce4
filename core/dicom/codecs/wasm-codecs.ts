// Ambient module types for the untyped codec packages; a reference keeps them visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./wasm-codec-modules.d.ts" />
/**
 * The maintained WASM codecs from the cornerstone project (libjpeg-turbo, CharLS,
 * OpenJPEG, OpenJPH), loaded once on first use. Every call copies the decoded samples
 * out of WASM memory and frees the decoder, so no frame outlives its call in WASM.
 */
import { DicomError } from '../errors.ts';

export interface CodecOutput {
  width: number;
  height: number;
  bitsPerSample: number;
  components: number;
  /** Decoded samples as the codec returned them (interleaved unless `planar`). */
  bytes: Uint8Array;
  planar: boolean;
}

type Loader<M> = (() => Promise<M>) & { reset(): void };

/**
 * Loads a codec once. After a WASM trap (out-of-bounds access, abort) an Emscripten
 * instance is left unusable, so `reset` drops it and the next frame gets a fresh one.
 */
function once<M>(load: () => Promise<M>): Loader<M> {
  let promise: Promise<M> | undefined;
  const loader = () => (promise ??= load());
  return Object.assign(loader, { reset: () => void (promise = undefined) });
}

/** The codecs log progress to stdout by default; the CLI's output must stay clean. */
/** Emscripten uses the options object as its Module: each codec needs its own. */
const quietModule = () => ({ print: () => {}, printErr: () => {} });

const charls = once(async () =>
  (await import('@cornerstonejs/codec-charls/decodewasmjs')).default(quietModule()),
);
const libjpegTurbo = once(async () =>
  (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default(quietModule()),
);
const openjpeg = once(async () =>
  (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default(quietModule()),
);
const openjph = once(async () =>
  (await import('@cornerstonejs/codec-openjph/wasmjs')).default(quietModule()),
);

function run(
  decoder: WasmFrameDecoder,
  encoded: Uint8Array,
  codec: string,
  fileName: string,
  loader: Loader<unknown>,
  planar = () => false,
): CodecOutput {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (!info.width || !info.height || !info.componentCount) {
      throw new DicomError(
        'DICOM_CODEC_FAILED',
        `${codec} found no decodable image: the codestream is corrupt`,
        fileName,
      );
    }
    // Copy out of WASM memory as a plain Uint8Array (libjpeg-turbo hands out a Uint8ClampedArray view).
    const bytes = new Uint8Array(decoder.getDecodedBuffer());
    const expected =
      info.width * info.height * info.componentCount * (info.bitsPerSample > 8 ? 2 : 1);
    if (bytes.length < expected) {
      throw new DicomError(
        'DICOM_CODEC_FAILED',
        `${codec} produced ${bytes.length} bytes for a ${info.width}×${info.height}×${info.componentCount} frame`,
        fileName,
      );
    }
    return {
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount,
      bytes,
      planar: planar(),
    };
  } catch (error) {
    if (error instanceof DicomError) throw error;
    if ((error as Error)?.name === 'RuntimeError') loader.reset(); // a WebAssembly trap
    const detail =
      typeof error === 'number'
        ? `WASM exception ${error}`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `${codec} could not decode the frame: ${detail}`,
      fileName,
    );
  } finally {
    try {
      decoder.delete();
    } catch {
      loader.reset(); // the instance trapped; never reuse it
    }
  }
}

export async function decodeWithLibjpegTurbo(
  encoded: Uint8Array,
  fileName: string,
): Promise<CodecOutput> {
  const module = await libjpegTurbo();
  return run(new module.JPEGDecoder(), encoded, 'JPEG (libjpeg-turbo)', fileName, libjpegTurbo);
}

export async function decodeWithCharls(
  encoded: Uint8Array,
  fileName: string,
): Promise<CodecOutput> {
  const module = await charls();
  const decoder = new module.JpegLSDecoder();
  // Interleave mode 0 (none) returns one plane per component (CharLS ILV_NONE).
  return run(
    decoder,
    encoded,
    'JPEG-LS (CharLS)',
    fileName,
    charls,
    () => decoder.getFrameInfo().componentCount > 1 && decoder.getInterleaveMode() === 0,
  );
}

export async function decodeWithOpenJpeg(
  encoded: Uint8Array,
  fileName: string,
): Promise<CodecOutput> {
  const module = await openjpeg();
  return run(new module.J2KDecoder(), encoded, 'JPEG 2000 (OpenJPEG)', fileName, openjpeg);
}

export async function decodeWithOpenJph(
  encoded: Uint8Array,
  fileName: string,
): Promise<CodecOutput> {
  const module = await openjph();
  return run(new module.HTJ2KDecoder(), encoded, 'HTJ2K (OpenJPH)', fileName, openjph);
}
