/**
 * A camera's baseline JPEG, made ready to be a DICOM frame without recompression: the
 * marker segments are walked (ISO 10918-1 B.1.1.2–B.2.4) and those that only carry
 * metadata are dropped — EXIF (APP1) can name the patient, the clinic or the camera's
 * owner, and de-identification never looks inside Pixel Data. Tables, frame and scan
 * headers and the entropy-coded data are copied byte for byte, so the frame decodes to
 * exactly the pixels the original file decodes to. Kept: JFIF (APP0, without any
 * thumbnail) and Adobe (APP14), which tell a decoder the colour transform; an ICC profile
 * (APP2) is handed back for the ICC Profile attribute (PS3.3 C.11.15).
 */

export interface BaselineJpeg {
  codestream: Uint8Array;
  width: number;
  height: number;
  components: 1 | 3;
  /**
   * The Photometric Interpretation the codestream has (PS3.5 8.2.1): YBR_FULL_422 for
   * YCbCr with chroma halved horizontally (4:2:2 or 4:2:0), YBR_FULL without subsampling,
   * RGB when an Adobe marker says no transform was applied, MONOCHROME2 for one component.
   */
  photometric: 'MONOCHROME2' | 'RGB' | 'YBR_FULL' | 'YBR_FULL_422';
  iccProfile?: Uint8Array;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

const segmentLength = (b: Uint8Array, at: number) => (b[at + 2]! << 8) | b[at + 3]!;

function startsWith(b: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** JFIF APP0 with its version and density, without a thumbnail (JFIF 1.02 §4). */
function jfifWithoutThumbnail(b: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(18);
  out.set(b.subarray(at, at + 16));
  out[2] = 0;
  out[3] = 16;
  out[16] = 0;
  out[17] = 0;
  return out;
}

/** Where the entropy-coded data after a scan header ends: at the next marker that is not RSTn. */
function endOfScan(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  return b.length;
}

interface FrameHeader {
  width: number;
  height: number;
  components: number;
  /** Horizontal and vertical sampling factors per component. */
  sampling: [number, number][];
  ids: number[];
}

function readFrameHeader(b: Uint8Array, at: number): FrameHeader {
  const components = b[at + 9]!;
  const sampling: [number, number][] = [];
  const ids: number[] = [];
  for (let c = 0; c < components; c++) {
    ids.push(b[at + 10 + c * 3]!);
    const factors = b[at + 11 + c * 3]!;
    sampling.push([factors >> 4, factors & 15]);
  }
  return {
    height: (b[at + 5]! << 8) | b[at + 6]!,
    width: (b[at + 7]! << 8) | b[at + 8]!,
    components,
    sampling,
    ids,
  };
}

function photometricOf(
  frame: FrameHeader,
  adobeTransform: number | undefined,
  jfif: boolean,
): BaselineJpeg['photometric'] | undefined {
  if (frame.components === 1) return 'MONOCHROME2';
  if (frame.components !== 3) return undefined;
  const rgbIds = frame.ids[0] === 0x52 && frame.ids[1] === 0x47 && frame.ids[2] === 0x42;
  if (adobeTransform === 0 || (!jfif && adobeTransform === undefined && rgbIds)) {
    return frame.sampling.every(([h, v]) => h === 1 && v === 1) ? 'RGB' : undefined;
  }
  const [[yh, yv], [cbh, cbv], [crh, crv]] = frame.sampling as [
    [number, number],
    [number, number],
    [number, number],
  ];
  if (cbh !== 1 || cbv !== 1 || crh !== 1 || crv !== 1) return undefined;
  if (yh === 1 && yv === 1) return 'YBR_FULL';
  if (yh === 2 && (yv === 1 || yv === 2)) return 'YBR_FULL_422';
  return undefined;
}

/**
 * The codestream of an 8-bit baseline JPEG (SOF0) of one or three components, its metadata
 * segments dropped; undefined for anything else (progressive, arithmetic, 12-bit, CMYK,
 * unusual subsampling) — those are stored losslessly as decoded pixels instead.
 */
export function baselineCodestream(b: Uint8Array): BaselineJpeg | undefined {
  if (b[0] !== 0xff || b[1] !== SOI) return undefined;
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  const iccChunks: { index: number; data: Uint8Array }[] = [];
  let frame: FrameHeader | undefined;
  let adobeTransform: number | undefined;
  let jfif = false;
  let at = 2;
  while (at + 1 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === EOI) {
      parts.push(b.subarray(at, at + 2));
      break;
    }
    if (at + 4 > b.length) return undefined;
    const end = at + 2 + segmentLength(b, at);
    if (end > b.length) return undefined;
    const segment = b.subarray(at, end);
    const isSof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isSof) {
      if (marker !== 0xc0 || b[at + 4] !== 8 || frame) return undefined;
      frame = readFrameHeader(b, at);
      parts.push(segment);
    } else if (marker === 0xe0) {
      if (startsWith(b, at + 4, 'JFIF\0') && segment.length >= 16) {
        jfif = true;
        parts.push(jfifWithoutThumbnail(b, at));
      }
    } else if (marker === 0xee) {
      if (startsWith(b, at + 4, 'Adobe') && segment.length >= 16) adobeTransform = b[at + 15];
      parts.push(segment);
    } else if (marker === 0xe2 && startsWith(b, at + 4, 'ICC_PROFILE\0')) {
      iccChunks.push({ index: b[at + 16]!, data: b.subarray(at + 18, end) });
    } else if ((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe) {
      // APP1–APP15 (EXIF, XMP, maker notes, …) and COM: metadata only.
    } else parts.push(segment);
    at = end;
    if (marker === SOS) {
      const scanEnd = endOfScan(b, at);
      parts.push(b.subarray(at, scanEnd));
      at = scanEnd;
    }
  }
  if (!frame || parts[parts.length - 1]![1] !== EOI) return undefined;
  const photometric = photometricOf(frame, adobeTransform, jfif);
  if (!photometric) return undefined;
  const codestream = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    codestream.set(part, offset);
    offset += part.length;
  }
  iccChunks.sort((x, y) => x.index - y.index);
  const iccProfile = iccChunks.length
    ? new Uint8Array(iccChunks.flatMap((c) => [...c.data]))
    : undefined;
  return {
    codestream,
    width: frame.width,
    height: frame.height,
    components: frame.components as 1 | 3,
    photometric,
    ...(iccProfile ? { iccProfile } : {}),
  };
}
