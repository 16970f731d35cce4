/**
 * The version of a shipped model package, read from its manifest, so a test that names the
 * package in a message or a button follows a new version instead of pinning the old one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './shared-data.ts';

export function shippedModelVersion(id: string): string {
  const manifest = JSON.parse(
    readFileSync(join(projectRoot, 'models', id, 'manifest.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

/** The version as a regular expression's text (dots escaped). */
export function shippedModelVersionPattern(id: string): string {
  return shippedModelVersion(id).replace(/\./g, '\\.');
}
