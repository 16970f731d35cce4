/**
 * Birth date and gestational age given with imported photos (sidecar CSV or import form)
 * kept with the patient, so the worklist shows GA and PMA without anyone typing them again.
 * A record entered earlier is never overwritten by an import: a disagreeing import is
 * flagged on the image and the record kept.
 */
import type { Problem } from '../base/schemas.ts';
import { weeksAndDays, type PhotoMetadata } from '../library/photo-export.ts';
import { PatientError, type PatientRecords } from './patient-records.ts';
import { parseDate } from './trajectory.ts';

export async function recordPatientFromImport(
  records: PatientRecords,
  metadata: PhotoMetadata,
  actor: string,
): Promise<Problem | undefined> {
  if (!metadata.birthDate || metadata.gestationalAgeWeeks === undefined) return undefined;
  const { weeks, days } = weeksAndDays(metadata.gestationalAgeWeeks);
  const birth = parseDate(metadata.birthDate)?.toISOString().slice(0, 10);
  const existing = records.get(metadata.patientId);
  if (existing) {
    if (existing.birthDate === birth && existing.gaWeeks === weeks && existing.gaDays === days)
      return undefined;
    return {
      code: 'PATIENT_RECORD_DIFFERS',
      message: `the import gives born ${birth ?? metadata.birthDate} at ${weeks}+${days} weeks; the patient record says born ${existing.birthDate} at ${existing.gaWeeks}+${existing.gaDays} weeks and is kept`,
    };
  }
  try {
    await records.set(
      {
        patientId: metadata.patientId,
        birthDate: metadata.birthDate,
        gaWeeks: weeks,
        gaDays: days,
      },
      actor,
    );
    return undefined;
  } catch (error) {
    if (error instanceof PatientError)
      return {
        code: 'PATIENT_RECORD_INVALID',
        message: `birth date and gestational age not recorded: ${error.message}`,
      };
    throw error;
  }
}
