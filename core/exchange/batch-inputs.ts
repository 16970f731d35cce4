/**
 * The files a `batch create` packs, read one at a time: a file over the size cap, one that
 * cannot be read, or a path that does not exist is reported with its name and skipped, and
 * the rest of the batch goes on (one bad file among thousands does not stop a run).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { enumerateInputs } from '../library/enumerate-inputs.ts';
import type { BatchFile } from './batch-package.ts';

/** A single file larger than this is not packed unless the cap is raised (--max-file-bytes). */
export const DEFAULT_MAX_BATCH_FILE_BYTES = 1024 ** 3;

export interface SkippedInput {
  name: string;
  reason: string;
}

export async function readBatchInputs(
  paths: string[],
  options: { maxFileBytes?: number } = {},
): Promise<{ files: BatchFile[]; skipped: SkippedInput[] }> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_BATCH_FILE_BYTES;
  const files: BatchFile[] = [];
  const skipped: SkippedInput[] = [];
  const why = (error: unknown) => {
    const { code, message } = error as NodeJS.ErrnoException;
    return `cannot be read (${code ?? 'ERROR'}: ${message})`;
  };
  for (const path of paths) {
    // enumerateInputs names a folder's files `<folder name>/<relative path>`; the folder's
    // parent turns that name back into the path to stat.
    let base: string | undefined;
    let inputs;
    try {
      const info = await stat(path);
      base = info.isDirectory()
        ? dirname(path)
        : basename(path).toUpperCase() === 'DICOMDIR'
          ? dirname(dirname(path))
          : undefined;
      inputs = await enumerateInputs([path]);
    } catch (error) {
      skipped.push({ name: path, reason: why(error) });
      continue;
    }
    for (const input of inputs) {
      const real = base === undefined ? input.name : join(base, input.name);
      try {
        const { size } = await stat(real);
        if (size > maxFileBytes) {
          skipped.push({
            name: input.name,
            reason: `is ${size.toLocaleString('en')} bytes, over the ${maxFileBytes.toLocaleString('en')}-byte limit for one file (--max-file-bytes)`,
          });
          continue;
        }
        files.push({ name: input.name, bytes: await input.read() });
      } catch (error) {
        skipped.push({ name: input.name, reason: why(error) });
      }
    }
  }
  return { files, skipped };
}
