/**
 * `neoscope audit verify`: the audit chain, then every signed report against its own hash
 * and the hash the audit log recorded at sign-off. Data folder layout: audit.log and
 * reports/<reportId>/v<N>.json.
 */
import { join } from 'node:path';
import { verifySignedReports } from '../reports/signed-reports.ts';
import { readAuditEntries, verifyAuditLog } from './audit-log.ts';

export function dataPaths(dataFolder: string): { auditLog: string; reports: string } {
  return { auditLog: join(dataFolder, 'audit.log'), reports: join(dataFolder, 'reports') };
}

export async function verifyDataFolder(dataFolder: string): Promise<{ ok: boolean; lines: string[] }> {
  const paths = dataPaths(dataFolder);
  const chain = await verifyAuditLog(paths.auditLog);
  if (!chain.ok) return { ok: false, lines: [`audit log BROKEN at entry ${chain.brokenAt} (line ${chain.line} of ${paths.auditLog}): ${chain.reason}`, `${chain.entries} entries before it verify`] };
  const reports = await verifySignedReports(paths.reports, await readAuditEntries(paths.auditLog));
  const chainLine = `audit log intact: ${chain.entries} entries, last hash ${chain.lastHash}`;
  if (!reports.ok) return { ok: false, lines: [chainLine, `signed report BROKEN: ${reports.file}: ${reports.reason}`] };
  return { ok: true, lines: [chainLine, `signed reports intact: ${reports.reports} version(s)`] };
}
