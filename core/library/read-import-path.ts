/**
 * What one path chosen by the user (dialog, CLI argument) stands for: a file, a folder
 * read recursively, or — when the user picks a DICOMDIR itself — the whole medium it
 * indexes (PS3.10 8: the DICOMDIR sits at the root of the file-set).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ImportFile } from './library.ts';
import { readFolderFiles } from './read-folder.ts';

export async function readImportPath(path: string): Promise<ImportFile[]> {
  if ((await stat(path)).isDirectory()) return readFolderFiles(path);
  if (basename(path).toUpperCase() === 'DICOMDIR') return readFolderFiles(dirname(path));
  return [{ name: basename(path), bytes: new Uint8Array(await readFile(path)) }];
}
