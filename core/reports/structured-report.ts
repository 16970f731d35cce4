// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../dicom/deidentify/dcmjs-module.d.ts" />
/**
 * The signed report as a DICOM Comprehensive SR (PS3.3 A.35.3), in the original study:
 * a "Diagnostic imaging report" container holding, per graded field, the reader's value
 * and, where a model gave one, the AI value with the algorithm's name and version (and
 * the model file's SHA-256) and its confidence; the reader's free text; the images the
 * report is about; and the signer as the verifying observer. Written with dcmjs.
 */
import dcmjs from 'dcmjs';
import type { SignedReport } from './signed-reports.ts';
import { newUid } from './dicom-uid.ts';

const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Under 2.25, unique to this product. */
export const IMPLEMENTATION_CLASS_UID = '2.25.183715372615329120738472718539017731204';

/** The study and images the report belongs to, read from the original instances. */
export interface StudyContext {
  patientName: string;
  patientId: string;
  patientBirthDate: string;
  patientSex: string;
  studyInstanceUid: string;
  studyDate: string;
  studyTime: string;
  studyId: string;
  accessionNumber: string;
  referringPhysicianName: string;
  /** R or L for an eye; absent for a chest film. */
  laterality?: string;
  images: { sopClassUid: string; sopInstanceUid: string; seriesInstanceUid: string }[];
}

type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string };
const code = (value: string, scheme: string, meaning: string): Code => ({
  CodeValue: value,
  CodingSchemeDesignator: scheme,
  CodeMeaning: meaning,
});
/** NeoScope's own concepts, where no standard code names the graded field. */
const local = (value: string, meaning: string) => code(value, '99NEOSCOPE', meaning);

/** The Patient and General Study modules of a new object in the original study. */
export function patientAndStudy(study: StudyContext): Record<string, string> {
  return {
    PatientName: study.patientName,
    PatientID: study.patientId,
    PatientBirthDate: study.patientBirthDate,
    PatientSex: study.patientSex,
    StudyInstanceUID: study.studyInstanceUid,
    StudyDate: study.studyDate,
    StudyTime: study.studyTime,
    StudyID: study.studyId,
    AccessionNumber: study.accessionNumber,
    ReferringPhysicianName: study.referringPhysicianName,
  };
}

/** "A Reader" → "Reader^A" (DICOM PN: family^given); a name already in PN form is kept. */
/** The signer's name without the "(username, role)" the signed report adds after it. */
export function signerName(signer: string): string {
  return signer.replace(/\s*\([^()]*\)\s*$/, '');
}

export function personName(name: string): string {
  if (name.includes('^')) return name;
  const words = name.trim().split(/\s+/);
  return words.length > 1
    ? `${words[words.length - 1]}^${words.slice(0, -1).join(' ')}`
    : (words[0] ?? '');
}

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`,
  };
}

function text(relationship: string, concept: Code, value: string) {
  return {
    RelationshipType: relationship,
    ValueType: 'TEXT',
    ConceptNameCodeSequence: [concept],
    TextValue: value.slice(0, 10240),
  };
}

function num(relationship: string, concept: Code, value: number, unit: Code) {
  return {
    RelationshipType: relationship,
    ValueType: 'NUM',
    ConceptNameCodeSequence: [concept],
    MeasuredValueSequence: [
      { NumericValue: Number(value.toPrecision(8)), MeasurementUnitsCodeSequence: [unit] },
    ],
  };
}

function fieldValue(relationship: string, concept: Code, value: string | number) {
  return typeof value === 'number'
    ? num(relationship, concept, value, code('1', 'UCUM', 'no units'))
    : text(relationship, concept, value);
}

export function buildStructuredReport(
  report: SignedReport,
  study: StudyContext,
  options: { institutionName?: string; seriesInstanceUid?: string; sopInstanceUid?: string } = {},
): Uint8Array {
  const signed = dicomDateTime(report.signedAt);
  const sopInstanceUid = options.sopInstanceUid ?? newUid();
  const findings = report.content.fields.map((f) => {
    const items: unknown[] = [];
    if (f.reader !== null)
      items.push(fieldValue('CONTAINS', local('READER', "Reader's value"), f.reader));
    else items.push(text('CONTAINS', local('READER', "Reader's value"), 'not graded'));
    if (f.ai) {
      const ai = fieldValue('CONTAINS', local('AI', 'AI value'), f.ai.value) as Record<
        string,
        unknown
      >;
      ai.ContentSequence = [
        text('HAS PROPERTIES', code('111001', 'DCM', 'Algorithm Name'), f.ai.model.id),
        text(
          'HAS PROPERTIES',
          code('111003', 'DCM', 'Algorithm Version'),
          `${f.ai.model.version} sha256:${f.ai.model.sha256}`,
        ),
        ...(f.ai.confidence !== undefined
          ? [
              num(
                'HAS PROPERTIES',
                local('CONFIDENCE', 'Model confidence'),
                f.ai.confidence,
                code('1', 'UCUM', 'no units'),
              ),
            ]
          : []),
      ];
      items.push(ai);
    }
    return {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [local(`FIELD-${f.field}`.slice(0, 16).toUpperCase(), f.field)],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: items,
    };
  });
  const images = study.images.map((img) => ({
    RelationshipType: 'CONTAINS',
    ValueType: 'IMAGE',
    ConceptNameCodeSequence: [code('121233', 'DCM', 'Source image for segmentation')],
    ReferencedSOPSequence: [
      { ReferencedSOPClassUID: img.sopClassUid, ReferencedSOPInstanceUID: img.sopInstanceUid },
    ],
  }));
  const series = new Map<string, { sopClassUid: string; sopInstanceUid: string }[]>();
  for (const img of study.images)
    series.set(img.seriesInstanceUid, [...(series.get(img.seriesInstanceUid) ?? []), img]);
  const dataset: Record<string, unknown> = {
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: sopInstanceUid,
    SpecificCharacterSet: 'ISO_IR 192',
    SeriesInstanceUID: options.seriesInstanceUid ?? newUid(),
    Modality: 'SR',
    SeriesNumber: 900 + report.version,
    InstanceNumber: report.version,
    SeriesDescription: 'NeoScope signed report',
    ...patientAndStudy(study),
    Manufacturer: 'NeoScope',
    ...(options.institutionName ? { InstitutionName: options.institutionName } : {}),
    ContentDate: signed.date,
    ContentTime: signed.time,
    InstanceCreationDate: signed.date,
    InstanceCreationTime: signed.time,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'VERIFIED',
    ReferencedPerformedProcedureStepSequence: [],
    CodingSchemeIdentificationSequence: [
      {
        CodingSchemeDesignator: '99NEOSCOPE',
        CodingSchemeName: 'NeoScope workstation local concepts',
        CodingSchemeResponsibleOrganization: 'NeoScope',
      },
    ],
    VerifyingObserverSequence: [
      {
        VerifyingObserverName: personName(signerName(report.signer)),
        VerifyingOrganization: options.institutionName ?? 'NeoScope workstation',
        VerificationDateTime: `${signed.date}${signed.time}`,
        VerifyingObserverIdentificationCodeSequence: [],
      },
    ],
    PerformedProcedureCodeSequence: [],
    // Type 1C: present when the document references images (photo exports have no DICOM identity).
    ...(series.size
      ? {
          CurrentRequestedProcedureEvidenceSequence: [
            {
              StudyInstanceUID: study.studyInstanceUid,
              ReferencedSeriesSequence: [...series].map(([uid, imgs]) => ({
                SeriesInstanceUID: uid,
                ReferencedSOPSequence: imgs.map((i) => ({
                  ReferencedSOPClassUID: i.sopClassUid,
                  ReferencedSOPInstanceUID: i.sopInstanceUid,
                })),
              })),
            },
          ],
        }
      : {}),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [code('18748-4', 'LN', 'Diagnostic imaging report')],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      ...findings,
      ...(report.content.freeText
        ? [text('CONTAINS', code('121106', 'DCM', 'Comment'), report.content.freeText)]
        : []),
      // Reader measurements as saved (the reading with its unit and calibration note), one TEXT item each.
      ...(report.content.measurements ?? []).map((m) =>
        text(
          'CONTAINS',
          local('MEASUREMENT', 'Reader measurement'),
          `${m.kind}: ${m.label} (by ${m.by})`,
        ),
      ),
      text(
        'CONTAINS',
        local('HASH', 'Signed report content hash'),
        `sha256:${report.contentHash} version ${report.version}${report.amends ? ` amends version ${report.amends.version}: ${report.amends.reason}` : ''}`,
      ),
      ...images,
    ],
  };
  return writeDicomFile(dataset, COMPREHENSIVE_SR, sopInstanceUid);
}

/** A Part 10 file (explicit VR little endian) from a naturalized dcmjs dataset. */
export function writeDicomFile(
  dataset: Record<string, unknown>,
  sopClassUid: string,
  sopInstanceUid: string,
): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'NEOSCOPE',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}
