/**
 * The images a batch will analyse, listed without reading them all into memory: files
 * and folders (recursively; a DICOMDIR stands for its medium) are read one at a time when
 * their turn comes. Zip archives are expanded when reached.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

export interface InputRef {
  /** A stable name: the path as given, plus the entry inside an archive. */
  name: string;
  read(): Promise<Uint8Array>;
}

const NOT_IMAGES =
  /\.(md|txt|tsv|json|license|pdf|html?|csv)$|^(LICENSE|README|SOURCES|DICOMDIR)$/i;

async function walk(folder: string, base: string, out: InputRef[]): Promise<void> {
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await walk(path, base, out);
    else if (entry.isFile() && !entry.name.startsWith('.') && !NOT_IMAGES.test(entry.name))
      out.push({
        name: join(basename(base), relative(base, path)),
        read: async () => new Uint8Array(await readFile(path)),
      });
  }
}

export async function enumerateInputs(paths: string[]): Promise<InputRef[]> {
  const out: InputRef[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) await walk(path, path, out);
    else if (basename(path).toUpperCase() === 'DICOMDIR')
      await walk(dirname(path), dirname(path), out);
    else out.push({ name: path, read: async () => new Uint8Array(await readFile(path)) });
  }
  return out;
}
