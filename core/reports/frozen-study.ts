/**
 * The patient and study a report is about, frozen into the signed content at sign-off
 * (ReportContent.study) and read back from there by every export. The database's instance
 * rows can change after signing (or be changed by someone with file access); what the
 * signer saw cannot.
 */
import type { InstanceSummary } from '../base/schemas.ts';
import { uidFromContent } from './dicom-uid.ts';
import type { FrozenStudy, SignedReport } from './signed-reports.ts';
import type { StudyContext } from './structured-report.ts';

/** The study as the given instances (in report order) describe it now. */
export function freezeStudy(instances: InstanceSummary[]): FrozenStudy {
  const first = instances[0]!;
  return {
    patientName: first.patientName,
    patientBirthDate: '',
    patientSex: '',
    studyDate: first.studyDate.replace(/-/g, ''),
    studyTime: '',
    studyId: '',
    accessionNumber: '',
    referringPhysicianName: '',
    ...(first.laterality ? { laterality: first.laterality } : {}),
    images: instances.map((i) => ({
      instanceId: i.instanceId,
      fileName: i.fileName,
      modality: i.modality,
      laterality: i.laterality,
      sopClassUid: i.sopClassUid,
      sopInstanceUid: i.sopInstanceUid,
      seriesInstanceUid: i.seriesInstanceUid,
    })),
  };
}

/**
 * The study context exports print, from the verified frozen report only. A report signed
 * before the study was frozen has no patient name, date or image identities in it: they are
 * left empty rather than filled in from the database.
 */
export function studyContextOf(report: SignedReport): StudyContext {
  const { content } = report;
  const study = content.study;
  return {
    patientName: study?.patientName ?? '',
    patientId: content.patientId,
    patientBirthDate: study?.patientBirthDate ?? '',
    patientSex: study?.patientSex ?? '',
    // A photo export has no study: the report gets a stable one made from its images.
    studyInstanceUid:
      content.studyInstanceUid ||
      uidFromContent(`neoscope-photo-exam:${[...content.instanceIds].sort().join(',')}`),
    studyDate: study?.studyDate ?? '',
    studyTime: study?.studyTime ?? '',
    studyId: study?.studyId ?? '',
    accessionNumber: study?.accessionNumber ?? '',
    referringPhysicianName: study?.referringPhysicianName ?? '',
    laterality: study?.laterality || undefined,
    images: (study?.images ?? [])
      .filter((i) => i.sopInstanceUid)
      .map((i) => ({
        sopClassUid: i.sopClassUid,
        sopInstanceUid: i.sopInstanceUid,
        seriesInstanceUid: i.seriesInstanceUid,
      })),
  };
}
