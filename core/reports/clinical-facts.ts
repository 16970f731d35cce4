/**
 * The infant's facts a report states beside its findings: the exam date, birth date, GA at
 * birth, PMA at the exam and birth weight, from the patient record as it stands at signing
 * (frozen into the report like the patient and study).
 */
import type { PatientRecord } from '../screening/neonatal-age.ts';
import { formatAge, pmaDays } from '../screening/neonatal-age.ts';

export interface ClinicalFacts {
  examDate?: string;
  birthDate?: string;
  gaAtBirth?: string;
  pmaAtExam?: string;
  pmaDays?: number;
  birthWeightGrams?: number;
}

/** DICOM YYYYMMDD (or YYYY-MM-DD) as YYYY-MM-DD; undefined when it is not a date. */
export function isoDate(text: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export function clinicalFacts(
  patient: PatientRecord | undefined,
  studyDate: string,
): ClinicalFacts {
  const examDate = isoDate(studyDate);
  if (!patient) return examDate ? { examDate } : {};
  const pma = examDate ? pmaDays(patient, examDate) : undefined;
  return {
    ...(examDate ? { examDate } : {}),
    birthDate: patient.birthDate,
    gaAtBirth: `${patient.gaWeeks}+${patient.gaDays} weeks`,
    ...(pma !== undefined ? { pmaDays: pma, pmaAtExam: formatAge(pma) } : {}),
    ...(patient.birthWeightGrams !== undefined
      ? { birthWeightGrams: patient.birthWeightGrams }
      : {}),
  };
}
