/**
 * The import table's first look at a selection of photo exports: for each photo, what the
 * import would make of it — patient, eye, date, camera and domain, each with its source —
 * so that the user checks and completes them before anything is stored. Sidecar CSVs in
 * the selection are read as the import reads them.
 */
import type { PhotoDescription } from '../base/schemas.ts';
import { toApiErrorBody } from '../base/errors.ts';
import type { EyeNamePatterns } from '../vocabulary/eye-names.ts';
import { photoFormat } from './photo-export.ts';
import { describePhoto } from './photo-facts.ts';
import { lookupSidecar, parseSidecarCsv, type SidecarRows } from './photo-sidecar.ts';

export async function describePhotoFiles(
  files: { name: string; bytes: Uint8Array }[],
  patterns?: EyeNamePatterns,
): Promise<{ photos: PhotoDescription[]; problems: { fileName: string; message: string }[] }> {
  const sidecar: SidecarRows = new Map();
  const problems: { fileName: string; message: string }[] = [];
  for (const file of files.filter((f) => /\.csv$/i.test(f.name))) {
    const parsed = parseSidecarCsv(new TextDecoder().decode(file.bytes));
    for (const [name, row] of parsed.rows) sidecar.set(name, row);
    for (const message of parsed.problems) problems.push({ fileName: file.name, message });
  }
  const photos: PhotoDescription[] = [];
  for (const file of files.filter((f) => !/\.csv$/i.test(f.name))) {
    if (!photoFormat(file.bytes)) {
      problems.push({ fileName: file.name, message: 'not a JPEG, PNG or TIFF photo' });
      continue;
    }
    try {
      const facts = await describePhoto(file.bytes, file.name, {
        sidecar: lookupSidecar(sidecar, file.name),
        patterns,
      });
      photos.push({
        fileName: file.name,
        format: facts.format,
        metadata: facts.metadata,
        sources: facts.sources,
        pixels: facts.pixels,
        notes: facts.notes,
      });
    } catch (error) {
      problems.push({ fileName: file.name, message: toApiErrorBody(error).message });
    }
  }
  return { photos, problems };
}
