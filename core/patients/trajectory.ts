/**
 * Neonatal age and the course of an infant's exams. Gestational age at birth plus the
 * time since birth gives the postmenstrual age (PMA) of each exam, the clock ROP screening
 * and BPD grading run on. The trajectory lists the patient's signed reports by PMA with
 * the measurements followed over time: the vascular tortuosity index (retina) and the
 * cardiothoracic ratio (chest), the reader's value where given, else the AI value.
 */
import type { SignedReport } from '../reports/signed-reports.ts';

export interface PatientRecord {
  patientId: string;
  birthDate: string; // YYYY-MM-DD
  gaWeeks: number;
  gaDays: number;
  /** Birth weight in grams, when recorded (ROP screening eligibility, G-ROP). */
  birthWeightGrams?: number;
  /** The clinician judges the course unstable (screening of larger infants, AAP 2018). */
  unstableCourse?: boolean;
  /** Hydrocephalus (a G-ROP criterion). */
  hydrocephalus?: boolean;
  /** BPD grade at 36 weeks PMA by respiratory support (Jensen et al. 2019), clinical, entered here. */
  bpdGrade?: BpdGrade;
}

export { BPD_GRADES, type BpdGrade } from '../vocabulary/bpd-grades.ts';
import type { BpdGrade } from '../vocabulary/bpd-grades.ts';

export interface TrajectoryPoint {
  reportId: string;
  version: number;
  domain: 'retina' | 'chest';
  examDate: string;
  pmaDays: number;
  pma: string;
  measure: { name: 'tortuosity_index' | 'ctr'; value: number; source: 'reader' | 'AI' } | null;
}

/** "YYYY-MM-DD" or DICOM "YYYYMMDD" → UTC midnight, or undefined. */
export function parseDate(text: string): Date | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3]) ? undefined : date;
}

export function formatAge(days: number): string {
  return `${Math.floor(days / 7)}+${days % 7} weeks`;
}

/** PMA in days at an exam; undefined when the dates are missing or the exam precedes birth. */
export function pmaDays(patient: PatientRecord, examDate: string): number | undefined {
  const birth = parseDate(patient.birthDate);
  const exam = parseDate(examDate);
  if (!birth || !exam) return undefined;
  const sinceBirth = Math.round((exam.getTime() - birth.getTime()) / 86_400_000);
  return sinceBirth < 0 ? undefined : patient.gaWeeks * 7 + patient.gaDays + sinceBirth;
}

function valueOf(
  report: SignedReport,
  fieldName: string,
): { value: number; source: 'reader' | 'AI' } | undefined {
  const field = report.content.fields.find((f) => f.field === fieldName);
  if (typeof field?.reader === 'number') return { value: field.reader, source: 'reader' };
  if (typeof field?.ai?.value === 'number') return { value: field.ai.value, source: 'AI' };
  return undefined;
}

/**
 * The followed measurement of a report. ROP visits grade both eyes: the course follows the
 * worse (more tortuous) eye, as plus disease does; reports from before the two-eye form hold
 * one unprefixed value.
 */
function measureOf(report: SignedReport): TrajectoryPoint['measure'] {
  if (report.content.domain === 'chest') {
    const ctr = valueOf(report, 'ctr');
    return ctr ? { name: 'ctr', ...ctr } : null;
  }
  const values = ['tortuosity_index', 'od_tortuosity_index', 'os_tortuosity_index']
    .map((name) => valueOf(report, name))
    .filter((v) => v !== undefined);
  if (!values.length) return null;
  const worst = values.reduce((a, b) => (b.value > a.value ? b : a));
  return { name: 'tortuosity_index', ...worst };
}

/**
 * The latest signed version of each report of the patient, ordered by PMA (undated last);
 * without the patient's gestational age no exam has a PMA.
 */
export function trajectory(
  patientId: string,
  patient: PatientRecord | undefined,
  reports: { report: SignedReport; examDate: string }[],
): TrajectoryPoint[] {
  return reports
    .filter((r) => r.report.content.patientId === patientId)
    .map(({ report, examDate }) => {
      const days = patient ? pmaDays(patient, examDate) : undefined;
      return {
        reportId: report.content.reportId,
        version: report.version,
        domain: report.content.domain,
        examDate,
        pmaDays: days ?? Number.NaN,
        pma: days === undefined ? 'unknown' : formatAge(days),
        measure: measureOf(report),
      };
    })
    .sort((a, b) =>
      Number.isNaN(a.pmaDays) ? 1 : Number.isNaN(b.pmaDays) ? -1 : a.pmaDays - b.pmaDays,
    );
}
