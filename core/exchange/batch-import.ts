/**
 * Receiving a batch: verify the package completely (core/exchange/batch-package.ts), then
 * import its files into the library tagged with the sending site, and record the batch in
 * the audit log. A package that fails any check stores nothing.
 */
import type { AuditLog } from '../audit/audit-log.ts';
import type { ImportReport } from '../api/schemas.ts';
import type { Library } from '../library/library.ts';
import { verifyBatch, type BatchManifest } from './batch-package.ts';
import type { PartnerKeys } from './site-identity.ts';

export interface BatchProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

/** Files per library call: small enough for steady progress, large enough to stay fast. */
const CHUNK = 25;

/**
 * Imports in chunks, reporting progress after each. Each stored file is durable before the
 * next is read, so a killed import resumes by running again: what is stored is recognised
 * by its hash and skipped as a duplicate.
 */
export async function importBatch(
  zip: Uint8Array,
  packageName: string,
  deps: { library: Library; partners: PartnerKeys; audit: AuditLog; actor: string; onProgress?: (progress: BatchProgress) => void },
): Promise<{ manifest: BatchManifest; report: ImportReport }> {
  const { manifest, files } = await verifyBatch(zip, packageName, deps.partners);
  const report: ImportReport = { imported: [], duplicates: [], failed: [], skipped: [] };
  const started = performance.now();
  for (let i = 0; i < files.length; i += CHUNK) {
    const part = await deps.library.importFiles(files.slice(i, i + CHUNK), `${deps.actor} (batch from ${manifest.sender.siteId})`, { sourceSite: manifest.sender.siteId });
    report.imported.push(...part.imported);
    report.duplicates.push(...part.duplicates);
    report.failed.push(...part.failed);
    report.skipped.push(...part.skipped);
    deps.onProgress?.({ done: Math.min(files.length, i + CHUNK), total: files.length, elapsedMs: performance.now() - started });
  }
  await deps.audit.append({
    actor: deps.actor,
    action: 'import',
    subject: `batch:${manifest.batchId}`,
    details: { from: manifest.sender.siteId, files: manifest.counts.files, imported: report.imported.length, duplicates: report.duplicates.length, failed: report.failed.length },
  });
  return { manifest, report };
}
