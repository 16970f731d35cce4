/**
 * The exams the Exchange panel offers to send: one row per exam of the worklist (one visit:
 * one infant, one date, one domain, both eyes for ROP), with this site's own images only (a
 * hub returns results; it does not send a partner's images on), filtered by a from/to study
 * date range (core/vocabulary/study-dates.ts, the rule the workstation selects with), newest
 * first. An exam without any own image is not offered.
 */
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { eyeOf, type Eye } from '../../../core/vocabulary/visit.ts';
import { inStudyDateRange, type StudyDateRange } from '../../../core/vocabulary/study-dates.ts';
import type { ExamEntry } from '../layouts/layout-props.ts';

export interface SendableExam {
  reportId: string;
  patientId: string;
  patientName: string;
  /** YYYYMMDD, or empty for an undated exam. */
  studyDate: string;
  domain: string;
  eyes: Eye[];
  /** This site's own images of the exam: what a batch of it carries. */
  instanceIds: string[];
}

export function sendableExams(exams: ExamEntry[], instances: InstanceSummary[]): SendableExam[] {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  const rows: SendableExam[] = [];
  for (const exam of exams) {
    const own = exam.instanceIds.flatMap((id) => {
      const instance = byId.get(id);
      return instance && !instance.sourceSite ? [instance] : [];
    });
    const first = own[0];
    if (!first) continue;
    const eyes = new Set(own.map(eyeOf).filter((e): e is Eye => Boolean(e)));
    rows.push({
      reportId: exam.reportId,
      patientId: exam.patientId,
      patientName: first.patientName,
      studyDate: first.studyDate,
      domain: exam.domain,
      eyes: first.domain === 'retina' ? (['OD', 'OS'] as const).filter((e) => eyes.has(e)) : [],
      instanceIds: own.map((i) => i.instanceId),
    });
  }
  return rows.sort(
    (a, b) => b.studyDate.localeCompare(a.studyDate) || a.patientId.localeCompare(b.patientId),
  );
}

/** The exams a range shows; with neither bound every exam, undated ones included. */
export function examsInRange(exams: SendableExam[], range: StudyDateRange): SendableExam[] {
  if (!range.from && !range.to) return exams;
  return exams.filter((e) => inStudyDateRange(e.studyDate, range));
}

/** The images of the ticked exams among those shown (a ticked exam filtered out is not sent). */
export function ticked(
  shown: SendableExam[],
  checked: ReadonlySet<string>,
): { exams: number; patients: number; instanceIds: string[] } {
  const chosen = shown.filter((e) => checked.has(e.reportId));
  return {
    exams: chosen.length,
    patients: new Set(chosen.map((e) => e.patientId)).size,
    instanceIds: chosen.flatMap((e) => e.instanceIds),
  };
}
