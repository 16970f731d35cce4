/**
 * Where each exam stands in the reading loop, as the worklist shows it:
 *   new → analysed (a model ran) → in review (a person changed a field, or an amendment is
 *   open) → signed → sent (its signed results were exported after the last signature).
 * An exam whose results came back signed from a partner site counts as signed there.
 * Unread means the signed-in user has not opened the exam yet.
 */
import type { InstanceSummary } from '../base/schemas.ts';
import type { PatientRecord } from '../patients/trajectory.ts';
import { formatAge, pmaDays } from '../patients/trajectory.ts';
import { reportIdFor } from '../review/report-id.ts';
import type { ReportContent, SignedReport } from '../reports/signed-reports.ts';
import { latestSignedVisit } from '../review/latest-signed-visit.ts';
import { assessVisit } from '../review/rop-assessment.ts';
import { screeningStatus, type LatestSignedVisit } from '../review/screening-status.ts';
import type { WeightRecord } from '../screening/index.ts';
import { EYES, eyeOf, groupByVisit, type Eye } from '../vocabulary/visit.ts';
import type { Database } from '../store/database.ts';
import type { DueStatus, ExamStatus } from '../vocabulary/exam-status.ts';

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
  /** ROP: the eyes the visit's images show. */
  eyes: Eye[];
  /** ROP: the reader's entries so far warrant treatment (ETROP type 1, A-ROP, stage 4–5). */
  treatmentWarranted: boolean;
  /** ROP: when the infant's next exam is due and why (first exam, or the last signed interval). */
  nextDue?: string;
  dueStatus: DueStatus;
  dueReason?: string;
  /** Triage order of the worklist: 0 treatment warranted, 1 overdue, 2 due today, 3 the rest. */
  triage: number;
}

/** What the store knows about one report, gathered in a handful of queries for all exams at once. */
export interface ReportFacts {
  analysed: boolean;
  readerEdited: boolean;
  draft?: {
    status: 'open' | 'signed';
    amending: boolean;
    updatedAt: string;
    updatedBy: string;
    /** The draft's content (the signed content once signed). */
    content?: ReportContent;
  };
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

/** The images of each exam (one per visit), by report id. */
function groupByExam(instances: InstanceSummary[]): Map<string, InstanceSummary[]> {
  return new Map(
    [...groupByVisit(instances).values()].map((images) => [reportIdFor(images[0]!), images]),
  );
}

function reportFacts(
  db: Database | undefined,
  analysed: ReadonlySet<string>,
  reportIds: string[],
  username: string | undefined,
): Map<string, ReportFacts> {
  const facts = new Map(
    reportIds.map((id) => [
      id,
      { analysed: analysed.has(id), readerEdited: false, viewedByUser: false } as ReportFacts,
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
        content: ReportContent;
      };
      f.draft = {
        status: stored.status,
        amending: stored.status === 'open' && stored.amends !== undefined,
        updatedAt: String(row.updated_at),
        updatedBy: String(row.updated_by),
        content: stored.content,
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

/** Each infant's latest signed ROP visit, from the signed drafts' frozen assessment. */
function latestVisits(facts: Map<string, ReportFacts>): Map<string, LatestSignedVisit> {
  const byPatient = new Map<string, SignedReport[]>();
  for (const f of facts.values()) {
    const content = f.draft?.status === 'signed' ? f.draft.content : undefined;
    if (!content || content.domain !== 'retina') continue;
    const list = byPatient.get(content.patientId) ?? [];
    list.push({ content } as SignedReport);
    byPatient.set(content.patientId, list);
  }
  const latest = new Map<string, LatestSignedVisit>();
  for (const [patientId, reports] of byPatient) {
    const visit = latestSignedVisit(reports);
    if (visit) latest.set(patientId, visit);
  }
  return latest;
}

function weightsByPatient(db: Database | undefined): Map<string, WeightRecord[]> {
  const weights = new Map<string, WeightRecord[]>();
  for (const row of db?.all('SELECT patient_id, date, grams FROM patient_weights ORDER BY date') ??
    []) {
    const list = weights.get(String(row.patient_id)) ?? [];
    list.push({ date: String(row.date), grams: Number(row.grams) });
    weights.set(String(row.patient_id), list);
  }
  return weights;
}

const TRIAGE: Record<DueStatus, number> = {
  overdue: 1,
  'due today': 2,
  'due later': 3,
  none: 3,
};

export interface WorklistSources {
  /** The index (drafts, field changes, exports, views, weights); absent in a preview. */
  db?: Database;
  /** Reports a model has run on (core/review/analysis-store.ts). */
  analysed?: ReadonlySet<string>;
  patients: (patientId: string) => PatientRecord | undefined;
  /** Whose unread state is shown; nobody signed in: none. */
  username?: string;
  /** YYYY-MM-DD; today when absent. */
  today?: string;
}

export function listExams(instances: InstanceSummary[], sources: WorklistSources): ExamEntry[] {
  const { db, patients, username } = sources;
  const today = sources.today ?? new Date().toISOString().slice(0, 10);
  const exams = groupByExam(instances);
  const facts = reportFacts(db, sources.analysed ?? new Set(), [...exams.keys()], username);
  const received = receivedByStudy(db);
  const latest = latestVisits(facts);
  const weights = weightsByPatient(db);
  // One infant's screening status serves all their visits: computed once per patient.
  const screenings = new Map<string, ReturnType<typeof screeningStatus>>();
  const screeningOf = (patientId: string, patient: PatientRecord | undefined) => {
    if (!screenings.has(patientId))
      screenings.set(
        patientId,
        screeningStatus(patient, weights.get(patientId) ?? [], latest.get(patientId), today),
      );
    return screenings.get(patientId);
  };
  const entries = [...exams].map(([reportId, images]): ExamEntry => {
    const first = images[0]!;
    const f = facts.get(reportId)!;
    const returnedFrom = received.get(first.studyInstanceUid);
    if (returnedFrom) f.receivedFrom = returnedFrom;
    const { status, detail } = examStatus(f);
    const patient = patients(first.patientId);
    const pma = patient ? pmaDays(patient, first.studyDate) : undefined;
    const retina = first.domain === 'retina';
    const eyes = retina ? EYES.filter((eye) => images.some((i) => eyeOf(i) === eye)) : [];
    // Every ROP exam shows when the infant is next due (a signed visit's follow-up sets it);
    // only exams still to be read are triaged by it.
    const open = status !== 'signed' && status !== 'sent';
    const treatmentWarranted =
      retina && f.draft?.content
        ? assessVisit(f.draft.content.fields, {}).treatmentWarranted
        : false;
    const screening = retina ? screeningOf(first.patientId, patient) : undefined;
    const dueStatus = screening?.dueStatus ?? 'none';
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
      eyes,
      treatmentWarranted,
      ...(screening?.nextDue ? { nextDue: screening.nextDue } : {}),
      dueStatus,
      ...(screening ? { dueReason: screening.nextDueReason } : {}),
      triage: open && treatmentWarranted ? 0 : open ? TRIAGE[dueStatus] : 4,
    };
  });
  // Treatment warranted, overdue, due today first; then by exam date, newest first.
  const dateOf = new Map([...exams].map(([id, images]) => [id, images[0]!.studyDate] as const));
  return entries.sort(
    (a, b) =>
      a.triage - b.triage ||
      (dateOf.get(b.reportId) ?? '').localeCompare(dateOf.get(a.reportId) ?? ''),
  );
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
