/**
 * Where each exam stands in the reading loop, as the worklist shows it:
 *   new → analysed (a model ran) → in review (a person changed a field, or an amendment is
 *   open) → signed → sent (its signed results were exported after the last signature).
 * An exam whose results came back signed from a partner site counts as signed there.
 * Unread means the signed-in user has not opened the exam yet.
 */
import type { InstanceSummary } from '../api/schemas.ts';
import type { PatientRecord } from '../patients/trajectory.ts';
import { formatAge, pmaDays } from '../patients/trajectory.ts';
import { reportIdFor } from '../review/report-id.ts';
import type { Database } from '../store/database.ts';

export const EXAM_STATUSES = ['new', 'analysed', 'in review', 'signed', 'sent'] as const;
export type ExamStatus = (typeof EXAM_STATUSES)[number];

export interface ExamEntry {
  reportId: string;
  patientId: string;
  studyInstanceUid: string;
  domain: InstanceSummary['domain'];
  instanceIds: string[];
  status: ExamStatus;
  /** Who signed it, or which partner returned it, when it is signed or sent. */
  statusDetail?: string;
  unread: boolean;
  /** Gestational age at birth ("27+2 weeks") and postmenstrual age at the exam, when recorded. */
  gaAtBirth?: string;
  pmaDays?: number;
  pma?: string;
}

/** What the store knows about one report, gathered in a handful of queries for all exams at once. */
export interface ReportFacts {
  analysed: boolean;
  readerEdited: boolean;
  draft?: { status: 'open' | 'signed'; amending: boolean; updatedAt: string; updatedBy: string };
  lastExportAt?: string;
  receivedFrom?: string;
  viewedByUser: boolean;
}

export function examStatus(facts: ReportFacts): { status: ExamStatus; detail?: string } {
  if (facts.draft?.status === 'signed') {
    if (facts.lastExportAt && facts.lastExportAt >= facts.draft.updatedAt)
      return { status: 'sent', detail: `results exported ${facts.lastExportAt.slice(0, 10)}` };
    return { status: 'signed', detail: `signed by ${facts.draft.updatedBy}` };
  }
  // An amendment in progress is back in review, whatever it was before.
  if (facts.readerEdited || facts.draft?.amending) return { status: 'in review' };
  if (facts.receivedFrom) return { status: 'signed', detail: `signed at ${facts.receivedFrom}` };
  // Opening a draft (the batch queue does, to record model values) is not yet reviewing it.
  return facts.analysed ? { status: 'analysed' } : { status: 'new' };
}

function groupByExam(instances: InstanceSummary[]): Map<string, InstanceSummary[]> {
  const exams = new Map<string, InstanceSummary[]>();
  for (const instance of instances) {
    const id = reportIdFor(instance);
    const images = exams.get(id);
    if (images) images.push(instance);
    else exams.set(id, [instance]);
  }
  return exams;
}

function reportFacts(
  db: Database | undefined,
  reportIds: string[],
  username: string | undefined,
): Map<string, ReportFacts> {
  const facts = new Map(
    reportIds.map((id) => [
      id,
      { analysed: false, readerEdited: false, viewedByUser: false } as ReportFacts,
    ]),
  );
  if (!db) return facts;
  const each = (
    rows: Record<string, unknown>[],
    apply: (f: ReportFacts, row: Record<string, unknown>) => void,
  ) => {
    for (const row of rows) {
      const f = facts.get(String(row.report_id));
      if (f) apply(f, row);
    }
  };
  each(db.all('SELECT DISTINCT report_id FROM analyses'), (f) => (f.analysed = true));
  each(
    db.all("SELECT DISTINCT report_id FROM field_changes WHERE field NOT LIKE '% (AI)'"),
    (f) => (f.readerEdited = true),
  );
  each(
    db.all('SELECT report_id, content_json, updated_by, updated_at FROM report_drafts'),
    (f, row) => {
      const stored = JSON.parse(String(row.content_json)) as {
        status: 'open' | 'signed';
        amends?: number;
      };
      f.draft = {
        status: stored.status,
        amending: stored.status === 'open' && stored.amends !== undefined,
        updatedAt: String(row.updated_at),
        updatedBy: String(row.updated_by),
      };
    },
  );
  each(
    db.all('SELECT report_id, MAX(exported_at) AS at FROM result_exports GROUP BY report_id'),
    (f, row) => (f.lastExportAt = String(row.at)),
  );
  if (username)
    each(
      db.all('SELECT report_id FROM exam_views WHERE username = ?', [username]),
      (f) => (f.viewedByUser = true),
    );
  return facts;
}

/** Results returned by partners, by the local study they were filed under. */
function receivedByStudy(db: Database | undefined): Map<string, string> {
  const received = new Map<string, string>();
  for (const row of db?.all('SELECT study_uid, from_site FROM received_results') ?? [])
    received.set(String(row.study_uid), String(row.from_site));
  return received;
}

export function listExams(
  instances: InstanceSummary[],
  db: Database | undefined,
  patients: (patientId: string) => PatientRecord | undefined,
  username: string | undefined,
): ExamEntry[] {
  const exams = groupByExam(instances);
  const facts = reportFacts(db, [...exams.keys()], username);
  const received = receivedByStudy(db);
  return [...exams].map(([reportId, images]) => {
    const first = images[0]!;
    const f = facts.get(reportId)!;
    const returnedFrom = received.get(first.studyInstanceUid);
    if (returnedFrom) f.receivedFrom = returnedFrom;
    const { status, detail } = examStatus(f);
    const patient = patients(first.patientId);
    const pma = patient ? pmaDays(patient, first.studyDate) : undefined;
    return {
      reportId,
      patientId: first.patientId,
      studyInstanceUid: first.studyInstanceUid,
      domain: first.domain,
      instanceIds: images.map((i) => i.instanceId),
      status,
      ...(detail ? { statusDetail: detail } : {}),
      unread: Boolean(username) && !f.viewedByUser,
      ...(patient ? { gaAtBirth: `${patient.gaWeeks}+${patient.gaDays} weeks` } : {}),
      ...(pma !== undefined ? { pmaDays: pma, pma: formatAge(pma) } : {}),
    };
  });
}

/** Records that a user opened an exam (once; the first time is kept). */
export function markViewed(db: Database, reportId: string, username: string, at: Date): void {
  db.run(
    'INSERT OR IGNORE INTO exam_views (report_id, username, first_viewed_at) VALUES (?, ?, ?)',
    [reportId, username, at.toISOString()],
  );
}

/** Records that a signed report's results left in a results package. */
export function recordResultExport(
  db: Database,
  reportId: string,
  version: number,
  batchId: string,
  username: string,
  at: Date,
): void {
  db.run(
    'INSERT OR IGNORE INTO result_exports (report_id, version, batch_id, exported_by, exported_at) VALUES (?, ?, ?, ?, ?)',
    [reportId, version, batchId, username, at.toISOString()],
  );
}
