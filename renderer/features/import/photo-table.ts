/**
 * The import table's rows: one per photo export, with what the workstation found (sidecar,
 * EXIF, file name, pixels) and what the user changed. The details typed once above the
 * table fill only what a row lacks, so a sidecar's patient and eye are never overwritten by
 * a value meant for the rest of the selection. A row is ready when it names a patient and a
 * date, and an eye if it is a fundus photo.
 */
import type {
  ImagingDomain,
  PhotoDescription,
  PhotoMetadataInput,
} from '../../../core/api/schemas.ts';
import { eyeFromFileName, type EyeNamePatterns } from '../../../core/vocabulary/eye-names.ts';
import type { Eye } from '../../../core/vocabulary/visit.ts';

/** File names the table treats as photo exports (the import sniffs the bytes as well). */
export const PHOTO_FILE = /\.(jpe?g|png|tiff?)$/i;
export const SIDECAR_FILE = /\.csv$/i;

export interface PhotoRow {
  fileName: string;
  found: PhotoDescription['metadata'];
  sources: Record<string, string>;
  notes: string[];
  pixels: string;
  /** What the user set in this row; wins over what was found. */
  own: { domain?: ImagingDomain; eye?: Eye; patientId?: string; examDate?: string };
}

/** Typed once for the selection: used where a row has no value of its own or found. */
export interface CommonDetails {
  patientId: string;
  patientName: string;
  /** YYYY-MM-DD, as the date input gives it. */
  examDate: string;
  birthDate: string;
  gaWeeks: string;
  gaDays: string;
  eye?: Eye;
}

export const EMPTY_DETAILS: CommonDetails = {
  patientId: '',
  patientName: '',
  examDate: '',
  birthDate: '',
  gaWeeks: '',
  gaDays: '',
};

export function rowsFrom(descriptions: PhotoDescription[]): PhotoRow[] {
  return descriptions.map((d) => ({
    fileName: d.fileName,
    found: d.metadata,
    sources: d.sources,
    notes: d.notes,
    pixels: d.pixels.reason,
    own: {},
  }));
}

const FILE_NAME_SOURCE = /^the file name/;

/**
 * The eye the (edited) file-name patterns give, for rows whose eye came from a file name or
 * from nowhere; an eye from the sidecar or EXIF stays.
 */
export function applyNamePatterns(rows: PhotoRow[], patterns: EyeNamePatterns): PhotoRow[] {
  return rows.map((row) => {
    const source = row.sources.eye;
    if (source && !FILE_NAME_SOURCE.test(source)) return row;
    if (row.found.domain === 'chest') return row; // a chest film has no eye, whatever its name
    const named = eyeFromFileName(row.fileName, patterns);
    const sources = { ...row.sources };
    if (named) sources.eye = `the file name (${named.token})`;
    else delete sources.eye;
    // A colour photo the pixels could not place is a fundus export once its name gives an eye.
    const stated = /sidecar/.test(row.sources.domain ?? '');
    const domain = named && row.found.domain === 'other' && !stated ? 'retina' : row.found.domain;
    return { ...row, found: { ...row.found, eye: named?.eye, domain }, sources };
  });
}

const isoToDicom = (date: string) => date.replace(/-/g, '');
export const dicomToIso = (date: string | undefined) =>
  date && /^\d{8}$/.test(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : '';

export function effectiveDomain(row: PhotoRow): ImagingDomain {
  return row.own.domain ?? row.found.domain;
}

export function effectiveEye(row: PhotoRow, common: CommonDetails): Eye | undefined {
  if (effectiveDomain(row) !== 'retina') return undefined;
  return row.own.eye ?? row.found.eye ?? common.eye;
}

/** The metadata sent with the photo, or what it still lacks. */
export function rowMetadata(
  row: PhotoRow,
  common: CommonDetails,
): { metadata?: PhotoMetadataInput; lacks: string[] } {
  const patientId = (row.own.patientId ?? row.found.patientId ?? common.patientId).trim();
  const examDate =
    (row.own.examDate && isoToDicom(row.own.examDate)) ||
    row.found.examDate ||
    isoToDicom(common.examDate);
  const domain = effectiveDomain(row);
  const eye = effectiveEye(row, common);
  const lacks = [
    ...(patientId ? [] : ['patient ID']),
    ...(examDate ? [] : ['exam date']),
    ...(domain === 'retina' && !eye ? ['eye'] : []),
  ];
  if (lacks.length) return { lacks };
  const fromRow = Boolean(row.found.patientId && !row.own.patientId);
  const ga = common.gaWeeks ? Number(common.gaWeeks) + Number(common.gaDays || 0) / 7 : undefined;
  const birth = fromRow ? row.found.birthDate : isoToDicom(common.birthDate) || undefined;
  const gaWeeks = fromRow ? row.found.gestationalAgeWeeks : ga;
  const name = fromRow ? row.found.patientName : common.patientName.trim() || undefined;
  const metadata: PhotoMetadataInput = {
    patientId,
    examDate,
    domain,
    ...(eye ? { eye } : {}),
    ...(name ? { patientName: name.slice(0, 64) } : {}),
    // Birth date and GA are kept with the patient (worklist GA and PMA) when both are given.
    ...(birth && gaWeeks !== undefined ? { birthDate: birth, gestationalAgeWeeks: gaWeeks } : {}),
    ...(row.found.examTime && examDate === row.found.examDate
      ? { examTime: row.found.examTime }
      : {}),
    ...(row.found.device ? { device: row.found.device.slice(0, 64) } : {}),
  };
  return { metadata, lacks };
}

const PATTERN_KEY = 'neoscope.eyeNamePatterns';

/** The site's file-name patterns, kept in the page's storage between sessions. */
export function loadNamePatterns(fallback: EyeNamePatterns): EyeNamePatterns {
  try {
    const stored = JSON.parse(globalThis.localStorage?.getItem(PATTERN_KEY) ?? 'null');
    if (Array.isArray(stored?.OD) && Array.isArray(stored?.OS))
      return { OD: stored.OD.map(String), OS: stored.OS.map(String) };
  } catch {
    // Storage unavailable or unreadable: the defaults serve.
  }
  return fallback;
}

export function saveNamePatterns(patterns: EyeNamePatterns): void {
  try {
    globalThis.localStorage?.setItem(PATTERN_KEY, JSON.stringify(patterns));
  } catch {
    // Not kept: the next session starts from the defaults again.
  }
}
