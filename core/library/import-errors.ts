/** Import problems that are not about a DICOM file's content (archives, photo metadata). */
export type ImportErrorCode = 'IMPORT_ARCHIVE_TOO_LARGE' | 'IMPORT_ARCHIVE_UNREADABLE' | 'IMPORT_PHOTO_METADATA_MISSING' | 'IMPORT_SIDECAR_INVALID';

export class ImportError extends Error {
  readonly code: ImportErrorCode;
  readonly file?: string;

  constructor(code: ImportErrorCode, message: string, file?: string) {
    super(message);
    this.name = 'ImportError';
    this.code = code;
    this.file = file;
  }
}
