/** Types for the Emscripten builds of the cornerstone codecs (they ship none). */
interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

interface JpegLsDecoder extends WasmFrameDecoder {
  getInterleaveMode(): number;
  getNearLossless(): number;
}

type WasmCodecFactory<M> = (options?: Record<string, unknown>) => Promise<M>;

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: WasmCodecFactory<{ JpegLSDecoder: new () => JpegLsDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: WasmCodecFactory<{ JPEGDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: WasmCodecFactory<{ J2KDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: WasmCodecFactory<{ HTJ2KDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(
      buffer: ArrayBuffer,
      offset: number,
      length: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array | Int16Array;
    components?: unknown[];
  }
}
