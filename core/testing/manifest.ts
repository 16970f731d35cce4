/** Rows of ../shared/data/MANIFEST.tsv, the catalogue of the shared public test files. */
import { readFileSync } from 'node:fs';
import { sharedDataPath } from './shared-data.ts';

export interface ManifestRow {
  path: string;
  sha256: string;
  bytes: number;
  sourceRepo: string;
  dataset: string;
  licence: string;
  description: string;
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(sharedDataPath('MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean);
  return lines.map((line) => {
    const c = line.split('\t');
    return {
      path: c[0]!,
      sha256: c[1]!,
      bytes: Number(c[2]),
      sourceRepo: c[3]!,
      dataset: c[6]!,
      licence: c[7]!,
      description: c[8] ?? '',
    };
  });
}

export function dicomRows(): ManifestRow[] {
  return readManifest().filter((row) => row.path.startsWith('dicom/') && row.path.endsWith('.dcm'));
}

export const isMalformed = (row: ManifestRow) => /MALFORMED/.test(row.description);
