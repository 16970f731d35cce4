/**
 * The worklist's rows: images grouped into their exams, filtered by search, status and
 * unread, and sorted. Images the exam list does not know yet (just imported, before the
 * next refresh) form an exam of their own, shown as new.
 */
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { EXAM_STATUSES } from '../../../core/vocabulary/exam-status.ts';
import { eyeOf } from '../layouts/exam-groups.ts';
import type { ExamEntry } from '../layouts/layout-props.ts';

export type StatusFilter = 'all' | ExamEntry['status'];
export type ExamSort = 'triage' | 'newest' | 'oldest' | 'patient' | 'status';
export const EXAM_SORTS: Array<{ id: ExamSort; label: string }> = [
  { id: 'triage', label: 'treatment / overdue / due first' },
  { id: 'newest', label: 'newest exam first' },
  { id: 'oldest', label: 'oldest exam first' },
  { id: 'patient', label: 'by patient' },
  { id: 'status', label: 'by status (new first)' },
];

export interface ExamRow {
  exam: ExamEntry;
  first: InstanceSummary;
  images: InstanceSummary[];
  eye?: 'OD' | 'OS';
}

function matches(instance: InstanceSummary, words: string[]): boolean {
  const haystack = [
    instance.patientName,
    instance.patientId,
    instance.modality,
    instance.domain,
    instance.studyDescription,
    instance.fileName,
    instance.sourceSite ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function examRows(
  instances: InstanceSummary[],
  exams: ExamEntry[],
  options: { query: string; status: StatusFilter; unreadOnly: boolean; sort: ExamSort },
): ExamRow[] {
  const examOf = new Map<string, ExamEntry>();
  for (const exam of exams) for (const id of exam.instanceIds) examOf.set(id, exam);
  const rows = new Map<string, ExamRow>();
  const words = options.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (const instance of instances) {
    if (words.length && !matches(instance, words)) continue;
    const exam: ExamEntry = examOf.get(instance.instanceId) ?? {
      reportId: instance.instanceId,
      patientId: instance.patientId,
      studyInstanceUid: instance.studyInstanceUid,
      domain: instance.domain,
      instanceIds: [instance.instanceId],
      status: 'new',
      unread: false,
      eyes: [],
      treatmentWarranted: false,
      dueStatus: 'none',
      triage: 3,
    };
    const row = rows.get(exam.reportId);
    if (row) row.images.push(instance);
    else
      rows.set(exam.reportId, {
        exam,
        first: instance,
        images: [instance],
        eye: instance.domain === 'retina' ? eyeOf(instance) : undefined,
      });
  }
  const kept = [...rows.values()].filter(
    (r) =>
      (options.status === 'all' || r.exam.status === options.status) &&
      (!options.unreadOnly || r.exam.unread),
  );
  const byDate = (a: ExamRow, b: ExamRow) => a.first.studyDate.localeCompare(b.first.studyDate);
  const order: Record<ExamSort, (a: ExamRow, b: ExamRow) => number> = {
    triage: (a, b) => a.exam.triage - b.exam.triage || byDate(b, a),
    newest: (a, b) => byDate(b, a),
    oldest: byDate,
    patient: (a, b) =>
      (a.first.patientName || a.first.patientId).localeCompare(
        b.first.patientName || b.first.patientId,
      ) || byDate(b, a),
    status: (a, b) =>
      EXAM_STATUSES.indexOf(a.exam.status) - EXAM_STATUSES.indexOf(b.exam.status) || byDate(b, a),
  };
  return kept.sort(order[options.sort]);
}

export interface InfantGroup {
  patientId: string;
  rows: ExamRow[];
}

/**
 * The rows grouped by infant, each infant where its first (most urgent, in the chosen order)
 * exam falls, its exams kept in that order.
 */
export function infantGroups(rows: ExamRow[]): InfantGroup[] {
  const groups = new Map<string, InfantGroup>();
  for (const row of rows) {
    const group = groups.get(row.exam.patientId);
    if (group) group.rows.push(row);
    else groups.set(row.exam.patientId, { patientId: row.exam.patientId, rows: [row] });
  }
  return [...groups.values()];
}
