// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../dicom/deidentify/dcmjs-module.d.ts" />
/**
 * Signed results going back: the hub packs, per signed report, its DICOM SR and PDF with a
 * results.json index (report id, version, content hash, the pseudonymous patient and
 * study) into a 'results' batch. The regional site verifies the package like any batch
 * (an images batch, a results package imported before, or an old one is refused),
 * maps each pseudonym back to its own patient with the re-identification table that never
 * left it, rewrites the SR's patient and study to the originals, and files the results
 * under the right patient. Results of a batch sent without de-identification carry the
 * site's own patient and study and are filed as they are, onto a study the site holds. A
 * result for any other patient id is refused by name.
 */
import dcmjs from 'dcmjs';
import type { AuditCheckpoint } from '../audit/audit-log.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { replayGuard, type ReceiveOptions } from './batch-import.ts';
import {
  createBatch,
  verifyBatch,
  type BatchManifest,
  type Reidentification,
} from './batch-package.ts';
import { ExchangeError, type PartnerKeys, type SiteIdentity } from './site-identity.ts';

export interface ResultEntry {
  reportId: string;
  version: number;
  contentHash: string;
  patientId: string;
  studyInstanceUid: string;
  signer: string;
  files: { sr: string; pdf?: string };
}

export async function createResultsBatch(
  results: { report: SignedReport; sr: Uint8Array; pdf?: Uint8Array }[],
  identity: SiteIdentity,
  softwareVersion: string,
  checkpoint?: AuditCheckpoint,
) {
  const files: { name: string; bytes: Uint8Array }[] = [];
  const index: ResultEntry[] = [];
  for (const { report, sr, pdf } of results) {
    const stem = `${report.content.reportId}-v${report.version}`;
    files.push({ name: `${stem}-sr.dcm`, bytes: sr });
    if (pdf) files.push({ name: `${stem}.pdf`, bytes: pdf });
    index.push({
      reportId: report.content.reportId,
      version: report.version,
      contentHash: report.contentHash,
      patientId: report.content.patientId,
      studyInstanceUid: report.content.studyInstanceUid,
      signer: report.signer,
      files: { sr: `${stem}-sr.dcm`, ...(pdf ? { pdf: `${stem}.pdf` } : {}) },
    });
  }
  files.unshift({
    name: 'results.json',
    bytes: new TextEncoder().encode(JSON.stringify(index, null, 2)),
  });
  return createBatch(files, identity, {
    kind: 'results',
    softwareVersion,
    ...(checkpoint ? { checkpoint } : {}),
  });
}

/** The SR with the site's own patient and study put back (PS3.15 re-identification at the source). */
export function reidentifySr(
  bytes: Uint8Array,
  identity: { patientId: string; patientName: string; studyInstanceUid?: string },
): Uint8Array {
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const message = dcmjs.data.DicomMessage.readFile(buffer);
  message.dict['00100020'] = { vr: 'LO', Value: [identity.patientId] };
  message.dict['00100010'] = { vr: 'PN', Value: [{ Alphabetic: identity.patientName }] };
  if (identity.studyInstanceUid)
    message.dict['0020000D'] = { vr: 'UI', Value: [identity.studyInstanceUid] };
  return new Uint8Array(message.write());
}

export interface AttachedResult {
  reportId: string;
  version: number;
  patientId: string;
  studyInstanceUid: string;
  contentHash: string;
}

export async function importResults(
  zip: Uint8Array,
  packageName: string,
  deps: {
    data: DataFolder;
    partners: PartnerKeys;
    reidentification: Reidentification[];
    actor: string;
  } & ReceiveOptions,
): Promise<{ manifest: BatchManifest; attached: AttachedResult[] }> {
  const guard = replayGuard(deps.data.audit, 'results');
  try {
    return await importVerifiedResults(zip, packageName, deps, guard.alreadyImported);
  } finally {
    guard.release();
  }
}

async function importVerifiedResults(
  zip: Uint8Array,
  packageName: string,
  deps: {
    data: DataFolder;
    partners: PartnerKeys;
    reidentification: Reidentification[];
    actor: string;
  } & ReceiveOptions,
  alreadyImported: (batchId: string) => Promise<string | undefined>,
): Promise<{ manifest: BatchManifest; attached: AttachedResult[] }> {
  const { manifest, files } = await verifyBatch(zip, packageName, deps.partners, {
    kind: 'results',
    alreadyImported,
    acceptOld: deps.acceptOld,
    maxAgeDays: deps.maxAgeDays,
    now: deps.now,
    limits: deps.limits,
  });
  const byBase = new Map(files.map((f) => [f.name.replace(/^files\/\d{5}-/, ''), f.bytes]));
  const indexBytes = byBase.get('results.json');
  if (!indexBytes)
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName} has no results.json`,
      packageName,
    );
  let index: ResultEntry[];
  try {
    index = JSON.parse(new TextDecoder().decode(indexBytes)) as ResultEntry[];
    if (!Array.isArray(index)) throw new Error('not a list');
  } catch (error) {
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName}: results.json is not a list of results (${(error as Error).message})`,
      packageName,
    );
  }
  // Check everything before storing anything.
  const plan = index.map((entry) => {
    const person = deps.reidentification.find((r) => r.pseudonym === entry.patientId);
    // A batch sent without de-identification comes back under this site's own patient and
    // study: filed as they are, but only onto a study this site holds of its own.
    if (!person && !holdsOwnStudy(deps.data, entry.patientId, entry.studyInstanceUid))
      throw new ExchangeError(
        'EXCHANGE_MANIFEST_INVALID',
        `${packageName}: result ${entry.reportId} is for ${entry.patientId}, neither a pseudonym this site issued nor a patient and study it holds`,
        entry.reportId,
      );
    const sr = byBase.get(entry.files.sr);
    if (!sr)
      throw new ExchangeError(
        'EXCHANGE_FILE_MISSING',
        `${packageName}: ${entry.files.sr} named in results.json is not in the package`,
        entry.files.sr,
      );
    const pdf = entry.files.pdf ? byBase.get(entry.files.pdf) : undefined;
    return {
      entry,
      person,
      sr,
      pdf,
      originalStudy: person?.studies[entry.studyInstanceUid] ?? entry.studyInstanceUid,
    };
  });
  const attached: AttachedResult[] = [];
  for (const { entry, person, sr, pdf, originalStudy } of plan) {
    const received = await deps.data.objects.put(sr);
    const reidentified = person
      ? await deps.data.objects.put(
          reidentifySr(sr, {
            patientId: person.patientId,
            patientName: person.patientName,
            studyInstanceUid: originalStudy,
          }),
        )
      : received;
    const patientId = person?.patientId ?? entry.patientId;
    const pdfSha = pdf ? await deps.data.objects.put(pdf) : null;
    deps.data.db.transaction(() =>
      deps.data.db.run(
        'INSERT OR IGNORE INTO received_results (batch_id, from_site, report_id, version, pseudonym, patient_id, study_uid, content_hash, sr_received, sr_reidentified, pdf, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          manifest.batchId,
          manifest.sender.siteId,
          entry.reportId,
          entry.version,
          entry.patientId,
          patientId,
          originalStudy,
          entry.contentHash,
          received,
          reidentified,
          pdfSha,
          new Date().toISOString(),
        ],
      ),
    );
    attached.push({
      reportId: entry.reportId,
      version: entry.version,
      patientId,
      studyInstanceUid: originalStudy,
      contentHash: entry.contentHash,
    });
  }
  await deps.data.audit.append({
    actor: deps.actor,
    action: 'import',
    subject: `results:${manifest.batchId}`,
    details: {
      from: manifest.sender.siteId,
      reports: attached.map((a) => `${a.reportId} v${a.version}`),
      ...(manifest.auditCheckpoint ? { senderCheckpoint: manifest.auditCheckpoint } : {}),
    },
  });
  return { manifest, attached };
}

/** Whether this site holds images of its own (not received from a partner) of that study. */
function holdsOwnStudy(data: DataFolder, patientId: string, studyInstanceUid: string): boolean {
  return Boolean(
    data.db.get(
      'SELECT 1 FROM instances WHERE patient_id = ? AND study_uid = ? AND source_site IS NULL LIMIT 1',
      [patientId, studyInstanceUid],
    ),
  );
}

export function receivedResults(
  data: DataFolder,
  patientId: string,
): (AttachedResult & { fromSite: string; srObject: string; pdfObject: string | null })[] {
  return data.db
    .all('SELECT * FROM received_results WHERE patient_id = ? ORDER BY received_at', [patientId])
    .map((r) => ({
      reportId: String(r.report_id),
      version: Number(r.version),
      patientId: String(r.patient_id),
      studyInstanceUid: String(r.study_uid),
      contentHash: String(r.content_hash),
      fromSite: String(r.from_site),
      srObject: String(r.sr_reidentified),
      pdfObject: r.pdf === null ? null : String(r.pdf),
    }));
}
