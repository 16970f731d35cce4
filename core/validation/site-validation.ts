/**
 * Local validation: how each model version agrees with this site's signed readings. Reads
 * the latest signed version of every report (an amendment replaces what it amends), checks
 * each as an export would (bytes, hash, signature, sign-off in an intact audit chain; one
 * pass over the audit log for all of them), turns it into agreement cases (signed-cases.ts)
 * and computes the agreement report (agreement-report.ts). A report that fails the check is
 * not counted and is listed with the reason.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAuditEntries, verifyAuditLog } from '../audit/audit-log.ts';
import {
  checkSignedVersion,
  reportContext,
  ReportError,
  type SignedReport,
} from '../reports/signed-reports.ts';
import type { DataFolder } from '../store/data-folder.ts';
import type { AgreementCase } from './agreement-cases.ts';
import { caseIdOf } from './agreement-cases.ts';
import { agreementReport, type AgreementReport } from './agreement-report.ts';
import { casesOfReport, CONTINUOUS_TOLERANCES } from './signed-cases.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

export interface UnverifiedReport {
  reportId: string;
  version: number;
  code: string;
  reason: string;
}

export interface LatestSigned {
  reports: SignedReport[];
  unverified: UnverifiedReport[];
}

type SignedData = Pick<DataFolder, 'db' | 'audit' | 'reports'>;

/** The latest signed version of every report, each verified; those that fail, with why. */
export async function latestSignedReports(data: SignedData): Promise<LatestSigned> {
  const chain = await verifyAuditLog(data.audit.path);
  if (!chain.ok)
    throw new ReportError(
      'REPORT_TAMPERED',
      `no signed report can be trusted: the audit log is broken at entry ${chain.brokenAt} (${chain.reason}); run "neoscope audit verify"`,
    );
  const keyHistory = (username: string) =>
    data.db
      .all('SELECT public_key, fingerprint FROM signing_keys WHERE username = ?', [username])
      .map((r) => ({ publicKey: String(r.public_key), fingerprint: String(r.fingerprint) }));
  const context = reportContext(await readAuditEntries(data.audit.path), keyHistory);
  const out: LatestSigned = { reports: [], unverified: [] };
  for (const reportId of await data.reports.reportIds()) {
    const version = (await data.reports.versions(reportId)).at(-1)!;
    const text = await readFile(join(data.reports.root, reportId, `v${version}.json`), 'utf8');
    const checked = checkSignedVersion(text, reportId, version, context);
    if ('problem' in checked) out.unverified.push({ reportId, version, ...checked.problem });
    else out.reports.push(checked.report);
  }
  return out;
}

export interface SiteValidationOptions {
  /** Only this model id (every version of it). */
  model?: string;
  /** Only reports signed on or after this day (YYYY-MM-DD, UTC). */
  since?: string;
  /** Only reports of these domains (a reader sees the domain they read). */
  domains?: readonly ReadDomain[];
}

/** One case as the panel lists it: the values behind the case id. */
export interface CaseRow {
  caseId: string;
  reportId: string;
  signedAt: string;
  modelId: string;
  modelVersion: string;
  field: string;
  ai: string | number | boolean | null;
  reader: string | number | boolean | null;
}

export interface SiteValidation extends AgreementReport {
  filters: { model?: string; since?: string; domains: ReadDomain[] };
  /** Signed reports counted (latest versions that verified and passed the filters). */
  reports: number;
  unverified: UnverifiedReport[];
  cases: CaseRow[];
}

const valueOf = (v: AgreementCase['ai']) => (v === undefined ? null : v);

export async function siteValidation(
  data: SignedData,
  options: SiteValidationOptions = {},
): Promise<SiteValidation> {
  const domains = [...(options.domains ?? ['retina', 'chest'])];
  const since = options.since ? Date.parse(`${options.since}T00:00:00Z`) : undefined;
  const latest = await latestSignedReports(data);
  const reports = latest.reports.filter(
    (r) =>
      domains.includes(r.content.domain) &&
      (since === undefined || Date.parse(r.signedAt) >= since),
  );
  const cases = reports
    .flatMap(casesOfReport)
    .filter((c) => options.model === undefined || c.modelId === options.model);
  const report = agreementReport(cases, { tolerances: CONTINUOUS_TOLERANCES });
  return {
    ...report,
    filters: {
      ...(options.model ? { model: options.model } : {}),
      ...(options.since ? { since: options.since } : {}),
      domains,
    },
    reports: reports.length,
    // A report that does not verify cannot be read for its domain; its id begins with it
    // (core/review/report-id.ts).
    unverified: latest.unverified.filter((u) =>
      domains.some((d) => u.reportId.startsWith(`${d}-`)),
    ),
    cases: cases.map((c) => ({
      caseId: caseIdOf(c),
      reportId: c.reportId,
      signedAt: c.signedAt,
      modelId: c.modelId,
      modelVersion: c.modelVersion,
      field: c.field,
      ai: valueOf(c.ai),
      reader: valueOf(c.reader),
    })),
  };
}
