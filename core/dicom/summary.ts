/** The worklist's view of one DICOM instance: identity, who, what, and its domain. */
import type { InstanceSummary } from '../base/schemas.ts';
import { readString, Tag } from './attributes.ts';
import { displayPersonName } from './charset/person-name.ts';
import { classifyImage } from './classify.ts';
import { readImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';

function anatomicRegionMeaning(parsed: ParsedDicom): string {
  const item = parsed.dataSet.elements[Tag.AnatomicRegionSequence]?.items?.[0]?.dataSet;
  return item ? readString(item, Tag.CodeMeaning) : '';
}

export function summarizeInstance(parsed: ParsedDicom, instanceId: string): InstanceSummary {
  const ds = parsed.dataSet;
  const module = readImagePixelModule(parsed);
  const modality = readString(ds, Tag.Modality).toUpperCase();
  const bodyPart = readString(ds, Tag.BodyPartExamined).toUpperCase();
  const laterality = readString(ds, Tag.ImageLaterality) || readString(ds, Tag.Laterality);
  const sopClassUid = readString(ds, Tag.SOPClassUID);
  const studyDescription = readString(ds, Tag.StudyDescription);
  const { domain, reason } = classifyImage({
    sopClassUid,
    modality,
    bodyPart,
    laterality,
    anatomicRegion: anatomicRegionMeaning(parsed),
    studyDescription,
  });
  return {
    instanceId,
    fileName: parsed.fileName,
    sopInstanceUid: readString(ds, Tag.SOPInstanceUID),
    sopClassUid,
    transferSyntaxUid: parsed.transferSyntaxUid,
    patientName: displayPersonName(readString(ds, Tag.PatientName)),
    patientId: readString(ds, Tag.PatientID),
    studyInstanceUid: readString(ds, Tag.StudyInstanceUID),
    studyDate: readString(ds, Tag.StudyDate),
    studyDescription,
    seriesInstanceUid: readString(ds, Tag.SeriesInstanceUID),
    modality,
    bodyPart,
    laterality,
    rows: module.rows,
    columns: module.columns,
    frames: module.frames,
    photometric: module.photometric,
    domain,
    domainReason: reason,
    warnings: [],
  };
}
