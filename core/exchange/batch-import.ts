/**
 * Receiving a batch: verify the package completely (core/exchange/batch-package.ts: the
 * signature, the kind, that this batch id was not imported before, its age, every file),
 * then import its files into the library tagged with the sending site, and record the
 * batch in the audit log. A package that fails any check stores nothing.
 *
 * A batch counts as imported once its audit entry is written, after the last file: a
 * killed import can be run again and resumes; a finished one is refused as a replay.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import type { ImportReport } from '../base/schemas.ts';
import type { Library } from '../library/library.ts';
import { openBatch, type BatchManifest, type PackageChecks } from './batch-package.ts';
import type { PartnerKeys } from './site-identity.ts';

export interface BatchProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

/** Files per library call: small enough for steady progress, large enough to stay fast. */
const CHUNK = 25;

/** Receiving options: the age window and its confirmation, limits (see PackageChecks). */
export type ReceiveOptions = Pick<PackageChecks, 'acceptOld' | 'maxAgeDays' | 'now' | 'limits'>;

/**
 * The first 'import' entry for `subject` in the audit log, read as a stream (a hub's log
 * grows with every image); only lines that mention the subject are parsed.
 */
async function findImport(auditPath: string, subject: string): Promise<AuditEntry | undefined> {
  const needle = JSON.stringify(subject);
  const stream = createReadStream(auditPath, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? resolve(false) : reject(error),
    );
  });
  if (!opened) return undefined;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.includes(needle)) continue;
      try {
        const entry = JSON.parse(line) as AuditEntry;
        if (entry.action === 'import' && entry.subject === subject) return entry;
      } catch {
        // A torn last line (crash mid-append) is repaired when the data folder opens.
      }
    }
    return undefined;
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Batch ids being imported in this process right now (the audit entry comes at the end). */
const inFlight = new Set<string>();

/**
 * Refuses a batch id whose import `subject` (batch:<id>, results:<id>) is in the audit log
 * or is being imported right now; otherwise claims it until `release` is called.
 */
export function replayGuard(audit: AuditLog, prefix: 'batch' | 'results') {
  let claimed: string | undefined;
  return {
    alreadyImported: async (batchId: string): Promise<string | undefined> => {
      const subject = `${prefix}:${batchId}`;
      const earlier = await findImport(audit.path, subject);
      if (earlier) return `on ${earlier.time} by ${earlier.actor} (audit entry ${earlier.seq})`;
      if (inFlight.has(subject)) return 'by another import running now';
      inFlight.add(subject);
      claimed = subject;
      return undefined;
    },
    release: () => void (claimed && inFlight.delete(claimed)),
  };
}

/**
 * Imports in chunks, reporting progress after each. Each stored file is durable before the
 * next is read, so a killed import resumes by running again: what is stored is recognised
 * by its hash and skipped as a duplicate.
 */
export async function importBatch(
  zip: Uint8Array,
  packageName: string,
  deps: {
    library: Library;
    partners: PartnerKeys;
    audit: AuditLog;
    actor: string;
    onProgress?: (progress: BatchProgress) => void;
  } & ReceiveOptions,
): Promise<{ manifest: BatchManifest; report: ImportReport }> {
  const guard = replayGuard(deps.audit, 'batch');
  try {
    const { manifest, read } = await openBatch(zip, packageName, deps.partners, {
      kind: 'images',
      alreadyImported: guard.alreadyImported,
      acceptOld: deps.acceptOld,
      maxAgeDays: deps.maxAgeDays,
      now: deps.now,
      limits: deps.limits,
    });
    const report: ImportReport = { imported: [], duplicates: [], failed: [], skipped: [] };
    const started = performance.now();
    const total = manifest.files.length;
    for (let i = 0; i < total; i += CHUNK) {
      const files = [];
      for (let j = i; j < Math.min(total, i + CHUNK); j++) files.push(read(j));
      const part = await deps.library.importFiles(
        files,
        `${deps.actor} (batch from ${manifest.sender.siteId})`,
        { sourceSite: manifest.sender.siteId },
      );
      report.imported.push(...part.imported);
      report.duplicates.push(...part.duplicates);
      report.failed.push(...part.failed);
      report.skipped.push(...part.skipped);
      deps.onProgress?.({
        done: Math.min(total, i + CHUNK),
        total,
        elapsedMs: performance.now() - started,
      });
    }
    await deps.audit.append({
      actor: deps.actor,
      action: 'import',
      subject: `batch:${manifest.batchId}`,
      details: {
        from: manifest.sender.siteId,
        files: manifest.counts.files,
        imported: report.imported.length,
        duplicates: report.duplicates.length,
        failed: report.failed.length,
        createdAt: manifest.createdAt,
        ...(manifest.auditCheckpoint ? { senderCheckpoint: manifest.auditCheckpoint } : {}),
        ...(deps.acceptOld ? { acceptedOld: true } : {}),
      },
    });
    return { manifest, report };
  } finally {
    guard.release();
  }
}
