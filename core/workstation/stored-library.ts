/**
 * The library of a data folder: files stored durably, each import recorded in the audit log
 * with the SHA-256 of the instance's summary and of the patient's name and ID (so `audit
 * verify` notices a summary changed in SQLite later), and the infant's birth facts from a
 * photo export's sidecar or form kept in the patient record.
 */
import { instanceHashes } from '../audit/replay.ts';
import { createLibrary, type Library, type LibraryOptions } from '../library/library.ts';
import { recordPatientFromImport } from '../patients/patient-from-import.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import type { DataFolder } from '../store/data-folder.ts';

export function libraryFor(
  data: DataFolder,
  patients: PatientRecords = new PatientRecords(data.db, data.audit),
  options: Pick<LibraryOptions, 'onChanged'> = {},
): Library {
  return createLibrary({
    ...options,
    store: data.instances,
    recordPatient: (metadata, actor) => recordPatientFromImport(patients, metadata, actor),
    onImported: async (summary, actor) =>
      void (await data.audit.append({
        actor,
        action: 'import',
        subject: summary.instanceId,
        details: {
          fileName: summary.fileName,
          patientId: summary.patientId,
          sopInstanceUid: summary.sopInstanceUid,
          sourceSite: summary.sourceSite,
          ...instanceHashes(JSON.parse(JSON.stringify(summary))),
        },
      })),
  });
}
