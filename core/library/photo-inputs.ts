/**
 * Photo exports named on the command line (`batch create`, `analyze`): the sidecar CSVs
 * that travel with them, and each photo made into the DICOM object the library would make
 * of it, so that a batch of photos arrives at the hub with its patient, eye and date.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EyeNamePatterns } from '../vocabulary/eye-names.ts';
import type { PhotoMetadata } from './photo-export.ts';
import { photoToDicom } from './photo-dicom.ts';
import { describePhoto } from './photo-facts.ts';
import { lookupSidecar, parseSidecarCsv, type SidecarRows } from './photo-sidecar.ts';

export const isSidecarName = (name: string) => /\.csv$/i.test(name);

async function csvFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return isSidecarName(path) ? [path] : [];
  if (!info.isDirectory()) return [];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && isSidecarName(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every sidecar CSV among the paths (folders searched recursively), merged by file name. */
export async function readSidecars(
  paths: string[],
): Promise<{ rows: SidecarRows; problems: { name: string; reason: string }[] }> {
  const rows: SidecarRows = new Map();
  const problems: { name: string; reason: string }[] = [];
  for (const path of paths)
    for (const csv of await csvFiles(path)) {
      const parsed = parseSidecarCsv(await readFile(csv, 'utf8'));
      for (const [name, row] of parsed.rows) rows.set(name, row);
      for (const message of parsed.problems) problems.push({ name: csv, reason: message });
    }
  return { rows, problems };
}

/**
 * The photo as the DICOM object an import makes of it, named `<photo name>.dcm`; throws the
 * import's coded error (IMPORT_PHOTO_METADATA_MISSING, …) when it cannot be made.
 */
export async function photoAsDicomFile(
  bytes: Uint8Array,
  name: string,
  context: { sidecar: SidecarRows; patterns?: EyeNamePatterns; given?: Partial<PhotoMetadata> },
): Promise<{ name: string; bytes: Uint8Array }> {
  const facts = await describePhoto(bytes, name, {
    sidecar: lookupSidecar(context.sidecar, name),
    patterns: context.patterns,
    given: context.given,
  });
  const object = await photoToDicom(bytes, facts);
  return { name: `${name}.dcm`, bytes: object.bytes };
}
