/** Reads every regular file under a folder (recursively), skipping dotfiles and docs. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ImportFile } from './library.ts';

/** Documentation beside images; CSVs are kept (they may be sidecar metadata for photos). */
const NOT_IMAGES = /\.(md|txt|tsv|json|license|pdf|html?)$|^(LICENSE|README|SOURCES)/i;

export async function readFolderFiles(folder: string): Promise<ImportFile[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const files: ImportFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.') || NOT_IMAGES.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({ name: relative(folder, path), bytes: new Uint8Array(await readFile(path)) });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
