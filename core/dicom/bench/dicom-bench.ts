/**
 * Parse + decode throughput per transfer syntax, against two references measured in the
 * same run on the same files: dicom-parser's parse alone (the floor: what reading
 * costs before any pixel work) and dcmtk's decompression (dcmconv/dcmdrle/dcmdjpeg/
 * dcmdjpls; opj_decompress for JPEG 2000), timed as whole processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
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
  /**
   * CRC-32 of every decoded frame of every file, in order, so no decoding can be deferred or
   * skipped; the same from run to run, so a change in what is decoded shows here.
   */
  checksum: number;
  /** One-minute load average when the row was measured: the machine may be shared. */
  loadAverage: number;
}

/**
 * Carries the CRC-32 over every byte of a decoded frame. zlib's native CRC is about twice as
 * fast as the FNV-1a loop in JavaScript it replaced and needs no aligned words. It is not
 * free: a native little endian frame decodes to a view of the file's bytes, so this read is
 * most of what our side spends beyond the parse (the CRC of the Explicit VR Little Endian
 * files took half as long as dicom-parser's parse of them; touching one byte per 64 alone,
 * a quarter).
 */
function checksumFrame(bytes: Uint8Array, crc: number): number {
  return crc32(bytes, crc);
}

/**
 * Parses a file and decodes every frame with the calls the workstation makes
 * (parseDicomBytes, readImagePixelModule, decodeFrameBytes), returning the checksum
 * carried over all frames from `crc`.
 */
async function decodeEveryFrame(bytes: Uint8Array, path: string, crc: number): Promise<number> {
  const parsed = parseDicomBytes(bytes, path);
  const module = readImagePixelModule(parsed);
  for (let f = 0; f < module.frames; f++)
    crc = checksumFrame(await decodeFrameBytes(parsed, module, f), crc);
  return crc;
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

/** Mean ms per run of `runs` runs of `work` back to back. */
async function msPerRun(work: () => unknown, runs: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i++) await work();
  return (performance.now() - start) / runs;
}

/**
 * Repeats `work` until at least `minMs` have passed; returns its fastest run in ms, the
 * same estimate timeSideBySide makes, so the reference tools are judged alike.
 */
async function timeIt(work: () => unknown, minMs = 300): Promise<number> {
  await work(); // warm-up: codec instantiation, JIT
  let fastest = Infinity;
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || runs < 3) {
    fastest = Math.min(fastest, await msPerRun(work, 1));
    runs++;
  }
  return fastest;
}

/** Batches this short are many within `minMs`, so some run without another process in the way. */
const BATCH_MS = 2;

/**
 * Times `ours` and `reference` in alternating batches of about BATCH_MS, each side until it
 * has run for `minMs` in all, and returns each side's fastest batch, in ms per run. Other
 * work on a shared machine only ever adds time: alternating lets it fall on both sides
 * alike, and the fastest batch is the one it touched least. At load 4 on 2 cores the Explicit
 * VR Little Endian ratio so came out at 0.61–0.63 in three runs, where means of one timing
 * after the other had given 0.51 and 1.07 for the same code.
 */
async function timeSideBySide(
  ours: () => unknown,
  reference: () => unknown,
  minMs = 300,
): Promise<{ oursMs: number; referenceMs: number }> {
  const sides = [ours, reference].map((work) => ({
    work,
    batch: 1,
    spent: 0,
    batches: [] as number[],
  }));
  for (const side of sides) {
    await side.work(); // warm-up: codec instantiation, JIT
    side.batch = Math.max(1, Math.round(BATCH_MS / (await msPerRun(side.work, 1))));
  }
  const unfinished = () => sides.filter((s) => s.spent < minMs || s.batches.length < 3);
  for (let left = unfinished(); left.length; left = unfinished()) {
    for (const side of left) {
      const ms = await msPerRun(side.work, side.batch);
      side.batches.push(ms);
      side.spent += ms * side.batch;
    }
  }
  return { oursMs: Math.min(...sides[0]!.batches), referenceMs: Math.min(...sides[1]!.batches) };
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
      let checksum = 0;
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
        let afterFile: number | undefined;
        // dicom-parser's Node path inflates deflated data sets from a Buffer.
        const buffer = Buffer.from(bytes);
        const times = await timeSideBySide(
          async () => {
            const crc = await decodeEveryFrame(bytes, path, checksum);
            if (afterFile !== undefined && crc !== afterFile)
              throw new Error(`${path}: its frames decode differently from one run to the next`);
            afterFile = crc;
          },
          () =>
            dicomParser.parseDicom(buffer, {
              TransferSyntaxUID: parsed.hasFileMeta ? undefined : parsed.transferSyntaxUid,
            }),
        );
        checksum = afterFile!;
        oursMs += times.oursMs;
        parseMs += times.referenceMs;
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
        loadAverage: loadavg()[0]!,
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
      f.loadAverage.toFixed(2).padStart(5),
    ].join('  '),
  );
  return [
    'DICOM parse+decode of every frame, each checksummed (ratios measured in this run)',
    `${'transfer syntax'.padEnd(58)}  ${'n'.padStart(3)}  ${'MB/s'.padStart(8)}  ${'images/s'.padStart(8)}  ${'÷ parse'.padStart(10)}  ${'÷ reference (process)'.padEnd(24)}  checksum   load`,
    ...rows,
  ].join('\n');
}
