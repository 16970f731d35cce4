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

export async function importBatch(zip: Uint8Array, packageName: string, deps: { library: Library; partners: PartnerKeys; audit: AuditLog; actor: string }): Promise<{ manifest: BatchManifest; report: ImportReport }> {
  const { manifest, files } = await verifyBatch(zip, packageName, deps.partners);
  const report = await deps.library.importFiles(files, `${deps.actor} (batch from ${manifest.sender.siteId})`, { sourceSite: manifest.sender.siteId });
  await deps.audit.append({
    actor: deps.actor,
    action: 'import',
    subject: `batch:${manifest.batchId}`,
    details: { from: manifest.sender.siteId, files: manifest.counts.files, imported: report.imported.length, duplicates: report.duplicates.length, failed: report.failed.length },
  });
  return { manifest, report };
}
