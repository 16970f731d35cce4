/**
 * The course of an infant's exams (the age arithmetic is core/screening/neonatal-age.ts,
 * re-exported here with the record it reads). The trajectory lists the patient's signed reports by PMA with
 * the measurements followed over time: the vascular tortuosity index (retina) and the
 * cardiothoracic ratio (chest), the reader's value where given, else the AI value.
 */
import type { SignedReport } from '../reports/signed-reports.ts';
import { formatAge, pmaDays, type PatientRecord } from '../screening/neonatal-age.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

export { formatAge, parseDate, pmaDays, type PatientRecord } from '../screening/neonatal-age.ts';
export { BPD_GRADES, type BpdGrade } from '../vocabulary/bpd-grades.ts';

export interface TrajectoryPoint {
  reportId: string;
  version: number;
  domain: ReadDomain;
  examDate: string;
  pmaDays: number;
  pma: string;
  measure: { name: 'tortuosity_index' | 'ctr'; value: number; source: 'reader' | 'AI' } | null;
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
