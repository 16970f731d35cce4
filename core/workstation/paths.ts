/** Where the bundled content lives, relative to the project (or the packaged app) root. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Walks up from `start` to the folder holding NeoScope's package.json. */
export function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'neoscope')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`NeoScope's package.json was not found above ${start}`);
    dir = parent;
  }
}

export function productVersion(root: string): string {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
}

export function bundledFolders(root: string): {
  samplesFolder: string;
  modelsFolder: string;
  rendererFolder: string;
} {
  return {
    samplesFolder: join(root, 'dicom-samples'),
    modelsFolder: join(root, 'models'),
    rendererFolder: join(root, 'dist', 'renderer'),
  };
}
