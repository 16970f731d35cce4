/**
 * Signed reports: frozen, versioned, never edited. Signing writes
 * <root>/<reportId>/v<N>.json once (exclusive create, then read-only), holding the report
 * content, the signer, the time, the exact models behind every AI value, and the SHA-256
 * of all of that in canonical JSON; the audit log records the same hash. An amendment is a
 * new version that names the version and hash it amends; the old file stays as it was.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../api/errors.ts';
import type { AuditEntry, AuditLog } from '../audit/audit-log.ts';
import { canonicalJson } from '../audit/canonical-json.ts';

export type ReportErrorCode = 'REPORT_ALREADY_SIGNED' | 'REPORT_NOT_FOUND' | 'REPORT_INVALID';
export class ReportError extends CodedError<ReportErrorCode> {}

export interface ModelRef {
  id: string;
  version: string;
  sha256: string;
}

/** One graded field: what the AI said (if anything) and what the reader decided. */
export interface GradedField {
  field: string;
  ai?: { value: string | number; confidence?: number; model: ModelRef };
  reader: string | number | null;
}

export interface ReportContent {
  reportId: string;
  patientId: string;
  studyInstanceUid: string;
  instanceIds: string[];
  domain: 'retina' | 'chest';
  fields: GradedField[];
  freeText: string;
  /** Images with the AI result drawn on them (object-store SHA-256 of a PNG), part of what is signed. */
  overlays?: { instanceId: string; model: ModelRef; png: string; description: string }[];
  /** Measurements the readers saved with the images (length, angle, CTR, disc ruler, zone I), as read when saved. */
  measurements?: { instanceId: string; kind: string; label: string; by: string; at: string }[];
}

export interface SignedReport {
  content: ReportContent;
  version: number;
  signer: string;
  signedAt: string;
  /** Every model behind an AI value in the report. */
  models: ModelRef[];
  amends?: { version: number; contentHash: string; reason: string };
  contentHash: string;
}

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function reportHash(report: Omit<SignedReport, 'contentHash'>): string {
  return createHash('sha256').update(canonicalJson(report)).digest('hex');
}

function modelsOf(content: ReportContent): ModelRef[] {
  const seen = new Map<string, ModelRef>();
  for (const f of content.fields) if (f.ai) seen.set(`${f.ai.model.id}@${f.ai.model.version}@${f.ai.model.sha256}`, f.ai.model);
  return [...seen.values()];
}

export class SignedReportStore {
  constructor(
    readonly root: string,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private folder(reportId: string): string {
    if (!REPORT_ID.test(reportId)) throw new ReportError('REPORT_INVALID', `report id ${JSON.stringify(reportId)} is not a safe file name`);
    return join(this.root, reportId);
  }

  /** Every report with at least one signed version. */
  async reportIds(): Promise<string[]> {
    const ids = await readdir(this.root).catch(() => [] as string[]);
    const signed: string[] = [];
    for (const id of ids.sort()) if (REPORT_ID.test(id) && (await this.versions(id)).length) signed.push(id);
    return signed;
  }

  /** The latest signed version of each of a patient's reports. */
  async latestOfPatient(patientId: string): Promise<SignedReport[]> {
    const reports: SignedReport[] = [];
    for (const id of await this.reportIds()) {
      const versions = await this.versions(id);
      const report = await this.read(id, versions[versions.length - 1]!);
      if (report.content.patientId === patientId) reports.push(report);
    }
    return reports;
  }

  async versions(reportId: string): Promise<number[]> {
    const names = await readdir(this.folder(reportId)).catch(() => [] as string[]);
    return names.flatMap((n) => (/^v(\d+)\.json$/.exec(n) ? [Number(/^v(\d+)\.json$/.exec(n)![1])] : [])).sort((a, b) => a - b);
  }

  async read(reportId: string, version: number): Promise<SignedReport> {
    try {
      return JSON.parse(await readFile(join(this.folder(reportId), `v${version}.json`), 'utf8')) as SignedReport;
    } catch {
      throw new ReportError('REPORT_NOT_FOUND', `report ${reportId} has no signed version ${version}`);
    }
  }

  /** First signature of a report. */
  sign(content: ReportContent, signer: string): Promise<SignedReport> {
    return this.write(content, signer, 1, undefined);
  }

  /** A new version amending the latest; the signed versions stay untouched. */
  async amend(content: ReportContent, signer: string, reason: string): Promise<SignedReport> {
    const versions = await this.versions(content.reportId);
    const latest = versions[versions.length - 1];
    if (latest === undefined) throw new ReportError('REPORT_NOT_FOUND', `report ${content.reportId} has not been signed; sign it first`);
    if (!reason.trim()) throw new ReportError('REPORT_INVALID', 'an amendment needs a reason');
    const previous = await this.read(content.reportId, latest);
    return this.write(content, signer, latest + 1, { version: latest, contentHash: previous.contentHash, reason });
  }

  private async write(content: ReportContent, signer: string, version: number, amends: SignedReport['amends']): Promise<SignedReport> {
    const folder = this.folder(content.reportId);
    await mkdir(folder, { recursive: true });
    const body: Omit<SignedReport, 'contentHash'> = { content, version, signer, signedAt: this.now().toISOString(), models: modelsOf(content), ...(amends ? { amends } : {}) };
    const report: SignedReport = { ...body, contentHash: reportHash(body) };
    const target = join(folder, `v${version}.json`);
    const temp = join(folder, `.v${version}.json.partial`);
    // Exclusive create: a version that exists is never overwritten, even by a racing signer.
    const claim = await open(join(folder, `v${version}.lock`), 'wx').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') throw new ReportError('REPORT_ALREADY_SIGNED', `report ${content.reportId} version ${version} is already signed; amend it instead`);
      throw e;
    });
    try {
      const file = await open(temp, 'w');
      await file.write(`${canonicalJson(report)}\n`); // canonical bytes: any changed byte is detectable
      await file.sync();
      await file.close();
      await chmod(temp, 0o444);
      // The audit entry is the commit point: a crash before it leaves only a partial file
      // (discarded by recover()), a crash after it a partial file recover() completes.
      await this.audit.append({ actor: signer, action: amends ? 'amendment' : 'sign-off', subject: content.reportId, details: { version, contentHash: report.contentHash, models: report.models } });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      await rm(join(folder, `v${version}.lock`), { force: true });
      throw error;
    } finally {
      await claim.close();
    }
    return report;
  }
}

/**
 * After a crash: completes sign-offs the audit log committed, discards the ones it did
 * not, and frees their version claims. Returns what it did, for the log.
 */
export async function recoverSignedReports(root: string, audit: AuditEntry[]): Promise<string[]> {
  const committed = new Map<string, string>();
  for (const e of audit) if (e.action === 'sign-off' || e.action === 'amendment') committed.set(`${e.subject}/v${e.details?.version}`, String(e.details?.contentHash));
  const actions: string[] = [];
  for (const id of await readdir(root).catch(() => [] as string[])) {
    const folder = join(root, id);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const partial = /^\.v(\d+)\.json\.partial$/.exec(name);
      if (!partial) continue;
      const key = `${id}/v${partial[1]}`;
      const text = await readFile(join(folder, name), 'utf8').catch(() => '');
      let hash = '';
      try {
        hash = (JSON.parse(text) as SignedReport).contentHash;
      } catch {
        /* torn partial file: never committed */
      }
      if (committed.get(key) === hash && !names.includes(`v${partial[1]}.json`)) {
        await rename(join(folder, name), join(folder, `v${partial[1]}.json`));
        actions.push(`completed sign-off ${key} (committed in the audit log before the interruption)`);
      } else {
        await rm(join(folder, name), { force: true });
        await rm(join(folder, `v${partial[1]}.lock`), { force: true });
        actions.push(`discarded unfinished sign-off ${key} (never committed)`);
      }
    }
    for (const name of names) {
      const lock = /^v(\d+)\.lock$/.exec(name);
      if (lock && !names.includes(`v${lock[1]}.json`) && !names.includes(`.v${lock[1]}.json.partial`)) await rm(join(folder, name), { force: true });
    }
  }
  return actions;
}

export type ReportCheck = { ok: true; reports: number } | { ok: false; reports: number; file: string; reason: string };

/**
 * Every signed version must hash to its recorded content hash, and that hash must be the
 * one the audit log recorded when it was signed.
 */
export async function verifySignedReports(root: string, audit: AuditEntry[]): Promise<ReportCheck> {
  const recorded = new Map<string, string>();
  for (const e of audit) if (e.action === 'sign-off' || e.action === 'amendment') recorded.set(`${e.subject}/v${e.details?.version}`, String(e.details?.contentHash));
  let count = 0;
  const ids = (await readdir(root).catch(() => [] as string[])).sort();
  for (const id of ids) {
    const files = (await readdir(join(root, id)).catch(() => [] as string[])).filter((n) => /^v\d+\.json$/.test(n)).sort();
    for (const name of files) {
      const file = join(root, id, name);
      let report: SignedReport;
      const text = await readFile(file, 'utf8');
      try {
        report = JSON.parse(text) as SignedReport;
      } catch {
        return { ok: false, reports: count, file, reason: 'not valid JSON (altered or corrupted)' };
      }
      if (text !== `${canonicalJson(report)}\n`) return { ok: false, reports: count, file, reason: 'its bytes differ from the canonical form it was signed in (the file was altered)' };
      const { contentHash, ...body } = report;
      if (reportHash(body) !== contentHash) return { ok: false, reports: count, file, reason: 'its content does not match its signed hash (the report was altered)' };
      const logged = recorded.get(`${id}/${name.replace('.json', '')}`);
      if (!logged) return { ok: false, reports: count, file, reason: 'the audit log has no sign-off for this version' };
      if (logged !== contentHash) return { ok: false, reports: count, file, reason: 'its hash differs from the one recorded in the audit log at sign-off' };
      count++;
    }
  }
  return { ok: true, reports: count };
}
