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
import { fieldLines, intendedUseText, type FieldLine } from './report-text.ts';
import type { SignedReport } from './signed-reports.ts';
import { newUid } from './dicom-uid.ts';
import { formatMeasurement } from '../measurements/geometry/format.ts';
import type { MeasuredValue, MeasurementUnit, Quantity } from '../measurements/geometry/units.ts';

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

/** Laterality (272741003, SCT) with Right (24028007) / Left (7771000), as DICOM SR templates code it. */
const LATERALITY = {
  concept: code('272741003', 'SCT', 'Laterality'),
  right: code('24028007', 'SCT', 'Right'),
  left: code('7771000', 'SCT', 'Left'),
};

/** A local concept's code value from a form key: at most 16 characters (SH). */
function conceptValue(key: string): string {
  return key
    .replace(/[^a-z0-9]+/gi, '-')
    .toUpperCase()
    .slice(0, 16);
}

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

/**
 * Concepts of a reader measurement's numbers: DICOM's linear measurements (CID 7470) where one
 * fits — Length (410668003, SCT), Diameter (81827009, SCT), Radius (131190003, SCT), Distance
 * (121206, DCM) — and NeoScope's own where none does: a generic angle (CID 7550 offers only the
 * Cobb and acetabular angles), the cardiothoracic ratio and its two transverse widths.
 */
const QUANTITY_CONCEPTS: Record<Quantity, Code> = {
  length: code('410668003', 'SCT', 'Length'),
  angle: local('ANGLE', 'Angle'),
  'cardiothoracic-ratio': local('CTR', 'Cardiothoracic ratio'),
  'cardiac-width': local('CARDIAC-WIDTH', 'Transverse cardiac diameter'),
  'thoracic-width': local('THORACIC-WIDTH', 'Transverse thoracic diameter'),
  'disc-diameter': code('81827009', 'SCT', 'Diameter'),
  'zone-i-radius': code('131190003', 'SCT', 'Radius'),
  'disc-fovea-distance': code('121206', 'DCM', 'Distance'),
};

/** UCUM units (PS3.16 CID 82); pixels and the ratio are UCUM annotations of unity. */
const UNIT_CODES: Record<MeasurementUnit, Code> = {
  mm: code('mm', 'UCUM', 'mm'),
  deg: code('deg', 'UCUM', 'degree'),
  ratio: code('{ratio}', 'UCUM', 'ratio'),
  px: code('{pixels}', 'UCUM', 'pixels'),
};

const CALIBRATION_NOTES: Partial<Record<MeasuredValue['calibration'], Record<string, string>>> = {
  uncalibrated: {
    mm: 'uncalibrated: Imager or Nominal Scanned Pixel Spacing, not corrected for geometric magnification',
    px: 'uncalibrated: image pixels',
  },
};

/**
 * One reader measurement: a container of NUM items, one per number the workstation computed
 * from the points (each uncalibrated one says so), and the reading as shown. Reports signed
 * before numbers were kept have the reading only, as one TEXT item, as then.
 */
function readerMeasurement(m: NonNullable<SignedReport['content']['measurements']>[number]) {
  if (!m.values)
    return text(
      'CONTAINS',
      local('MEASUREMENT', 'Reader measurement'),
      `${m.kind}: ${m.label} (by ${m.by})`,
    );
  const reading = text(
    'CONTAINS',
    local('READING', 'Reading as shown'),
    `${m.kind}: ${formatMeasurement(m.kind, m.values)} (by ${m.by})`,
  );
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [local('MEASUREMENT', 'Reader measurement')],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      ...m.values.map((v) => {
        const item = num('CONTAINS', QUANTITY_CONCEPTS[v.quantity], v.value, UNIT_CODES[v.unit]);
        const note = CALIBRATION_NOTES[v.calibration]?.[v.unit];
        return note
          ? {
              ...item,
              ContentSequence: [text('HAS PROPERTIES', local('CALIBRATION', 'Calibration'), note)],
            }
          : item;
      }),
      reading,
    ],
  };
}

/** The infant's ages at the exam: GA at birth and PMA as NUM in days (UCUM d), birth date as DATE. */
function clinicalItems(content: SignedReport['content']): unknown[] {
  const c = content.clinical;
  if (!c) return [];
  const days = code('d', 'UCUM', 'day');
  const ga = /^(\d+)\+(\d)/.exec(c.gaAtBirth ?? '');
  return [
    ...(ga
      ? [
          num(
            'CONTAINS',
            local('GA-AT-BIRTH', 'Gestational age at birth'),
            Number(ga[1]) * 7 + Number(ga[2]),
            days,
          ),
        ]
      : []),
    ...(c.pmaDays !== undefined
      ? [num('CONTAINS', local('PMA-AT-EXAM', 'Postmenstrual age at exam'), c.pmaDays, days)]
      : []),
    ...(c.birthWeightGrams !== undefined
      ? [
          num(
            'CONTAINS',
            local('BIRTH-WEIGHT', 'Birth weight'),
            c.birthWeightGrams,
            code('g', 'UCUM', 'gram'),
          ),
        ]
      : []),
  ];
}

/**
 * ROP: the summary line as the Conclusion (121077, DCM), the ETROP category of each eye with
 * its laterality and the rule that matched, and the next exam as the Recommendation
 * (121075, DCM) — the same content the PDF prints.
 */
function conclusionItems(content: SignedReport['content']): unknown[] {
  const a = content.assessment;
  if (!a) return [];
  return [
    {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [code('121076', 'DCM', 'Conclusions')],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: [
        text('CONTAINS', code('121077', 'DCM', 'Conclusion'), a.summary),
        ...a.eyes.map((eye) => ({
          ...text(
            'CONTAINS',
            local('ETROP', 'ETROP classification'),
            `${eye.etrop.category}${eye.etrop.treatmentWarranted ? ', treatment warranted' : ''}: ${eye.etrop.rule}`,
          ),
          ContentSequence: [
            {
              RelationshipType: 'HAS CONCEPT MOD',
              ValueType: 'CODE',
              ConceptNameCodeSequence: [LATERALITY.concept],
              ConceptCodeSequence: [eye.eye === 'OD' ? LATERALITY.right : LATERALITY.left],
            },
          ],
        })),
        text(
          'CONTAINS',
          code('121075', 'DCM', 'Recommendation'),
          `Next exam: ${a.followUp.label}${a.nextExamDate ? `, due by ${a.nextExamDate}` : ''}${a.followUp.byReader ? " (the reader's choice)" : ''}. ${a.followUp.rule}`,
        ),
      ],
    },
  ];
}

export function buildStructuredReport(
  report: SignedReport,
  study: StudyContext,
  options: { institutionName?: string; seriesInstanceUid?: string; sopInstanceUid?: string } = {},
): Uint8Array {
  const signed = dicomDateTime(report.signedAt);
  const sopInstanceUid = options.sopInstanceUid ?? newUid();
  const lines = fieldLines(report.content);
  const fieldItem = (f: SignedReport['content']['fields'][number], line: FieldLine) => {
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
        ...(intendedUseText(f.ai)
          ? [
              text(
                'HAS PROPERTIES',
                local('INTENDED_USE', 'Intended use'),
                intendedUseText(f.ai).replace(/^ — /, ''),
              ),
            ]
          : []),
      ];
      items.push(ai);
    }
    return {
      RelationshipType: 'CONTAINS',
      ValueType: 'CONTAINER',
      ConceptNameCodeSequence: [local(conceptValue(line.key), line.label)],
      ContinuityOfContent: 'SEPARATE',
      ContentSequence: items,
    };
  };
  const lineOf = new Map(lines.map((l) => [l.field, l]));
  const byField = new Map(
    report.content.fields.map((f) => [f.field, { f, line: lineOf.get(f.field)! }]),
  );
  const itemFor = (name: string) => {
    const entry = byField.get(name);
    return entry ? fieldItem(entry.f, entry.line) : undefined;
  };
  const eyeOfField = (name: string) =>
    /^(od|os)_/.test(name) && report.content.domain === 'retina' ? name.slice(0, 2) : undefined;
  const findings: unknown[] = [];
  if (report.content.domain === 'retina') {
    // One container per eye, its laterality coded, holding that eye's ICROP3 entries.
    for (const [prefix, side] of [
      ['od', LATERALITY.right],
      ['os', LATERALITY.left],
    ] as const) {
      const items = report.content.fields
        .filter((f) => eyeOfField(f.field) === prefix)
        .map((f) => itemFor(f.field));
      if (!items.length) continue;
      findings.push({
        RelationshipType: 'CONTAINS',
        ValueType: 'CONTAINER',
        ConceptNameCodeSequence: [code('121070', 'DCM', 'Findings')],
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [
          {
            RelationshipType: 'HAS CONCEPT MOD',
            ValueType: 'CODE',
            ConceptNameCodeSequence: [LATERALITY.concept],
            ConceptCodeSequence: [side],
          },
          ...items,
        ],
      });
    }
  }
  for (const f of report.content.fields.filter((f) => !eyeOfField(f.field)))
    findings.push(itemFor(f.field));
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
      ...clinicalItems(report.content),
      ...findings,
      ...conclusionItems(report.content),
      ...(report.content.freeText
        ? [text('CONTAINS', code('121106', 'DCM', 'Comment'), report.content.freeText)]
        : []),
      ...(report.content.measurements ?? []).map(readerMeasurement),
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
