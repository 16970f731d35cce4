/**
 * Parse + decode throughput per transfer syntax, against two references measured in the
 * same run on the same files: dicom-parser's parse alone (the floor: what reading
 * costs before any pixel work) and dcmtk's decompression (dcmconv/dcmdrle/dcmdjpeg/
 * dcmdjpls; opj_decompress for JPEG 2000), timed as whole processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from '../dicom-parser-module.ts';
import { encapsulatedFrame } from '../codecs/encapsulated-frames.ts';
import { decodeFrameBytes } from '../decode.ts';
import { readImagePixelModule } from '../image-pixel-module.ts';
import { parseDicomBytes } from '../parse.ts';
import { transferSyntaxName, TransferSyntax } from '../uids.ts';

export interface SyntaxFigures {
  syntax: string;
  files: number;
  megabytes: number;
  images: number;
  oursMBps: number;
  oursImagesPerSecond: number;
  parseOnlyMBps: number;
  dcmtkImagesPerSecond?: number;
  dcmtkTool?: string;
  /** FNV-1a over every decoded frame's 32-bit words, so no decoding can be deferred or skipped. */
  checksum: number;
}

/** Folds every 32-bit word (and the tail bytes) of a decoded frame into the running checksum. */
function checksumFrame(bytes: Uint8Array, hash: number): number {
  const words = Math.floor(bytes.byteLength / 4);
  // Aligned frames are read as 32-bit words directly (this machine is little-endian, as the
  // DataView path reads them): the checksum must touch every byte without costing more than
  // the decode it guards.
  if (bytes.byteOffset % 4 === 0) {
    const view32 = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) hash = Math.imul(hash ^ view32[i]!, 16777619);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words; i++) hash = Math.imul(hash ^ view.getUint32(i * 4, true), 16777619);
  }
  for (let i = words * 4; i < bytes.byteLength; i++) hash = Math.imul(hash ^ bytes[i]!, 16777619);
  return hash >>> 0;
}

const DCMTK: Record<string, string[]> = {
  [TransferSyntax.ImplicitVRLittleEndian]: ['dcmconv', '+te'],
  [TransferSyntax.ExplicitVRLittleEndian]: ['dcmconv', '+te'],
  [TransferSyntax.ExplicitVRBigEndian]: ['dcmconv', '+te'],
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: ['dcmconv', '+te'],
  [TransferSyntax.RLELossless]: ['dcmdrle'],
  [TransferSyntax.JPEGBaseline]: ['dcmdjpeg'],
  [TransferSyntax.JPEGExtended]: ['dcmdjpeg'],
  [TransferSyntax.JPEGLosslessSV1]: ['dcmdjpeg'],
  [TransferSyntax.JPEGLosslessP14]: ['dcmdjpeg'],
  [TransferSyntax.JPEGLSLossless]: ['dcmdjpls'],
  [TransferSyntax.JPEGLSNearLossless]: ['dcmdjpls'],
};
const OPENJPEG = new Set<string>([
  TransferSyntax.JPEG2000Lossless,
  TransferSyntax.JPEG2000,
  TransferSyntax.HTJ2K,
  TransferSyntax.HTJ2KLossless,
]);

/** Whether a reference tool is on PATH: a missing one leaves its column out instead of crashing the run. */
function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Repeats `work` until at least `minMs` have passed; returns mean ms per run. */
async function timeIt(work: () => unknown, minMs = 300): Promise<number> {
  await work(); // warm-up: codec instantiation, JIT
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || runs < 3) {
    await work();
    runs++;
  }
  return (performance.now() - start) / runs;
}

export async function benchDicom(
  paths: string[],
  skipped: string[] = [],
): Promise<SyntaxFigures[]> {
  const bySyntax = new Map<string, Array<{ path: string; bytes: Uint8Array }>>();
  for (const path of paths) {
    const bytes = new Uint8Array(readFileSync(path));
    try {
      const parsed = parseDicomBytes(bytes, path);
      if (!parsed.dataSet.elements.x7fe00010) continue;
      const list = bySyntax.get(parsed.transferSyntaxUid) ?? [];
      list.push({ path, bytes });
      bySyntax.set(parsed.transferSyntaxUid, list);
    } catch {
      // malformed files are the fuzzer's business, not the benchmark's
    }
  }
  const figures: SyntaxFigures[] = [];
  const missingTools = new Set<string>();
  const available = (tool: string) => {
    if (installed(tool)) return true;
    if (!missingTools.has(tool))
      skipped.push(
        `reference ${tool} is not installed: its column is left out (apt-get install dcmtk libopenjp2-tools)`,
      );
    missingTools.add(tool);
    return false;
  };
  const scratch = mkdtempSync(join(tmpdir(), 'neoscope-bench-'));
  try {
    for (const [syntax, files] of bySyntax) {
      let megabytes = 0;
      let images = 0;
      let oursMs = 0;
      let parseMs = 0;
      let dcmtkMs = 0;
      let dcmtkTool: string | undefined;
      let checksum = 2166136261;
      for (const { path, bytes } of files) {
        const parsed = parseDicomBytes(bytes, path);
        const module = readImagePixelModule(parsed);
        const candidate = DCMTK[syntax];
        const tool = candidate && available(candidate[0]!) ? candidate : undefined;
        if (tool) {
          // Files the reference cannot decode are left out, so both sides time the same files.
          try {
            execFileSync(tool[0]!, [...tool.slice(1), path, join(scratch, 'out.dcm')], {
              stdio: 'ignore',
            });
          } catch {
            skipped.push(`${path} (${tool[0]} cannot decode it)`);
            continue;
          }
        }
        megabytes += bytes.length / 1e6;
        images += module.frames;
        oursMs += await timeIt(async () => {
          const p = parseDicomBytes(bytes, path);
          const m = readImagePixelModule(p);
          for (let f = 0; f < m.frames; f++)
            checksum = checksumFrame(await decodeFrameBytes(p, m, f), checksum);
        });
        // dicom-parser's Node path inflates deflated data sets from a Buffer.
        const buffer = Buffer.from(bytes);
        parseMs += await timeIt(() =>
          dicomParser.parseDicom(buffer, {
            TransferSyntaxUID: parsed.hasFileMeta ? undefined : parsed.transferSyntaxUid,
          }),
        );
        if (tool) {
          dcmtkTool = tool[0];
          dcmtkMs += await timeIt(
            () =>
              execFileSync(tool[0]!, [...tool.slice(1), path, join(scratch, 'out.dcm')], {
                stdio: 'ignore',
              }),
            200,
          );
        } else if (OPENJPEG.has(syntax) && available('opj_decompress')) {
          dcmtkTool = 'opj_decompress';
          const inputs = Array.from({ length: module.frames }, (_, f) => {
            const input = join(scratch, `f${f}.j2k`);
            writeFileSync(input, encapsulatedFrame(parsed, module, f, false));
            return input;
          });
          dcmtkMs += await timeIt(
            () =>
              inputs.forEach((input) =>
                execFileSync('opj_decompress', ['-i', input, '-o', join(scratch, 'o.rawl')], {
                  stdio: 'ignore',
                }),
              ),
            200,
          );
        }
      }
      if (!images) continue;
      figures.push({
        syntax: `${transferSyntaxName(syntax)} (${syntax})`,
        files: files.length,
        megabytes,
        images,
        oursMBps: megabytes / (oursMs / 1000),
        oursImagesPerSecond: images / (oursMs / 1000),
        parseOnlyMBps: megabytes / (parseMs / 1000),
        dcmtkImagesPerSecond: dcmtkTool ? images / (dcmtkMs / 1000) : undefined,
        dcmtkTool,
        checksum,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return figures;
}

export function formatDicomFigures(figures: SyntaxFigures[]): string {
  const rows = figures.map((f) =>
    [
      f.syntax.padEnd(58),
      String(f.files).padStart(3),
      f.oursMBps.toFixed(1).padStart(8),
      f.oursImagesPerSecond.toFixed(1).padStart(8),
      (f.oursMBps / f.parseOnlyMBps).toFixed(3).padStart(10),
      (f.dcmtkImagesPerSecond
        ? `${(f.oursImagesPerSecond / f.dcmtkImagesPerSecond).toFixed(2)}× ${f.dcmtkTool}`
        : '—'
      ).padEnd(24),
      f.checksum.toString(16).padStart(8, '0'),
    ].join('  '),
  );
  return [
    'DICOM parse+decode of every frame, each checksummed (ratios measured in this run)',
    `${'transfer syntax'.padEnd(58)}  ${'n'.padStart(3)}  ${'MB/s'.padStart(8)}  ${'images/s'.padStart(8)}  ${'÷ parse'.padStart(10)}  ${'÷ reference (process)'.padEnd(24)}  checksum`,
    ...rows,
  ].join('\n');
}
