/**
 * Signed reports: frozen, versioned, never edited. Signing writes
 * <root>/<reportId>/v<N>.json once (exclusive create, then read-only), holding the report
 * content, the signer, the time, the exact models behind every AI value, and the SHA-256
 * of all of that in canonical JSON; the audit log records the same hash. An amendment is a
 * new version that names the version and hash it amends; the old file stays as it was.
 *
 * The signer's Ed25519 key (sealed under their password, core/users/accounts.ts) signs the
 * same canonical bytes the hash covers; the signature and the key's fingerprint are stored
 * with the report. Recomputing the hash (and the audit chain) after an edit no longer
 * passes: the signature needs the reader's password. `readVerified` re-checks all of it
 * (bytes, hash, signature against a key the account had when it signed, the sign-off in an
 * intact audit chain) and is what every export reads through.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../base/errors.ts';
import {
  readAuditEntries,
  verifyAuditLog,
  type AuditEntry,
  type AuditLog,
} from '../audit/audit-log.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { verifyEd25519 } from '../audit/ed25519.ts';
import { signingKeysInAudit, type AuditedKey } from '../audit/replay.ts';
import type { Assessment } from '../screening/assessment-schemas.ts';
import type { ClinicalFacts } from './clinical-facts.ts';
import type { AnnotationKind } from '../measurements/geometry/annotation-kinds.ts';
import type { MeasuredValue } from '../measurements/geometry/units.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

export type ReportErrorCode =
  'REPORT_ALREADY_SIGNED' | 'REPORT_NOT_FOUND' | 'REPORT_INVALID' | 'REPORT_TAMPERED';
export class ReportError extends CodedError<ReportErrorCode> {}

export interface ModelRef {
  id: string;
  version: string;
  sha256: string;
}

/** One graded field: what the AI said (if anything) and what the reader decided. */
export interface GradedField {
  field: string;
  ai?: {
    value: string | number;
    confidence?: number;
    model: ModelRef;
    /** Why the image or patient was outside the model's intended use (it ran, labelled). */
    outsideIntendedUse?: string;
    /** Why the model's intended use could not be confirmed (a fact it needs is not recorded). */
    intendedUseNotConfirmed?: string;
  };
  reader: string | number | null;
}

export interface ReportContent {
  reportId: string;
  patientId: string;
  studyInstanceUid: string;
  instanceIds: string[];
  domain: ReadDomain;
  fields: GradedField[];
  freeText: string;
  /** Images with the AI result drawn on them (object-store SHA-256 of a PNG), part of what is signed. */
  overlays?: { instanceId: string; model: ModelRef; png: string; description: string }[];
  /**
   * Measurements the readers saved with the images (length, angle, CTR, disc ruler, zone I):
   * the numbers the workstation computed from the points, and the reading rendered from them
   * (reports signed before numbers were kept have the reading only).
   */
  measurements?: {
    instanceId: string;
    kind: AnnotationKind;
    values?: MeasuredValue[];
    label: string;
    by: string;
    at: string;
  }[];
  /**
   * The patient and study as the signer saw them, frozen at sign-off: exports print these,
   * never the database's current rows (absent in reports signed before this was kept).
   */
  study?: FrozenStudy;
  /** The infant's dates and ages at this exam, from the patient record at signing. */
  clinical?: ClinicalFacts;
  /** ROP: the ETROP category per eye, next exam and summary computed from the entries at signing. */
  assessment?: Assessment;
}

export interface FrozenStudy {
  patientName: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  studyId: string;
  accessionNumber: string;
  referringPhysicianName: string;
  laterality?: string;
  images: {
    instanceId: string;
    fileName: string;
    modality: string;
    laterality: string;
    sopClassUid: string;
    sopInstanceUid: string;
    seriesInstanceUid: string;
  }[];
}

/** The signer's Ed25519 signature over the report's canonical bytes (those the content hash covers). */
export interface ReportSignature {
  algorithm: 'Ed25519';
  username: string;
  keyFingerprint: string;
  value: string;
}

/** What signs at sign-off: the reader's key, unsealed with the password they just entered. */
export interface ReportSigner {
  username: string;
  publicKey: string;
  fingerprint: string;
  sign(bytes: Uint8Array): string;
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
  /** Absent only in versions signed before per-signer keys (accepted when the audit log says so). */
  signature?: ReportSignature;
}

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

type ReportBody = Omit<SignedReport, 'contentHash' | 'signature'>;

/** The bytes the content hash and the signature cover. */
export function reportBytes(report: ReportBody): Uint8Array {
  return new TextEncoder().encode(canonicalJson(report));
}

export function reportHash(report: ReportBody): string {
  return createHash('sha256').update(reportBytes(report)).digest('hex');
}

/** The user name in "Full Name (username, role)", as ReviewService writes the signer. */
export function signerUsername(signer: string): string | undefined {
  return /\(([^,()]+), [^,()]+\)\s*$/.exec(signer)?.[1];
}

function modelsOf(content: ReportContent): ModelRef[] {
  const seen = new Map<string, ModelRef>();
  for (const f of content.fields)
    if (f.ai) seen.set(`${f.ai.model.id}@${f.ai.model.version}@${f.ai.model.sha256}`, f.ai.model);
  return [...seen.values()];
}

/** Every public key an account ever had, from the accounts database (signing_keys). */
export type KeyHistory = (username: string) => { publicKey: string; fingerprint: string }[];

export class SignedReportStore {
  constructor(
    readonly root: string,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
    private readonly keyHistory?: KeyHistory,
  ) {}

  /**
   * A signed version for export: its bytes, hash and signature checked, and its sign-off
   * found in an intact audit chain. Anything else is REPORT_TAMPERED, and nothing is rendered.
   */
  async readVerified(reportId: string, version: number): Promise<SignedReport> {
    const file = join(this.folder(reportId), `v${version}.json`);
    if (!existsSync(file))
      throw new ReportError(
        'REPORT_NOT_FOUND',
        `report ${reportId} has no signed version ${version}`,
      );
    const chain = await verifyAuditLog(this.audit.path);
    if (!chain.ok)
      throw new ReportError(
        'REPORT_TAMPERED',
        `report ${reportId} v${version} is not exported: the audit log is broken at entry ${chain.brokenAt} (${chain.reason}); run "neoscope audit verify"`,
      );
    const entries = await readAuditEntries(this.audit.path);
    const checked = checkSignedVersion(
      await readFile(file, 'utf8'),
      reportId,
      version,
      reportContext(entries, this.keyHistory),
    );
    if ('problem' in checked)
      throw new ReportError(
        'REPORT_TAMPERED',
        `report ${reportId} v${version} is not exported: ${checked.problem.code}: ${checked.problem.reason}`,
      );
    return checked.report;
  }

  private folder(reportId: string): string {
    if (!REPORT_ID.test(reportId))
      throw new ReportError(
        'REPORT_INVALID',
        `report id ${JSON.stringify(reportId)} is not a safe file name`,
      );
    return join(this.root, reportId);
  }

  /** Every report with at least one signed version. */
  async reportIds(): Promise<string[]> {
    const ids = await readdir(this.root).catch(() => [] as string[]);
    const signed: string[] = [];
    for (const id of ids.sort())
      if (REPORT_ID.test(id) && (await this.versions(id)).length) signed.push(id);
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
    return names
      .flatMap((n) => (/^v(\d+)\.json$/.exec(n) ? [Number(/^v(\d+)\.json$/.exec(n)![1])] : []))
      .sort((a, b) => a - b);
  }

  async read(reportId: string, version: number): Promise<SignedReport> {
    try {
      return JSON.parse(
        await readFile(join(this.folder(reportId), `v${version}.json`), 'utf8'),
      ) as SignedReport;
    } catch {
      throw new ReportError(
        'REPORT_NOT_FOUND',
        `report ${reportId} has no signed version ${version}`,
      );
    }
  }

  /** First signature of a report; `key` is the signer's (every sign-off through ReviewService has one). */
  sign(content: ReportContent, signer: string, key?: ReportSigner): Promise<SignedReport> {
    return this.write(content, signer, 1, undefined, key);
  }

  /** A new version amending the latest; the signed versions stay untouched. */
  async amend(
    content: ReportContent,
    signer: string,
    reason: string,
    key?: ReportSigner,
  ): Promise<SignedReport> {
    const versions = await this.versions(content.reportId);
    const latest = versions[versions.length - 1];
    if (latest === undefined)
      throw new ReportError(
        'REPORT_NOT_FOUND',
        `report ${content.reportId} has not been signed; sign it first`,
      );
    if (!reason.trim()) throw new ReportError('REPORT_INVALID', 'an amendment needs a reason');
    const previous = await this.read(content.reportId, latest);
    return this.write(
      content,
      signer,
      latest + 1,
      { version: latest, contentHash: previous.contentHash, reason },
      key,
    );
  }

  private async write(
    content: ReportContent,
    signer: string,
    version: number,
    amends: SignedReport['amends'],
    key: ReportSigner | undefined,
  ): Promise<SignedReport> {
    const folder = this.folder(content.reportId);
    await mkdir(folder, { recursive: true });
    const body: ReportBody = {
      content,
      version,
      signer,
      signedAt: this.now().toISOString(),
      models: modelsOf(content),
      ...(amends ? { amends } : {}),
    };
    const bytes = reportBytes(body);
    const signature: ReportSignature | undefined = key
      ? {
          algorithm: 'Ed25519',
          username: key.username,
          keyFingerprint: key.fingerprint,
          value: key.sign(bytes),
        }
      : undefined;
    const report: SignedReport = {
      ...body,
      contentHash: reportHash(body),
      ...(signature ? { signature } : {}),
    };
    const target = join(folder, `v${version}.json`);
    const temp = join(folder, `.v${version}.json.partial`);
    // Exclusive create: a version that exists is never overwritten, even by a racing signer.
    const claim = await open(join(folder, `v${version}.lock`), 'wx').catch(
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'EEXIST')
          throw new ReportError(
            'REPORT_ALREADY_SIGNED',
            `report ${content.reportId} version ${version} is already signed; amend it instead`,
          );
        throw e;
      },
    );
    try {
      const file = await open(temp, 'w');
      await file.write(`${canonicalJson(report)}\n`); // canonical bytes: any changed byte is detectable
      await file.sync();
      await file.close();
      await chmod(temp, 0o444);
      // The audit entry is the commit point: a crash before it leaves only a partial file
      // (discarded by recover()), a crash after it a partial file recover() completes.
      await this.audit.append({
        actor: signer,
        action: amends ? 'amendment' : 'sign-off',
        subject: content.reportId,
        details: {
          version,
          contentHash: report.contentHash,
          models: report.models,
          ...(signature
            ? {
                signature: {
                  username: signature.username,
                  keyFingerprint: signature.keyFingerprint,
                },
              }
            : {}),
        },
      });
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
  for (const e of audit)
    if (e.action === 'sign-off' || e.action === 'amendment')
      committed.set(`${e.subject}/v${e.details?.version}`, String(e.details?.contentHash));
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
        actions.push(
          `completed sign-off ${key} (committed in the audit log before the interruption)`,
        );
      } else {
        await rm(join(folder, name), { force: true });
        await rm(join(folder, `v${partial[1]}.lock`), { force: true });
        actions.push(`discarded unfinished sign-off ${key} (never committed)`);
      }
    }
    for (const name of names) {
      const lock = /^v(\d+)\.lock$/.exec(name);
      if (
        lock &&
        !names.includes(`v${lock[1]}.json`) &&
        !names.includes(`.v${lock[1]}.json.partial`)
      )
        await rm(join(folder, name), { force: true });
    }
  }
  return actions;
}

export type ReportCheck =
  | { ok: true; reports: number }
  | { ok: false; reports: number; file: string; reason: string; code: ReportProblemCode };

export type ReportProblemCode =
  | 'REPORT_TAMPERED'
  | 'REPORT_NOT_IN_AUDIT'
  | 'REPORT_SIGNATURE_INVALID'
  | 'REPORT_KEY_UNKNOWN'
  | 'REPORT_UNSIGNED'
  | 'REPORT_MISSING';
export interface ReportProblem {
  code: ReportProblemCode;
  file: string;
  reason: string;
}

/** What checking a signed version needs from the audit log (and the accounts database). */
export interface ReportContext {
  signOffs: Map<string, AuditEntry>;
  keys: Map<string, AuditedKey[]>;
  /** The first audit entry that recorded a signing key: sign-offs after it must be signed. */
  keyEpoch?: number;
  keyHistory?: KeyHistory;
}

export function reportContext(entries: AuditEntry[], keyHistory?: KeyHistory): ReportContext {
  const signOffs = new Map<string, AuditEntry>();
  for (const e of entries)
    if (e.action === 'sign-off' || e.action === 'amendment')
      signOffs.set(`${e.subject}/v${e.details?.version}`, e);
  const keys = signingKeysInAudit(entries);
  const keyEpoch = entries.find((e) => e.action === 'signing-key')?.seq;
  return { signOffs, keys, keyEpoch, keyHistory };
}

/**
 * One signed version's text against everything it must match: canonical bytes, its content
 * hash, the sign-off the audit log recorded, and the signer's signature by a key the
 * account had (recorded in the audit log, and in the accounts database when given) and had
 * not yet replaced when it signed.
 */
export function checkSignedVersion(
  text: string,
  reportId: string,
  version: number,
  ctx: ReportContext,
): { report: SignedReport; legacy: boolean } | { problem: Omit<ReportProblem, 'file'> } {
  const fail = (code: ReportProblemCode, reason: string) => ({ problem: { code, reason } });
  let report: SignedReport;
  try {
    report = JSON.parse(text) as SignedReport;
  } catch {
    return fail('REPORT_TAMPERED', 'not valid JSON (altered or corrupted)');
  }
  if (text !== `${canonicalJson(report)}\n`)
    return fail(
      'REPORT_TAMPERED',
      'its bytes differ from the canonical form it was signed in (the file was altered)',
    );
  const { contentHash, signature, ...body } = report;
  if (reportHash(body) !== contentHash)
    return fail(
      'REPORT_TAMPERED',
      'its content does not match its signed hash (the report was altered)',
    );
  if (report.content?.reportId !== reportId || report.version !== version)
    return fail(
      'REPORT_TAMPERED',
      `it says it is ${report.content?.reportId} v${report.version} (the file was moved)`,
    );
  const logged = ctx.signOffs.get(`${reportId}/v${version}`);
  if (!logged) return fail('REPORT_NOT_IN_AUDIT', 'the audit log has no sign-off for this version');
  if (String(logged.details?.contentHash) !== contentHash)
    return fail(
      'REPORT_NOT_IN_AUDIT',
      'its hash differs from the one recorded in the audit log at sign-off',
    );
  const loggedSignature = logged.details?.signature as
    { username?: string; keyFingerprint?: string } | undefined;
  if (!signature) {
    if (loggedSignature)
      return fail(
        'REPORT_UNSIGNED',
        'the audit log recorded a signature at sign-off, but the report carries none (it was removed)',
      );
    if (ctx.keyEpoch !== undefined && logged.seq > ctx.keyEpoch)
      return fail(
        'REPORT_UNSIGNED',
        `signed (audit entry ${logged.seq}) after signing keys were introduced (entry ${ctx.keyEpoch}) but carries no signature`,
      );
    return { report, legacy: true };
  }
  if (
    loggedSignature &&
    (loggedSignature.username !== signature.username ||
      loggedSignature.keyFingerprint !== signature.keyFingerprint)
  )
    return fail(
      'REPORT_SIGNATURE_INVALID',
      'its signature names another key than the audit log recorded at sign-off',
    );
  if (signature.algorithm !== 'Ed25519')
    return fail(
      'REPORT_SIGNATURE_INVALID',
      `unknown signature algorithm ${JSON.stringify(signature.algorithm)}`,
    );
  const named = signerUsername(report.signer);
  if (named !== undefined && named !== signature.username)
    return fail(
      'REPORT_SIGNATURE_INVALID',
      `the signer is ${named} but the signature is ${signature.username}'s`,
    );
  const key = ctx.keys
    .get(signature.username)
    ?.find((k) => k.fingerprint === signature.keyFingerprint);
  if (!key)
    return fail(
      'REPORT_KEY_UNKNOWN',
      `signed with key ${signature.keyFingerprint}, which is not a key the audit log records for ${signature.username}`,
    );
  if (key.seq > logged.seq)
    return fail(
      'REPORT_KEY_UNKNOWN',
      `signed with key ${signature.keyFingerprint}, recorded for ${signature.username} only after the sign-off (entry ${key.seq} > ${logged.seq})`,
    );
  if (key.retiredAt !== undefined && key.retiredAt < logged.seq)
    return fail(
      'REPORT_KEY_UNKNOWN',
      `signed with key ${signature.keyFingerprint}, which ${signature.username}'s password reset had replaced (entry ${key.retiredAt}) before this sign-off (entry ${logged.seq})`,
    );
  if (
    ctx.keyHistory &&
    !ctx.keyHistory(signature.username).some((k) => k.publicKey === key.publicKey)
  )
    return fail(
      'REPORT_KEY_UNKNOWN',
      `signed with key ${signature.keyFingerprint}, which is not among ${signature.username}'s keys in the accounts database`,
    );
  if (!verifyEd25519(key.publicKey, reportBytes(body), signature.value))
    return fail(
      'REPORT_SIGNATURE_INVALID',
      `the signature by ${signature.username} (key ${signature.keyFingerprint}) does not match the content: the report was changed after it was signed`,
    );
  return { report, legacy: false };
}

/**
 * Every signed version against checkSignedVersion, and every sign-off the audit log records
 * against a file that is there: all problems, in file order, then the missing ones.
 */
export async function checkSignedReports(
  root: string,
  audit: AuditEntry[],
  keyHistory?: KeyHistory,
): Promise<{ reports: number; legacyUnsigned: number; problems: ReportProblem[] }> {
  const ctx = reportContext(audit, keyHistory);
  const problems: ReportProblem[] = [];
  let count = 0;
  let legacyUnsigned = 0;
  const present = new Set<string>();
  const ids = (await readdir(root).catch(() => [] as string[])).sort();
  for (const id of ids) {
    const files = (await readdir(join(root, id)).catch(() => [] as string[]))
      .filter((n) => /^v\d+\.json$/.test(n))
      .sort();
    for (const name of files) {
      const file = join(root, id, name);
      const version = Number(name.slice(1, -5));
      present.add(`${id}/v${version}`);
      const checked = checkSignedVersion(await readFile(file, 'utf8'), id, version, ctx);
      if ('problem' in checked) {
        problems.push({ ...checked.problem, file });
        continue;
      }
      if (checked.legacy) legacyUnsigned++;
      count++;
    }
  }
  for (const [key, entry] of ctx.signOffs) {
    if (present.has(key)) continue;
    const [id, v] = key.split('/');
    const file = join(root, id!, `${v}.json`);
    const partial = existsSync(join(root, id!, `.${v}.json.partial`));
    problems.push({
      code: 'REPORT_MISSING',
      file,
      reason: `the audit log records its ${entry.action} (entry ${entry.seq}, hash ${String(entry.details?.contentHash).slice(0, 16)}…) but the file is gone${partial ? ' (an interrupted sign-off is there: starting the workstation completes it)' : ' (deleted)'}`,
    });
  }
  return { reports: count, legacyUnsigned, problems };
}

/** The first problem of checkSignedReports, or how many versions verified. */
export async function verifySignedReports(
  root: string,
  audit: AuditEntry[],
  keyHistory?: KeyHistory,
): Promise<ReportCheck> {
  const { reports, problems } = await checkSignedReports(root, audit, keyHistory);
  const first = problems[0];
  if (first)
    return { ok: false, reports, file: first.file, reason: first.reason, code: first.code };
  return { ok: true, reports };
}
