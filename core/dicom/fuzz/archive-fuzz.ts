/**
 * Seeded hostile zips through archive expansion (core/library/archives.ts, sometimes the
 * whole library import) and signed packages through package verification
 * (core/exchange/batch-package.ts): nested zips, thousands of small entries, zero bombs,
 * `../x`, `/abs`, `.x` and duplicate names, truncation, bit flips, overlapping entries,
 * sizes that lie or declare terabytes. A run passes when every refusal is a coded archive
 * or exchange error, no bomb is accepted, no case takes longer than the limit, and the
 * process's peak RSS stays under the ceiling (1 GiB by default).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { createBatch, verifyBatch } from '../../exchange/batch-package.ts';
import { PartnerKeys, SiteIdentity } from '../../exchange/site-identity.ts';
import { expandZip } from '../../library/archives.ts';
import { createLibrary } from '../../library/library.ts';
import { createRandom } from './mutate.ts';
import { entry, rawZip, type RawEntry } from './raw-zip.ts';

export const ARCHIVE_CASES = [
  'valid',
  'many-small',
  'zero-bomb',
  'nested',
  'names',
  'duplicates',
  'truncated',
  'huge-declared',
  'lying-size',
  'overlap',
  'bit-flips',
  'package-valid',
  'package-extra',
  'package-truncated',
  'package-bit-flips',
  'package-bomb',
  'package-nested',
  'package-huge-declared',
] as const;
export type ArchiveCase = (typeof ARCHIVE_CASES)[number];

/** Cases that must never be accepted. */
const MUST_REFUSE = new Set<ArchiveCase>([
  'zero-bomb',
  'duplicates',
  'truncated',
  'huge-declared',
  'lying-size',
  'overlap',
  'package-extra',
  'package-truncated',
  'package-bomb',
  'package-nested',
  'package-huge-declared',
]);

export interface ArchiveFuzzOptions {
  seed: number;
  iterations: number;
  perCaseLimitMs: number;
  /** The run fails when the process's peak RSS reaches this (MiB). */
  rssCeilingMiB?: number;
}

export interface ArchiveFuzzReport {
  iterations: number;
  byCase: Record<string, number>;
  byOutcome: Record<string, number>;
  /** Failures that were not coded archive/exchange errors. */
  uncaught: Array<{ kind: ArchiveCase; iteration: number; error: string }>;
  /** Hostile cases that were accepted. */
  accepted: Array<{ kind: ArchiveCase; iteration: number }>;
  slowest: { ms: number; kind: ArchiveCase | ''; iteration: number };
  overLimit: number;
  rssStartMiB: number;
  /** Peak RSS of the whole process (getrusage), so short spikes count too. */
  rssPeakMiB: number;
  rssCeilingMiB: number;
  overRss: boolean;
  seconds: number;
}

const kernels = new Map<number, RawEntry>();
/** One deflated body of `bytes` zeros, shared by every entry that uses it (cheap bombs). */
function zeros(bytes: number): RawEntry {
  let kernel = kernels.get(bytes);
  if (!kernel) kernels.set(bytes, (kernel = entry('k', new Uint8Array(bytes))));
  return kernel;
}

const NAMES = [
  '../x.dcm',
  '/abs.dcm',
  '.x',
  'a/../../x.dcm',
  'C:\\x.dcm',
  '..\\x.dcm',
  '__MACOSX/._x.dcm',
  'dir/',
  'ok.dcm',
  'sub/ok.dcm',
  '\\abs.dcm',
  'a\0b.dcm',
  '.hidden/x.dcm',
  '\u00e9t\u00e9.dcm',
];

export async function runArchiveFuzz(options: ArchiveFuzzOptions): Promise<ArchiveFuzzReport> {
  const random = createRandom(options.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const rssCeilingMiB = options.rssCeilingMiB ?? 1024;
  const report: ArchiveFuzzReport = {
    iterations: 0,
    byCase: {},
    byOutcome: {},
    uncaught: [],
    accepted: [],
    slowest: { ms: 0, kind: '', iteration: -1 },
    overLimit: 0,
    rssStartMiB: process.memoryUsage().rss / 2 ** 20,
    rssPeakMiB: 0,
    rssCeilingMiB,
    overRss: false,
    seconds: 0,
  };

  const folder = mkdtempSync(join(tmpdir(), 'neoscope-archive-fuzz-'));
  const site = await SiteIdentity.init(folder, 'fuzz-site');
  const partners = new PartnerKeys(folder);
  await partners.add(site.public);
  const packageFiles = Array.from({ length: 4 }, (_, i) => ({
    name: `f${i}.dcm`,
    bytes: new Uint8Array(randomBytes(2000 + i * 500)),
  }));
  const { zip: validPackage } = await createBatch(packageFiles, site, { softwareVersion: 'fuzz' });
  const packageEntries = unzipSync(validPackage);
  const repack = (
    extra: RawEntry[] = [],
    change?: (entries: Record<string, Uint8Array>) => void,
  ) => {
    const entries = { ...packageEntries };
    change?.(entries);
    return rawZip([
      ...Object.entries(entries).map(([name, bytes]) => entry(name, bytes, 0)),
      ...extra,
    ]);
  };
  const smallZip = () =>
    zipSync(
      Object.fromEntries(
        Array.from({ length: 1 + pick(4) }, (_, i) => [
          `d${i}/f${i}.dcm`,
          new Uint8Array(randomBytes(1 + pick(4000))),
        ]),
      ),
      { level: pick(10) as 0 },
    );
  const flip = (bytes: Uint8Array) => {
    const copy = bytes.slice();
    for (let i = 0, n = 1 + pick(8); i < n; i++) copy[pick(copy.length)]! ^= 1 << pick(8);
    return copy;
  };

  const make = (kind: ArchiveCase): Uint8Array => {
    switch (kind) {
      case 'valid':
        return smallZip();
      case 'many-small': {
        const tiny = entry('t', new Uint8Array([pick(256)]));
        return rawZip(
          Array.from({ length: 1 + pick(12_000) }, (_, i) => ({ ...tiny, name: `f${i}.dcm` })),
        );
      }
      case 'zero-bomb': {
        const kernel = zeros([70_000, 1_000_000, 4_000_000][pick(3)]!);
        return rawZip(
          Array.from({ length: 100 + pick(4_200) }, (_, i) => ({ ...kernel, name: `z${i}.dcm` })),
        );
      }
      case 'nested': {
        let zip = smallZip();
        for (let depth = 1 + pick(4); depth > 1; depth--)
          zip = zipSync({ 'inner.zip': zip, 'x.dcm': new Uint8Array([depth]) }, { level: 0 });
        return zip;
      }
      case 'names':
        return rawZip(
          Array.from({ length: 1 + pick(4) }, (_, i) =>
            entry(
              `${i ? `${i}-` : ''}${NAMES[pick(NAMES.length)]!}`.replace(
                /^\d+-(\.\.|\/|\\|[A-Z]:)/,
                '$1',
              ),
              new Uint8Array(randomBytes(pick(100))),
            ),
          ),
        );
      case 'duplicates': {
        const e = entry('same.dcm', new Uint8Array(randomBytes(50)));
        return rawZip([e, entry('other.dcm', new Uint8Array(10)), { ...e, data: e.data.slice() }]);
      }
      case 'truncated': {
        const zip = smallZip();
        return zip.subarray(0, pick(zip.length - 1));
      }
      case 'huge-declared': {
        const e = entry('huge.dcm', new Uint8Array(randomBytes(100)));
        return rawZip([{ ...e, size: [0xffffffff, 2 ** 33, 2 ** 40, 2 ** 52][pick(4)]! }]);
      }
      case 'lying-size': {
        const real = [1_000_000, 16_000_000, 64_000_000][pick(3)]!;
        return rawZip([{ ...zeros(real), name: 'liar.dcm', size: 1 + pick(60_000) }]);
      }
      case 'overlap': {
        const b = entry('b.dcm', new Uint8Array(randomBytes(200)), 0);
        const local = rawZip([b]).subarray(0, 30 + 5 + 200);
        return rawZip([entry('a.dcm', local, 0), { ...b, pointsAt: 35 }]);
      }
      case 'bit-flips':
        return flip(smallZip());
      case 'package-valid':
        return validPackage;
      case 'package-extra': {
        const path = Object.keys(packageEntries).find((n) => n.startsWith('files/'))!;
        const extras = [
          entry('.x', new Uint8Array(5)),
          entry('../x', new Uint8Array(5)),
          entry('/abs', new Uint8Array(5)),
          entry('__MACOSX/._x', new Uint8Array(5)),
          entry('files/.hidden.dcm', new Uint8Array(5)),
          entry(path, packageEntries[path]!, 0),
        ];
        return repack([extras[pick(extras.length)]!]);
      }
      case 'package-truncated':
        return validPackage.subarray(0, pick(validPackage.length - 1));
      case 'package-bit-flips':
        return flip(validPackage);
      case 'package-bomb': {
        const kernel = zeros(1_000_000);
        const bomb = Array.from({ length: 100 + pick(4_200) }, (_, i) => ({
          ...kernel,
          name: `files/${String(i).padStart(5, '0')}-z.dcm`,
        }));
        return random() < 0.5 ? rawZip(bomb) : repack(bomb);
      }
      case 'package-nested':
        return repack([entry('files/99999-inner.zip', validPackage, 0)]);
      case 'package-huge-declared': {
        const path = Object.keys(packageEntries).find((n) => n.startsWith('files/'))!;
        const rest = Object.entries(packageEntries)
          .filter(([n]) => n !== path)
          .map(([n, b]) => entry(n, b, 0));
        return rawZip([
          ...rest,
          {
            ...entry(path, packageEntries[path]!),
            size: [2 ** 32, 2 ** 40, 1 + pick(1000)][pick(3)]!,
          },
        ]);
      }
    }
  };

  const started = performance.now();
  try {
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      const kind = ARCHIVE_CASES[pick(ARCHIVE_CASES.length)]!;
      report.byCase[kind] = (report.byCase[kind] ?? 0) + 1;
      const bytes = make(kind);
      const isPackage = kind.startsWith('package-');
      const t0 = performance.now();
      let outcome = 'ok';
      try {
        if (isPackage) await verifyBatch(bytes, `case-${iteration}.zip`, partners);
        else if (iteration % 10 === 0) {
          // The whole import path: the archive's failure lands in the report, coded.
          const result = await createLibrary({ frameCacheBytes: 0 }).importFiles([
            { name: `case-${iteration}.zip`, bytes },
          ]);
          const refusal = result.failed.find((f) => f.fileName === `case-${iteration}.zip`);
          if (refusal) throw Object.assign(new Error(refusal.message), { code: refusal.code });
        } else expandZip(bytes, `case-${iteration}.zip`);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        outcome = typeof code === 'string' ? code : 'UNCODED';
        if (!(
          typeof code === 'string' &&
          (isPackage ? /^EXCHANGE_[A-Z_]+$/ : /^IMPORT_ARCHIVE_[A-Z_]+$/).test(code)
        )) {
          report.uncaught.push({
            kind,
            iteration,
            error: String((error as Error)?.stack ?? error).slice(0, 2000),
          });
        }
      }
      if (outcome === 'ok' && MUST_REFUSE.has(kind)) report.accepted.push({ kind, iteration });
      report.byOutcome[outcome] = (report.byOutcome[outcome] ?? 0) + 1;
      const ms = performance.now() - t0;
      if (ms > report.slowest.ms) report.slowest = { ms, kind, iteration };
      if (ms > options.perCaseLimitMs) report.overLimit++;
      report.iterations++;
      report.rssPeakMiB = Math.max(report.rssPeakMiB, process.memoryUsage().rss / 2 ** 20);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  // getrusage's peak catches spikes between samples (Linux reports KiB).
  report.rssPeakMiB = Math.max(report.rssPeakMiB, process.resourceUsage().maxRSS / 1024);
  report.overRss = report.rssPeakMiB >= rssCeilingMiB;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** Whether a run passed; the reasons when not. */
export function archiveFuzzFailures(report: ArchiveFuzzReport): string[] {
  const failures: string[] = [];
  if (report.uncaught.length)
    failures.push(
      `${report.uncaught.length} uncoded failure(s), first: ${report.uncaught[0]!.kind} #${report.uncaught[0]!.iteration}: ${report.uncaught[0]!.error.split('\n')[0]}`,
    );
  if (report.accepted.length)
    failures.push(
      `${report.accepted.length} hostile archive(s) accepted, first: ${report.accepted[0]!.kind} #${report.accepted[0]!.iteration}`,
    );
  if (report.overLimit)
    failures.push(
      `${report.overLimit} case(s) over the time limit (slowest ${report.slowest.ms.toFixed(0)} ms, ${report.slowest.kind})`,
    );
  if (report.overRss)
    failures.push(
      `peak RSS ${report.rssPeakMiB.toFixed(0)} MiB reached the ${report.rssCeilingMiB} MiB ceiling`,
    );
  return failures;
}
