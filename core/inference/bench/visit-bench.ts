/**
 * A whole ROP visit through `neoscope analyze`, timed as a process (start-up, model loading
 * and self-tests included, as a nurse running it waits for them): images made from the shared
 * retinal photographs, named by eye so both sections are filled, with vascular metrics and
 * every PNG written.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

/** Folders of the shared retinal photographs a visit is made from (neonatal fundus cameras first). */
const SOURCES = [
  'retina/ROP-Ostrava-samples/images',
  'retina/HVDROPDB-Ridge-augmented/images',
  'retina/VEVIO/images',
];

/** `count` photographs in a new folder, alternating OD and OS, cycling through the sources. */
export function makeVisitFolder(sharedData: (...parts: string[]) => string, count = 30): string {
  const photos = SOURCES.flatMap((folder) =>
    readdirSync(sharedData(folder))
      .filter((name) => /\.(png|jpe?g)$/i.test(name))
      .sort()
      .map((name) => sharedData(folder, name)),
  );
  if (!photos.length) throw new Error('no shared retinal photographs found');
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-visit-'));
  for (let i = 0; i < count; i++) {
    const source = photos[i % photos.length]!;
    const eye = i % 2 ? 'OS' : 'OD';
    copyFileSync(
      source,
      join(folder, `visit_${eye}_${String(i + 1).padStart(2, '0')}${extname(source)}`),
    );
  }
  return folder;
}

export interface VisitRun {
  seconds: number;
  exitCode: number | null;
  /** The result files' engine, from the first image's model JSON. */
  engine?: string;
  stderrTail: string;
}

/** Runs the CLI as a child process on the folder and times it, start-up included. */
export function timeVisit(command: string[], folder: string, extraArgs: string[] = []): VisitRun {
  const out = mkdtempSync(join(tmpdir(), 'neoscope-visit-out-'));
  try {
    const started = performance.now();
    const run = spawnSync(
      command[0]!,
      [
        ...command.slice(1),
        'analyze',
        folder,
        '--out',
        out,
        '--photo-domain',
        'retina',
        ...extraArgs,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (performance.now() - started) / 1000;
    const first = readdirSync(out).find((name) => name.startsWith('visit_'));
    const json = first ? join(out, first, 'retina-vessels.json') : undefined;
    let engine: string | undefined;
    if (json && existsSync(json)) {
      const parsed = JSON.parse(readFileSync(json, 'utf8')) as {
        engine?: string;
        backend?: string;
      };
      engine = parsed.engine ?? parsed.backend;
    }
    return { seconds, exitCode: run.status, engine, stderrTail: run.stderr.slice(-400) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
