/**
 * The local image library: imports files, recognises duplicates, keeps bad files out
 * with their reasons, and serves decoded frames. Instances are identified by the
 * SHA-256 of their bytes, so the same file imported twice is recognised whatever its
 * name, and an id can never point at changed content.
 *
 * This version keeps instances in memory; the persistent store replaces `entries`.
 */
import { createHash } from 'node:crypto';
import type { DecodedFrame, ImportReport, InstanceSummary } from '../api/schemas.ts';
import { ApiError, toApiErrorBody } from '../api/errors.ts';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { parseDicomBytes, type ParsedDicom } from '../dicom/parse.ts';
import { summarizeInstance } from '../dicom/summary.ts';

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
  importFiles(files: ImportFile[]): ImportReport;
  frame(instanceId: string, frame: number): DecodedFrame;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createLibrary(): Library {
  const entries = new Map<string, Entry>();

  function importOne(file: ImportFile, report: ImportReport): void {
    const instanceId = sha256Hex(file.bytes);
    if (entries.has(instanceId)) {
      report.duplicates.push({ fileName: file.name, instanceId });
      return;
    }
    try {
      const parsed = parseDicomBytes(file.bytes, file.name);
      const summary = summarizeInstance(parsed, instanceId);
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
    importFiles(files) {
      const report: ImportReport = { imported: [], duplicates: [], failed: [] };
      for (const file of files) importOne(file, report);
      return report;
    },
    frame(instanceId, frame) {
      const entry = entries.get(instanceId);
      if (!entry) throw new ApiError({ code: 'NOT_FOUND', message: `No image with id ${instanceId.slice(0, 12)}… is in the library.` });
      entry.parsed ??= parseDicomBytes(entry.bytes, entry.summary.fileName);
      return buildDisplayFrame(entry.parsed, instanceId, frame);
    },
  };
}
