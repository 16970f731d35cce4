/**
 * Sends files the user chose or dropped to the library in batches (bounded by count and
 * bytes so one call never holds a whole USB stick in memory), reporting progress as it
 * goes and merging the per-batch reports. A failed batch is reported, the rest go on.
 */
import { MAX_FILES_PER_IMPORT_CALL } from '../../../core/api/contract.ts';
import type { ImportReport } from '../../../core/api/schemas.ts';
import type { ApiClient } from '../../api/client.ts';

export const MAX_BATCH_BYTES = 96 * 1024 * 1024;

export interface ImportProgress {
  done: number;
  total: number;
  startedAt: number;
  imported: number;
  failed: number;
}

export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  webkitRelativePath?: string;
  /** Patient and eye for a JPEG/PNG fundus export, from the import form. */
  photo?: PhotoMetadata;
}

export interface PhotoMetadata {
  patientId: string;
  patientName?: string;
  examDate?: string;
  eye: 'OD' | 'OS';
}

/** JPEG/PNG exports in a selection that no sidecar CSV accompanies: these need the form. */
export function photosNeedingForm(files: FileLike[]): FileLike[] {
  if (files.some((f) => /\.csv$/i.test(f.name))) return [];
  return files.filter((f) => /\.(jpe?g|png)$/i.test(f.name));
}

export function planBatches<T extends { size: number }>(
  files: T[],
  maxCount = MAX_FILES_PER_IMPORT_CALL,
  maxBytes = MAX_BATCH_BYTES,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length && (current.length >= maxCount || bytes + file.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length) batches.push(current);
  return batches;
}

export async function importFiles(
  api: ApiClient,
  files: FileLike[],
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], duplicates: [], failed: [], skipped: [] };
  const progress: ImportProgress = {
    done: 0,
    total: files.length,
    startedAt: performance.now(),
    imported: 0,
    failed: 0,
  };
  onProgress({ ...progress });
  for (const batch of planBatches(files)) {
    const names = batch.map((file) => file.webkitRelativePath || file.name);
    try {
      const payload = await Promise.all(
        batch.map(async (file, i) => ({
          name: names[i]!,
          bytes: new Uint8Array(await file.arrayBuffer()),
          ...(file.photo ? { photo: file.photo } : {}),
        })),
      );
      const part = await api.call('library.importFiles', { files: payload });
      report.imported.push(...part.imported);
      report.duplicates.push(...part.duplicates);
      report.failed.push(...part.failed);
      report.skipped.push(...part.skipped);
    } catch (error) {
      const { code = 'IMPORT_FAILED', message } = error as { code?: string; message: string };
      for (const name of names) report.failed.push({ fileName: name, code, message });
    }
    progress.done += batch.length;
    progress.imported = report.imported.length;
    progress.failed = report.failed.length;
    onProgress({ ...progress });
  }
  return report;
}

/** "12 s left" from the rate so far; undefined until there is a rate to go on. */
export function secondsLeft(progress: ImportProgress, now: number): number | undefined {
  if (progress.done === 0 || progress.done >= progress.total) return undefined;
  const perFile = (now - progress.startedAt) / 1000 / progress.done;
  return Math.ceil(perFile * (progress.total - progress.done));
}
