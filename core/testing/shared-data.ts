/**
 * Locates ../shared/data (real public files, read in place, never copied in bulk). Tests
 * that need it call `sharedDataPath()`; on a checkout without it they fail loudly rather
 * than pass by testing nothing.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function sharedDataPath(...parts: string[]): string {
  const base = process.env.NEOSCOPE_SHARED_DATA ?? resolve(projectRoot, '..', 'shared', 'data');
  if (!existsSync(base))
    throw new Error(`shared data not found at ${base}; set NEOSCOPE_SHARED_DATA`);
  return join(base, ...parts);
}

export function samplePath(name: string): string {
  return join(projectRoot, 'dicom-samples', name);
}
