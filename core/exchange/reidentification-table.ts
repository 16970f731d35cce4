/**
 * The sending site's re-identification table (<data>/site/reidentification.json, mode 600):
 * pseudonym → the patient and the original study UIDs. It never leaves the site.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reidentification } from './batch-package.ts';

function tablePath(dataFolder: string): string {
  return join(dataFolder, 'site', 'reidentification.json');
}

export async function readReidentification(dataFolder: string): Promise<Reidentification[]> {
  return JSON.parse(
    await readFile(tablePath(dataFolder), 'utf8').catch(() => '[]'),
  ) as Reidentification[];
}

/** Adds a batch's pseudonyms; a pseudonym already known keeps its earlier studies too. */
export async function recordReidentification(
  dataFolder: string,
  entries: Reidentification[],
): Promise<void> {
  if (!entries.length) return;
  const table = new Map((await readReidentification(dataFolder)).map((e) => [e.pseudonym, e]));
  for (const entry of entries) {
    const known = table.get(entry.pseudonym);
    table.set(entry.pseudonym, {
      ...entry,
      studies: { ...(known?.studies ?? {}), ...entry.studies },
    });
  }
  await writeFile(tablePath(dataFolder), JSON.stringify([...table.values()], null, 2), {
    mode: 0o600,
  });
}
