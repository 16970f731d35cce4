/**
 * DICOM errors: a stable code for logs and tests, a human message naming the tag or
 * offset at fault (as dicomParser does), and the file concerned.
 */
import { CodedError } from '../base/errors.ts';

export type DicomErrorCode =
  | 'DICOM_NOT_DICOM'
  | 'DICOM_MISSING_META'
  | 'DICOM_MISSING_TRANSFER_SYNTAX'
  | 'DICOM_PARSE_FAILED'
  | 'DICOM_TRUNCATED'
  | 'DICOM_NO_PIXEL_DATA'
  | 'DICOM_MISSING_ATTRIBUTE'
  | 'DICOM_INVALID_ATTRIBUTE'
  | 'DICOM_TRUNCATED_PIXEL_DATA'
  | 'DICOM_FRAME_OUT_OF_RANGE'
  | 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX'
  | 'DICOM_UNSUPPORTED_PHOTOMETRIC'
  | 'DICOM_CODEC_FAILED'
  | 'DICOM_NOT_AN_IMAGE';

export class DicomError extends CodedError<DicomErrorCode> {}

/** Thousands separators make byte counts readable in messages ("1,204 of 524,288 bytes"). */
export function formatBytes(count: number): string {
  return count.toLocaleString('en-US');
}
