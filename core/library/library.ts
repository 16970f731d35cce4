/**
 * The local image library: imports files, recognises duplicates, keeps bad files out
 * with their reasons, and serves decoded frames. Instances are identified by the
 * SHA-256 of their bytes, so the same file imported twice is recognised whatever its
 * name, and an id can never point at changed content.
 *
 * An import is accepted only when the file parses, is an image, its Pixel Data is
 * structurally whole and its first frame decodes: a file that could not be shown is
 * quarantined with its reason at import, not discovered later by the reader.
 *
 * This version keeps instances in memory; the persistent store replaces `entries`.
 */
import { createHash } from 'node:crypto';
import { ApiError, toApiErrorBody } from '../api/errors.ts';
import type { DecodedFrame, ImportReport, InstanceSummary, Problem } from '../api/schemas.ts';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { readImagePixelModule } from '../dicom/image-pixel-module.ts';
import { parseDicomBytes, type ParsedDicom } from '../dicom/parse.ts';
import { checkPixelData } from '../dicom/pixel-integrity.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import { validateDataSet } from '../dicom/validate.ts';
import { FrameCache } from './frame-cache.ts';

export interface ImportFile {
  name: string;
  bytes: Uint8Array;
}

interface Entry {
  summary: InstanceSummary;
  bytes: Uint8Array;
  parsed?: ParsedDicom;
}

export interface Library {
  list(): InstanceSummary[];
  importFiles(files: ImportFile[]): Promise<ImportReport>;
  frame(instanceId: string, frame: number): Promise<DecodedFrame>;
}

export interface LibraryOptions {
  /** Decoded frames kept in memory for re-display. */
  frameCacheBytes?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createLibrary(options: LibraryOptions = {}): Library {
  const entries = new Map<string, Entry>();
  const cache = new FrameCache(options.frameCacheBytes ?? 256 * 1024 * 1024);

  async function importOne(file: ImportFile, report: ImportReport): Promise<void> {
    const instanceId = sha256Hex(file.bytes);
    if (entries.has(instanceId)) {
      report.duplicates.push({ fileName: file.name, instanceId });
      return;
    }
    try {
      const parsed = parseDicomBytes(file.bytes, file.name);
      const warnings: Problem[] = validateDataSet(parsed);
      const summary = summarizeInstance(parsed, instanceId);
      checkPixelData(parsed, readImagePixelModule(parsed));
      const first = await buildDisplayFrame(parsed, instanceId, 0, (warning) => warnings.push(warning));
      cache.set(first);
      summary.warnings = warnings;
      entries.set(instanceId, { summary, bytes: file.bytes, parsed });
      report.imported.push(summary);
    } catch (error) {
      const body = toApiErrorBody(error);
      report.failed.push({ fileName: file.name, code: body.code, message: body.message });
    }
  }

  return {
    list() {
      return [...entries.values()].map((entry) => entry.summary).reverse();
    },
    async importFiles(files) {
      const report: ImportReport = { imported: [], duplicates: [], failed: [] };
      for (const file of files) await importOne(file, report);
      return report;
    },
    async frame(instanceId, frame) {
      const entry = entries.get(instanceId);
      if (!entry) throw new ApiError({ code: 'NOT_FOUND', message: `No image with id ${instanceId.slice(0, 12)}… is in the library.` });
      const cached = cache.get(instanceId, frame);
      if (cached) return cached;
      entry.parsed ??= parseDicomBytes(entry.bytes, entry.summary.fileName);
      const decoded = await buildDisplayFrame(entry.parsed, instanceId, frame);
      cache.set(decoded);
      return decoded;
    },
  };
}
