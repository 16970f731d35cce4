/**
 * Everything the import knows about one photo before it becomes DICOM: who, which eye,
 * when, which camera, and what the photo shows, each with where it came from. Sources,
 * strongest first:
 *   the import form (the table the user checked) → the sidecar CSV → EXIF → the file name
 *   (configurable tokens, core/vocabulary/eye-names.ts) → the pixels (domain only).
 * The domain follows the pixels unless the form or the sidecar names it: a grey image
 * without a fundus field is a chest film whatever eye a name or a form applied to a whole
 * selection, so it never reaches a retina model.
 */
import sharp, { type Metadata } from 'sharp';
import { guessPhotoDomain, type PhotoDomainGuess } from '../imaging/photo-domain.ts';
import {
  DEFAULT_EYE_NAME_PATTERNS,
  eyeFromFileName,
  eyeFromText,
  type EyeNamePatterns,
} from '../vocabulary/eye-names.ts';
import { DicomError } from '../dicom/errors.ts';
import { readExif, type ExifFacts } from './exif.ts';
import {
  photoFormat,
  type PhotoDomain,
  type PhotoFormat,
  type PhotoMetadata,
} from './photo-export.ts';

export interface PhotoHints {
  /** From the import form or table: what the user confirmed, per file. */
  given?: Partial<PhotoMetadata>;
  sidecar?: PhotoMetadata;
  patterns?: EyeNamePatterns;
}

export type ResolvedPhotoMetadata = Partial<PhotoMetadata> & { domain: PhotoDomain };

export interface PhotoFacts {
  fileName: string;
  format: PhotoFormat;
  /** As stored, before any EXIF orientation is applied. */
  width: number;
  height: number;
  /** EXIF orientation (1 = as stored). */
  orientation: number;
  /** Bits per sample of the decoded image (8 for nearly every camera export). */
  bitsPerSample: number;
  metadata: ResolvedPhotoMetadata;
  /** Where each resolved field came from, in words ("the sidecar CSV", "the file name (_OD_)"). */
  sources: Partial<Record<'patient' | 'eye' | 'date' | 'domain' | 'device', string>>;
  pixels: PhotoDomainGuess;
  exif: ExifFacts;
  /** Things the user should know: a hint that was overruled, a value that was not used. */
  notes: string[];
}

/** libvips band formats (sharp's `depth`) in bits. */
const BITS_PER_SAMPLE: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16 };

const FORM = 'the import form';
const SIDECAR = 'the sidecar CSV';

/** A small RGB copy for the domain test; grey images are spread to three equal channels. */
async function thumbnail(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .resize(128, 128, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const pixels = info.width * info.height;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++)
    for (let c = 0; c < 3; c++)
      rgb[p * 3 + c] = data[p * info.channels + (info.channels >= 3 ? c : 0)]!;
  return { width: info.width, height: info.height, rgb };
}

function pick<T>(candidates: [T | undefined, string][]): { value: T; source: string } | undefined {
  for (const [value, source] of candidates)
    if (value !== undefined && value !== '') return { value, source };
  return undefined;
}

export async function describePhoto(
  bytes: Uint8Array,
  fileName: string,
  hints: PhotoHints = {},
): Promise<PhotoFacts> {
  const format = photoFormat(bytes);
  if (!format) throw new DicomError('DICOM_NOT_DICOM', 'not a JPEG, PNG or TIFF photo', fileName);
  let info: Metadata;
  let pixels: PhotoDomainGuess;
  try {
    info = await sharp(bytes).metadata();
    pixels = guessPhotoDomain(await thumbnail(bytes));
  } catch (error) {
    throw new DicomError(
      'DICOM_CODEC_FAILED',
      `photo cannot be read: ${(error as Error).message}`,
      fileName,
    );
  }
  const exif = readExif(info.exif);
  const { given = {}, sidecar } = hints;
  const notes: string[] = [];
  const sources: PhotoFacts['sources'] = {};
  const metadata: ResolvedPhotoMetadata = { domain: 'retina' };

  const patient = pick([
    [given.patientId, FORM],
    [sidecar?.patientId, SIDECAR],
  ]);
  if (patient) {
    const from = patient.source === FORM ? given : sidecar!;
    Object.assign(metadata, {
      patientId: patient.value,
      patientName: from.patientName,
      birthDate: from.birthDate,
      gestationalAgeWeeks: from.gestationalAgeWeeks,
      site: from.site,
    });
    sources.patient = patient.source;
  }

  const date = pick([
    [given.examDate, FORM],
    [sidecar?.examDate, SIDECAR],
    [exif.date, 'EXIF'],
  ]);
  if (date) {
    metadata.examDate = date.value;
    const time =
      date.source === FORM
        ? given.examTime
        : date.source === SIDECAR
          ? sidecar?.examTime
          : exif.time;
    // EXIF time still dates a photo whose day came from elsewhere, when the days agree.
    metadata.examTime = time ?? (exif.date === date.value ? exif.time : undefined);
    sources.date = date.source;
  }

  const named = eyeFromFileName(fileName, hints.patterns ?? DEFAULT_EYE_NAME_PATTERNS);
  const exifEye = exif.text.map(eyeFromText).find(Boolean);
  const eye = pick([
    [given.eye, FORM],
    [sidecar?.eye, SIDECAR],
    [exifEye, 'EXIF'],
    [named?.eye, `the file name (${named?.token})`],
  ]);

  const device = pick([
    [given.device, FORM],
    [sidecar?.device, SIDECAR],
    [[exif.make, exif.model].filter(Boolean).join(' ') || undefined, 'EXIF'],
  ]);
  if (device) {
    metadata.device = device.value;
    sources.device = device.source;
  }

  const stated = pick([
    [given.domain, FORM],
    [sidecar?.domain, SIDECAR],
  ]);
  if (stated) {
    metadata.domain = stated.value;
    sources.domain = stated.source;
    if (stated.value !== pixels.domain && (pixels.domain === 'chest' || stated.value === 'chest'))
      notes.push(
        `${stated.source} says ${stated.value}; the pixels look ${pixels.domain}: ${pixels.reason}`,
      );
  } else if (pixels.domain === 'chest') {
    metadata.domain = 'chest';
    sources.domain = `the pixels: ${pixels.reason}`;
  } else if (pixels.fundusField || eye) {
    metadata.domain = 'retina';
    sources.domain = pixels.fundusField
      ? `the pixels: ${pixels.reason}`
      : `a fundus export with an eye from ${eye!.source}`;
  } else {
    metadata.domain = 'other';
    sources.domain = `the pixels: ${pixels.reason}`;
  }

  if (eye && metadata.domain === 'retina') {
    metadata.eye = eye.value;
    sources.eye = eye.source;
  } else if (eye && eye.source !== `the file name (${named?.token})`)
    notes.push(`eye ${eye.value} from ${eye.source} not used: this is a ${metadata.domain} image`);

  return {
    fileName,
    format,
    width: info.width ?? 0,
    height: info.height ?? 0,
    orientation: exif.orientation ?? info.orientation ?? 1,
    bitsPerSample: BITS_PER_SAMPLE[info.depth ?? 'uchar'] ?? 32,
    metadata,
    sources,
    pixels,
    exif,
    notes,
  };
}
