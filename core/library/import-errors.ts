/** Import problems that are not about a DICOM file's content (archives, photo metadata). */
import { CodedError } from '../base/errors.ts';

export type ImportErrorCode =
  | 'IMPORT_ARCHIVE_TOO_LARGE'
  | 'IMPORT_ARCHIVE_UNREADABLE'
  | 'IMPORT_PHOTO_METADATA_MISSING'
  | 'IMPORT_PHOTO_UNSUPPORTED'
  | 'IMPORT_SIDECAR_INVALID';

export class ImportError extends CodedError<ImportErrorCode> {}
