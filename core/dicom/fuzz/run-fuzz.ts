/**
 * Runs the full import path (parse, validate, structural checks, first-frame decode) on
 * mutated files and records what happened. A run passes when every failure is a coded
 * DICOM error, no file takes longer than the limit, and memory stays bounded.
 */
import { readFileSync } from 'node:fs';
import { createLibrary } from '../../library/library.ts';
import {
  createRandom,
  elementOffsets,
  mutate,
  MUTATION_KINDS,
  type MutationKind,
} from './mutate.ts';

export interface FuzzOptions {
  seed: number;
  iterations: number;
  files: string[];
  perFileLimitMs: number;
}

export interface FuzzReport {
  iterations: number;
  imported: number;
  refused: number;
  byCode: Record<string, number>;
  uncaught: Array<{ file: string; kind: MutationKind; iteration: number; error: string }>;
  slowest: { ms: number; file: string; kind: MutationKind; iteration: number };
  overLimit: number;
  rssStartMiB: number;
  rssPeakMiB: number;
  rssEndMiB: number;
  seconds: number;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = createRandom(options.seed);
  const originals = options.files.map((path) => {
    const bytes = new Uint8Array(readFileSync(path));
    return { path, bytes, offsets: elementOffsets(bytes) };
  });
  const report: FuzzReport = {
    iterations: 0,
    imported: 0,
    refused: 0,
    byCode: {},
    uncaught: [],
    slowest: { ms: 0, file: '', kind: 'bit-flips', iteration: -1 },
    overLimit: 0,
    rssStartMiB: process.memoryUsage().rss / 2 ** 20,
    rssPeakMiB: 0,
    rssEndMiB: 0,
    seconds: 0,
  };
  const started = performance.now();
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const original = originals[iteration % originals.length]!;
    const kind = MUTATION_KINDS[Math.floor(random() * MUTATION_KINDS.length)]!;
    const bytes = mutate(original.bytes, original.offsets, kind, random);
    // A fresh library each time: the duplicate check must not hide anything.
    const library = createLibrary({ frameCacheBytes: 0 });
    const t0 = performance.now();
    try {
      const result = await library.importFiles([{ name: `${original.path}#${iteration}`, bytes }]);
      report.imported += result.imported.length;
      report.refused += result.failed.length;
      for (const failure of result.failed) {
        report.byCode[failure.code] = (report.byCode[failure.code] ?? 0) + 1;
        if (!/^DICOM_[A-Z_]+$/.test(failure.code))
          report.uncaught.push({
            file: original.path,
            kind,
            iteration,
            error: `${failure.code}: ${failure.message}`,
          });
      }
    } catch (error) {
      report.uncaught.push({
        file: original.path,
        kind,
        iteration,
        error: String((error as Error)?.stack ?? error),
      });
    }
    const ms = performance.now() - t0;
    if (ms > report.slowest.ms) report.slowest = { ms, file: original.path, kind, iteration };
    if (ms > options.perFileLimitMs) report.overLimit++;
    report.iterations++;
    if (iteration % 50 === 0)
      report.rssPeakMiB = Math.max(report.rssPeakMiB, process.memoryUsage().rss / 2 ** 20);
  }
  report.rssEndMiB = process.memoryUsage().rss / 2 ** 20;
  report.rssPeakMiB = Math.max(report.rssPeakMiB, report.rssEndMiB);
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
