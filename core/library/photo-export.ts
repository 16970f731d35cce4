/**
 * Plain JPEG/PNG/TIFF exports (RetCam-type fundus cameras often write these instead of
 * DICOM; a chest film may arrive the same way). They carry no patient, eye or modality, so
 * those come from a sidecar CSV, the import form, EXIF or the file name (photo-facts.ts);
 * at import every photo becomes a DICOM object (photo-dicom.ts). A photo nobody can
 * attribute to a patient (and, for a fundus, an eye) is refused: it must not reach a
 * grading queue.
 */
import sharp from 'sharp';
import type { DecodedFrame } from '../base/schemas.ts';
import { DicomError } from '../dicom/errors.ts';
import type { Eye } from '../vocabulary/visit.ts';

export { parseEye } from '../vocabulary/eye-names.ts';
import type { ImagingDomain } from '../vocabulary/domains.ts';

/** What a photo shows, as the workstation's domains name it (core/dicom/classify.ts). */
export type PhotoDomain = ImagingDomain;

export interface PhotoMetadata {
  patientId: string;
  /** DICOM PN form (Family^Given) or plain words. */
  patientName?: string;
  birthDate?: string;
  /** YYYYMMDD: with the patient id it makes the visit the photo belongs to. */
  examDate?: string;
  /** HHMMSS, when EXIF or the sidecar gives it. */
  examTime?: string;
  /** The eye of a fundus photo; a chest film has none. */
  eye?: Eye;
  /** What the photo shows; when absent its pixels decide (core/imaging/photo-domain.ts). */
  domain?: PhotoDomain;
  /** The camera ("Make Model"), from the sidecar or EXIF. */
  device?: string;
  /** Gestational age at birth in weeks (27+2 is 27 + 2/7). */
  gestationalAgeWeeks?: number;
  site?: string;
}

export type PhotoFormat = 'jpeg' | 'png' | 'tiff';

/** "DICM" after the 128-byte preamble: a Part 10 file, whatever its preamble holds (PS3.10 7.1). */
const isPart10 = (b: Uint8Array) =>
  b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

export function photoFormat(bytes: Uint8Array): PhotoFormat | undefined {
  // A preamble may be a TIFF header, so that one file is both (a "dual personality" file).
  if (isPart10(bytes)) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  // TIFF: "II*\0" (little-endian) or "MM\0*" (big-endian), TIFF 6.0 section 2.
  if (bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00)
    return 'tiff';
  if (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a)
    return 'tiff';
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
