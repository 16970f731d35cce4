/**
 * The files a `batch create` packs, read one at a time: a file over the size cap, one that
 * cannot be read, or a path that does not exist is reported with its name and skipped, and
 * the rest of the batch goes on (one bad file among thousands does not stop a run).
 *
 * Photo exports (JPEG/PNG/TIFF) are packed as the DICOM objects an import makes of them,
 * with patient, eye and date from the sidecar CSVs among the paths, EXIF or the file name:
 * the hub receives images with their identity, and de-identification treats them as any
 * DICOM file. A photo that cannot be attributed is skipped with the reason; the CSVs
 * themselves are not packed (what they say is in the objects).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { toApiErrorBody } from '../base/errors.ts';
import { enumerateInputs } from '../library/enumerate-inputs.ts';
import { photoFormat } from '../library/photo-export.ts';
import { isSidecarName, photoAsDicomFile, readSidecars } from '../library/photo-inputs.ts';
import type { EyeNamePatterns } from '../vocabulary/eye-names.ts';
import type { BatchFile } from './batch-package.ts';

/** A single file larger than this is not packed unless the cap is raised (--max-file-bytes). */
export const DEFAULT_MAX_BATCH_FILE_BYTES = 1024 ** 3;

export interface SkippedInput {
  name: string;
  reason: string;
}

export async function readBatchInputs(
  paths: string[],
  options: { maxFileBytes?: number; eyeNamePatterns?: EyeNamePatterns } = {},
): Promise<{ files: BatchFile[]; skipped: SkippedInput[] }> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_BATCH_FILE_BYTES;
  const files: BatchFile[] = [];
  const skipped: SkippedInput[] = [];
  const sidecars = await readSidecars(paths);
  for (const problem of sidecars.problems)
    skipped.push({ name: problem.name, reason: `sidecar row not used: ${problem.reason}` });
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
      if (isSidecarName(input.name)) continue;
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
        const bytes = await input.read();
        if (!photoFormat(bytes)) {
          files.push({ name: input.name, bytes });
          continue;
        }
        try {
          files.push(
            await photoAsDicomFile(bytes, input.name, {
              sidecar: sidecars.rows,
              patterns: options.eyeNamePatterns,
            }),
          );
        } catch (error) {
          const body = toApiErrorBody(error);
          skipped.push({ name: input.name, reason: `${body.code}: ${body.message}` });
        }
      } catch (error) {
        skipped.push({ name: input.name, reason: why(error) });
      }
    }
  }
  return { files, skipped };
}
