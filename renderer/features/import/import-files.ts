/**
 * Sends files the user chose or dropped to the library in batches (bounded by count and
 * bytes so one call never holds a whole USB stick in memory), reporting progress as it
 * goes and merging the per-batch reports. A failed batch is reported, the rest go on.
 */
import { MAX_FILES_PER_IMPORT_CALL } from '../../../core/api/contract.ts';
import type {
  ImportReport,
  PhotoDescription,
  PhotoMetadataInput,
} from '../../../core/api/schemas.ts';
import type { EyeNamePatterns } from '../../../core/vocabulary/eye-names.ts';
import type { ApiClient } from '../../api/client.ts';
import { PHOTO_FILE, SIDECAR_FILE } from './photo-table.ts';

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
  /** Patient, eye, date and domain for a JPEG/PNG/TIFF export, from the import table. */
  photo?: PhotoMetadataInput;
}

const nameOf = (file: FileLike) => file.webkitRelativePath || file.name;

/** The photo exports in a selection: these are checked in the import table before import. */
export function photosIn(files: FileLike[]): FileLike[] {
  return files.filter((f) => PHOTO_FILE.test(f.name));
}

/**
 * What the import would make of each photo (patient, eye, date, domain, with sources),
 * asked in batches like the import itself; the selection's sidecar CSVs go with every batch
 * so that each photo meets its row.
 */
export async function describePhotos(
  api: ApiClient,
  files: FileLike[],
  eyeNamePatterns: EyeNamePatterns,
): Promise<{ photos: PhotoDescription[]; problems: { fileName: string; message: string }[] }> {
  const sidecars = await Promise.all(
    files
      .filter((f) => SIDECAR_FILE.test(f.name))
      .map(async (f) => ({ name: nameOf(f), bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const sidecarBytes = sidecars.reduce((n, f) => n + f.bytes.length, 0);
  const result = {
    photos: [] as PhotoDescription[],
    problems: [] as { fileName: string; message: string }[],
  };
  for (const batch of planBatches(
    photosIn(files),
    MAX_FILES_PER_IMPORT_CALL - sidecars.length,
    MAX_BATCH_BYTES - sidecarBytes,
  )) {
    const photos = await Promise.all(
      batch.map(async (f) => ({ name: nameOf(f), bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const part = await api.call('library.describePhotos', {
      files: [...sidecars, ...photos],
      eyeNamePatterns,
    });
    result.photos.push(...part.photos);
    result.problems.push(...part.problems);
  }
  return result;
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
    const names = batch.map(nameOf);
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
