/**
 * Typed reads of the attributes the workstation uses, by keyword. Values are trimmed of
 * DICOM padding (space for strings, NUL for UIDs; PS3.5 6.2). Text VRs (names,
 * descriptions) are decoded with the data set's Specific Character Set.
 */
import { readText, textVrOf } from './charset/dataset-text.ts';
import { isMultiValuedVr } from './charset/decode-text.ts';
import type { DataSet } from './parse.ts';

export const Tag = {
  SOPClassUID: 'x00080016',
  SOPInstanceUID: 'x00080018',
  StudyDate: 'x00080020',
  Modality: 'x00080060',
  StudyDescription: 'x00081030',
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  PatientBirthDate: 'x00100030',
  BodyPartExamined: 'x00180015',
  ImagerPixelSpacing: 'x00181164',
  NominalScannedPixelSpacing: 'x00182010',
  StudyInstanceUID: 'x0020000d',
  SeriesInstanceUID: 'x0020000e',
  Laterality: 'x00200060',
  ImageLaterality: 'x00200062',
  SamplesPerPixel: 'x00280002',
  PhotometricInterpretation: 'x00280004',
  PlanarConfiguration: 'x00280006',
  NumberOfFrames: 'x00280008',
  Rows: 'x00280010',
  Columns: 'x00280011',
  PixelSpacing: 'x00280030',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  HighBit: 'x00280102',
  PixelRepresentation: 'x00280103',
  WindowCenter: 'x00281050',
  WindowWidth: 'x00281051',
  RescaleIntercept: 'x00281052',
  RescaleSlope: 'x00281053',
  PixelData: 'x7fe00010',
  AnatomicRegionSequence: 'x00082218',
  CodeMeaning: 'x00080104',
} as const;

export function readString(dataSet: DataSet, tag: string, index?: number): string {
  try {
    const element = dataSet.elements[tag];
    const vr = element && textVrOf(tag, element);
    if (vr) {
      const text = readText(dataSet, tag) ?? '';
      const value =
        index === undefined
          ? text
          : isMultiValuedVr(vr)
            ? text.split('\\')[index]
            : index === 0
              ? text
              : '';
      return (value ?? '').replace(/\0/g, '').trim();
    }
    return (dataSet.string(tag, index) ?? '').replace(/\0/g, '').trim();
  } catch {
    return '';
  }
}

export function readUint16(dataSet: DataSet, tag: string): number | undefined {
  try {
    return dataSet.uint16(tag);
  } catch {
    return undefined;
  }
}

/** Decimal string (DS) value at index, or undefined when absent or not a number. */
export function readDecimal(dataSet: DataSet, tag: string, index = 0): number | undefined {
  const text = readString(dataSet, tag, index);
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Integer string (IS) value; undefined when absent or not an integer. */
export function readIntegerString(dataSet: DataSet, tag: string): number | undefined {
  const text = readString(dataSet, tag);
  if (!/^[+-]?\d{1,11}$/.test(text)) return undefined;
  return Number(text);
}
