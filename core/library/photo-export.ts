/**
 * Plain JPEG/PNG fundus exports (RetCam-type cameras often write these instead of DICOM).
 * They carry no patient or eye, so those come from a sidecar CSV beside the images or
 * from the import form. A photo without them is refused: an image nobody can attribute
 * to a patient and an eye must not reach a grading queue.
 */
import sharp, { type Metadata } from 'sharp';
import type { DecodedFrame, InstanceSummary } from '../api/schemas.ts';
import { DicomError } from '../dicom/errors.ts';

export interface PhotoMetadata {
  patientId: string;
  patientName?: string;
  birthDate?: string;
  examDate?: string;
  eye: 'OD' | 'OS';
  /** Gestational age at birth in weeks (27+2 is 27 + 2/7). */
  gestationalAgeWeeks?: number;
  site?: string;
}

export type PhotoFormat = 'jpeg' | 'png';

export function photoFormat(bytes: Uint8Array): PhotoFormat | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  return undefined;
}

/** "27", "27+2" (weeks+days, the neonatal convention) or "27.5" → weeks; undefined when blank or not a gestational age. */
export function parseGestationalAge(value: string): number | undefined {
  const m = /^\s*(\d{2})(?:\s*\+\s*([0-6]))?\s*$/.exec(value) ?? /^\s*(\d{2}\.\d+)\s*$/.exec(value);
  if (!m) return undefined;
  const weeks = Number(m[1]) + (m[2] ? Number(m[2]) / 7 : 0);
  return weeks >= 20 && weeks < 45 ? weeks : undefined;
}

/** Completed weeks and days of a gestational age given in weeks. */
export function weeksAndDays(weeks: number): { weeks: number; days: number } {
  const totalDays = Math.round(weeks * 7);
  return { weeks: Math.floor(totalDays / 7), days: totalDays % 7 };
}

/** "OD", "OS", "R", "L", "right", "left" → OD/OS (ophthalmic convention: oculus dexter/sinister). */
export function parseEye(value: string): 'OD' | 'OS' | undefined {
  const v = value.trim().toUpperCase();
  if (v === 'OD' || v === 'R' || v === 'RIGHT') return 'OD';
  if (v === 'OS' || v === 'L' || v === 'LEFT') return 'OS';
  return undefined;
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const baseName = (path: string) => path.split(/[\\/]/).pop()!.toLowerCase();

/**
 * Sidecar CSV: a header row naming at least `file`, `patient_id` and `eye`; optional
 * `patient_name`, `birth_date`, `exam_date` (YYYY-MM-DD or YYYYMMDD), `ga_weeks`, `site`.
 * Rows are keyed by the image's file name (without folders, case-insensitive).
 */
export function parseSidecarCsv(text: string): {
  rows: Map<string, PhotoMetadata>;
  problems: string[];
} {
  const [header, ...body] = csvRows(text.replace(/^\uFEFF/, ''));
  const rows = new Map<string, PhotoMetadata>();
  const problems: string[] = [];
  const columns = (header ?? []).map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const at = (name: string) => columns.indexOf(name);
  if (at('file') < 0 || at('patient_id') < 0 || at('eye') < 0) {
    return { rows, problems: ['sidecar CSV needs the columns file, patient_id and eye'] };
  }
  const date = (value: string | undefined) =>
    value && /^\d{4}-?\d{2}-?\d{2}$/.test(value) ? value.replace(/-/g, '') : undefined;
  body.forEach((cells, index) => {
    const get = (name: string) => (at(name) >= 0 ? cells[at(name)] || undefined : undefined);
    const file = get('file');
    const eye = parseEye(get('eye') ?? '');
    const patientId = get('patient_id');
    if (!file || !eye || !patientId) {
      problems.push(`row ${index + 2}: needs file, patient_id and an eye of OD/OS/R/L`);
      return;
    }
    const ga = parseGestationalAge(get('ga_weeks') ?? '');
    rows.set(baseName(file), {
      patientId,
      patientName: get('patient_name'),
      birthDate: date(get('birth_date')),
      examDate: date(get('exam_date')),
      eye,
      gestationalAgeWeeks: ga,
      site: get('site'),
    });
  });
  return { rows, problems };
}

export function lookupSidecar(
  rows: Map<string, PhotoMetadata>,
  fileName: string,
): PhotoMetadata | undefined {
  return rows.get(baseName(fileName));
}

export async function photoSummary(
  bytes: Uint8Array,
  fileName: string,
  instanceId: string,
  metadata: PhotoMetadata,
  source: string,
): Promise<InstanceSummary> {
  let info: Metadata;
  try {
    info = await sharp(bytes).metadata();
  } catch (error) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `photo cannot be read: ${(error as Error).message}`,
      fileName,
    );
  }
  const rotated = (info.orientation ?? 1) >= 5; // EXIF orientations 5–8 swap width and height
  return {
    instanceId,
    fileName,
    sopInstanceUid: '',
    sopClassUid: '',
    transferSyntaxUid: '',
    patientName: metadata.patientName ?? '',
    patientId: metadata.patientId,
    studyInstanceUid: '',
    studyDate: metadata.examDate ?? '',
    studyDescription: 'Fundus photograph (exported image)',
    seriesInstanceUid: '',
    modality: 'XC',
    bodyPart: 'EYE',
    laterality: metadata.eye === 'OD' ? 'R' : 'L',
    rows: (rotated ? info.width : info.height) ?? 0,
    columns: (rotated ? info.height : info.width) ?? 0,
    frames: 1,
    photometric: 'RGB',
    domain: 'retina',
    domainReason: `fundus photograph export (${info.format?.toUpperCase()}), eye ${metadata.eye} from ${source}`,
    warnings: [],
  };
}

export async function decodePhotoFrame(
  bytes: Uint8Array,
  instanceId: string,
  fileName: string,
): Promise<DecodedFrame> {
  try {
    // rotate() applies the EXIF orientation, so the fundus is shown as the camera meant it.
    const { data, info } = await sharp(bytes)
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      instanceId,
      frame: 0,
      rows: info.height,
      columns: info.width,
      samplesPerPixel: 3,
      photometric: 'RGB',
      bitsStored: 8,
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      minValue: 0,
      maxValue: 255,
      rescaleSlope: 1,
      rescaleIntercept: 0,
      windows: [],
      voiLuts: [],
      voiFunction: 'LINEAR',
      inverted: false,
    };
  } catch (error) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `photo cannot be decoded: ${(error as Error).message}`,
      fileName,
    );
  }
}
