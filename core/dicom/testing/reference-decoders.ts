/**
 * Reference pixel data from independent decoders, for comparison with ours:
 *   native, deflated  → dcmtk `dcmconv +te`
 *   RLE               → dcmtk `dcmdrle`
 *   JPEG (all DCT and lossless processes) → dcmtk `dcmdjpeg` (IJG libjpeg 8/12/16-bit)
 *   JPEG-LS           → dcmtk `dcmdjpls` (CharLS)
 *   JPEG 2000, HTJ2K  → OpenJPEG `opj_decompress` (dcmtk has no free J2K codec)
 * dcmtk's output file is dumped with `dcmdump +W`, which writes Pixel Data as raw bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransferSyntax } from '../uids.ts';

export interface ReferenceFrames {
  tool: string;
  /** Per frame: little endian, samples interleaved. */
  frames: Uint8Array[];
}

const DCMTK_TOOL: Record<string, string> = {
  [TransferSyntax.ImplicitVRLittleEndian]: 'dcmconv',
  [TransferSyntax.ExplicitVRLittleEndian]: 'dcmconv',
  [TransferSyntax.ExplicitVRBigEndian]: 'dcmconv',
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: 'dcmconv',
  [TransferSyntax.RLELossless]: 'dcmdrle',
  [TransferSyntax.JPEGBaseline]: 'dcmdjpeg',
  [TransferSyntax.JPEGExtended]: 'dcmdjpeg',
  [TransferSyntax.JPEGLosslessP14]: 'dcmdjpeg',
  [TransferSyntax.JPEGLosslessSV1]: 'dcmdjpeg',
  [TransferSyntax.JPEGLSLossless]: 'dcmdjpls',
  [TransferSyntax.JPEGLSNearLossless]: 'dcmdjpls',
};

export function interleave(
  planar: Uint8Array,
  pixels: number,
  components: number,
  bytesPerSample: number,
): Uint8Array {
  if (components === 1) return planar;
  const out = new Uint8Array(planar.length);
  for (let c = 0; c < components; c++)
    for (let i = 0; i < pixels; i++)
      for (let b = 0; b < bytesPerSample; b++)
        out[(i * components + c) * bytesPerSample + b] =
          planar[(c * pixels + i) * bytesPerSample + b]!;
  return out;
}

export interface FrameGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  frames: number;
}

/** Decodes with dcmtk; undefined when the syntax is not one dcmtk decodes. */
export function dcmtkReference(
  file: string,
  transferSyntaxUid: string,
  geometry: FrameGeometry,
): ReferenceFrames | undefined {
  const tool = DCMTK_TOOL[transferSyntaxUid];
  if (!tool) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-ref-'));
  try {
    const out = join(dir, 'out.dcm');
    execFileSync(tool, [...(tool === 'dcmconv' ? ['+te'] : []), file, out], { stdio: 'pipe' });
    const frames = dumpPixelFrames(out, dir, geometry);
    return { tool, frames };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * GDCM (`gdcmconv --raw`), used only for files dcmtk cannot decode correctly; the test
 * names each such file and the reason.
 */
export function gdcmReference(file: string, geometry: FrameGeometry): ReferenceFrames {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-gdcm-'));
  try {
    const out = join(dir, 'out.dcm');
    execFileSync('gdcmconv', ['--raw', file, out], { stdio: 'pipe' });
    return { tool: 'gdcmconv', frames: dumpPixelFrames(out, dir, geometry) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dumpPixelFrames(out: string, dir: string, geometry: FrameGeometry): Uint8Array[] {
  const dump = execFileSync('dcmdump', ['+W', dir, out], {
    encoding: 'latin1',
    maxBuffer: 64 << 20,
  });
  const planar = /\(0028,0006\) US 1\b/.test(dump);
  const frameBytes =
    geometry.rows * geometry.columns * geometry.samplesPerPixel * (geometry.bitsAllocated / 8);
  const raws = readdirSync(dir)
    .filter((name) => name.endsWith('.raw'))
    .map((name) => join(dir, name));
  // The Pixel Data dump is the raw file of exactly frames × frame size (icons are smaller).
  const pixelFile =
    raws.find((path) => statSync(path).size === frameBytes * geometry.frames) ??
    raws.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!pixelFile) throw new Error(`no pixel data dumped from ${out}`);
  const all = new Uint8Array(readFileSync(pixelFile));
  return Array.from({ length: geometry.frames }, (_, f) => {
    const frame = all.subarray(f * frameBytes, (f + 1) * frameBytes);
    return planar
      ? interleave(
          frame,
          geometry.rows * geometry.columns,
          geometry.samplesPerPixel,
          geometry.bitsAllocated / 8,
        )
      : frame;
  });
}

/** Decodes one JPEG 2000 / HTJ2K codestream with opj_decompress. */
export function openJpegReference(codestream: Uint8Array, geometry: FrameGeometry): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-opj-'));
  try {
    const jp2 = codestream[4] === 0x6a && codestream[5] === 0x50; // "jP" box: a JP2 file, not a raw codestream
    const input = join(dir, jp2 ? 'in.jp2' : 'in.j2k');
    writeFileSync(input, codestream);
    const output = join(dir, 'out.rawl');
    execFileSync('opj_decompress', ['-i', input, '-o', output], { stdio: 'pipe' });
    const raw = new Uint8Array(readFileSync(output));
    const pixels = geometry.rows * geometry.columns;
    const bytesPerSample = raw.length / (pixels * geometry.samplesPerPixel);
    let frame = interleave(raw, pixels, geometry.samplesPerPixel, bytesPerSample);
    if (bytesPerSample === 1 && geometry.bitsAllocated === 16) {
      const wide = new Uint16Array(frame.length);
      wide.set(frame);
      frame = new Uint8Array(wide.buffer);
    }
    return frame;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Difference {
  maxAbs: number;
  meanAbs: number;
  differing: number;
  samples: number;
}

/** Sample-wise difference of two frames of the same layout (8- or 16-bit LE, signed or not). */
export function compareSamples(
  ours: Uint8Array,
  reference: Uint8Array,
  bitsAllocated: number,
  signed: boolean,
): Difference {
  if (ours.length !== reference.length)
    return { maxAbs: Infinity, meanAbs: Infinity, differing: -1, samples: -1 };
  const read = (bytes: Uint8Array) =>
    bitsAllocated === 16
      ? signed
        ? new Int16Array(bytes.slice().buffer)
        : new Uint16Array(bytes.slice().buffer)
      : signed
        ? new Int8Array(bytes.slice().buffer)
        : bytes;
  const a = read(ours);
  const b = read(reference);
  let maxAbs = 0;
  let sum = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d) differing++;
    sum += d;
    if (d > maxAbs) maxAbs = d;
  }
  return { maxAbs, meanAbs: sum / a.length, differing, samples: a.length };
}
