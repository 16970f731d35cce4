/**
 * The full description `neoscope info` prints: identity, patient/study/series, encoding,
 * geometry, spacing with its calibration status, and the domain with its reason.
 */
import { readDecimal, readString, Tag } from './attributes.ts';
import { characterSetOf, readPersonName } from './charset/dataset-text.ts';
import type { PersonNameGroups } from './charset/person-name.ts';
import { readImagePixelModule, type ImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { summarizeInstance } from './summary.ts';
import { transferSyntaxName } from './uids.ts';

export type CalibrationStatus =
  | 'calibrated: Pixel Spacing (patient plane)'
  | 'detector plane: Imager Pixel Spacing, not corrected for geometric magnification'
  | 'nominal: Nominal Scanned Pixel Spacing of a film digitiser'
  | 'uncalibrated: no pixel spacing; distances only in pixels';

export interface SpacingDescription {
  rowMm: number;
  columnMm: number;
  source: 'PixelSpacing' | 'ImagerPixelSpacing' | 'NominalScannedPixelSpacing';
}

/** PS3.3 10.7.1.3: Pixel Spacing, if present, is in the patient plane; otherwise the detector's. */
export function describeSpacing(parsed: ParsedDicom): {
  spacing?: SpacingDescription;
  calibration: CalibrationStatus;
} {
  const read = (tag: string) => {
    const row = readDecimal(parsed.dataSet, tag, 0);
    const column = readDecimal(parsed.dataSet, tag, 1);
    return row && column && row > 0 && column > 0 ? { rowMm: row, columnMm: column } : undefined;
  };
  const pixel = read(Tag.PixelSpacing);
  if (pixel)
    return {
      spacing: { ...pixel, source: 'PixelSpacing' },
      calibration: 'calibrated: Pixel Spacing (patient plane)',
    };
  const imager = read(Tag.ImagerPixelSpacing);
  if (imager)
    return {
      spacing: { ...imager, source: 'ImagerPixelSpacing' },
      calibration:
        'detector plane: Imager Pixel Spacing, not corrected for geometric magnification',
    };
  const nominal = read(Tag.NominalScannedPixelSpacing);
  if (nominal)
    return {
      spacing: { ...nominal, source: 'NominalScannedPixelSpacing' },
      calibration: 'nominal: Nominal Scanned Pixel Spacing of a film digitiser',
    };
  return { calibration: 'uncalibrated: no pixel spacing; distances only in pixels' };
}

export interface InstanceDescription {
  file: string;
  /** `name`: the whole decoded Person Name, groups joined by "="; `nameGroups`: the groups apart. */
  patient: { name: string; nameGroups: PersonNameGroups; id: string; birthDate: string };
  study: { instanceUid: string; date: string; description: string };
  series: { instanceUid: string; modality: string };
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntax: { uid: string; name: string };
  /** Specific Character Set (0008,0005) as written; empty for the default repertoire. */
  characterSet: string;
  hasFileMeta: boolean;
  image?: Omit<ImagePixelModule, 'photometric'> & { photometric: string };
  spacing?: SpacingDescription;
  calibration?: CalibrationStatus;
  domain?: string;
  domainReason?: string;
  laterality?: string;
  bodyPart?: string;
}

/** Identity, patient, study and encoding: what every readable file has, image or not. */
export function describeHeader(parsed: ParsedDicom): InstanceDescription {
  const ds = parsed.dataSet;
  return {
    file: parsed.fileName,
    patient: {
      name: readString(ds, Tag.PatientName),
      nameGroups: readPersonName(ds, Tag.PatientName),
      id: readString(ds, Tag.PatientID),
      birthDate: readString(ds, Tag.PatientBirthDate),
    },
    study: {
      instanceUid: readString(ds, Tag.StudyInstanceUID),
      date: readString(ds, Tag.StudyDate),
      description: readString(ds, Tag.StudyDescription),
    },
    series: {
      instanceUid: readString(ds, Tag.SeriesInstanceUID),
      modality: readString(ds, Tag.Modality),
    },
    sopClassUid: readString(ds, Tag.SOPClassUID),
    sopInstanceUid: readString(ds, Tag.SOPInstanceUID),
    transferSyntax: {
      uid: parsed.transferSyntaxUid,
      name: transferSyntaxName(parsed.transferSyntaxUid),
    },
    characterSet: characterSetOf(ds).terms.join('\\'),
    hasFileMeta: parsed.hasFileMeta,
  };
}

export function describeInstance(parsed: ParsedDicom, instanceId = ''): InstanceDescription {
  const base = describeHeader(parsed);
  if (!parsed.dataSet.elements[Tag.PixelData]) return base;
  const summary = summarizeInstance(parsed, instanceId);
  const { spacing, calibration } = describeSpacing(parsed);
  return {
    ...base,
    image: readImagePixelModule(parsed),
    spacing,
    calibration,
    domain: summary.domain,
    domainReason: summary.domainReason,
    laterality: summary.laterality,
    bodyPart: summary.bodyPart,
  };
}
