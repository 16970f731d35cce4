/**
 * Errors are values with stable codes (logs keep the code, the UI shows the message).
 * Every transport carries an ApiErrorBody unchanged, so the renderer sees the same
 * error whether it talks to Electron over IPC or to the browser host over HTTP.
 */
export const API_ERROR_CODES = [
  'API_UNKNOWN_OPERATION',
  'API_INVALID_ARGUMENTS',
  'API_INVALID_RESULT',
  'API_MALFORMED_REQUEST',
  'API_UNAUTHORIZED',
  'API_FORBIDDEN_ORIGIN',
  'API_FORBIDDEN_HOST',
  'API_FORBIDDEN_SENDER',
  'API_PAYLOAD_TOO_LARGE',
  'API_INTERNAL',
  'AUTH_REQUIRED',
  'AUTH_FORBIDDEN',
  'NOT_FOUND',
] as const;

export type ApiErrorCode =
  (typeof API_ERROR_CODES)[number] | `DICOM_${string}` | `IMPORT_${string}`;

/**
 * A failure as it crosses a boundary (IPC, HTTP, a worker's messages): the stable code the
 * service raised, its message for the reader, and the file it concerns. A plain object, so
 * it survives structured cloning and JSON, where an Error's own fields would not.
 */
export interface ErrorBody<Code extends string = string> {
  code: Code;
  message: string;
  /** The file the error concerns, when there is one (shown as a link in the UI). */
  file?: string;
}

export interface ApiErrorBody extends ErrorBody<ApiErrorCode> {
  /** Field-level detail for schema failures: "path: problem". */
  details?: string[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly file?: string;
  readonly details?: string[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.file = body.file;
    this.details = body.details;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message };
    if (this.file !== undefined) body.file = this.file;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Anything thrown by a handler that carries a stable `code` keeps it; the rest is internal. */
export function toApiErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.toBody();
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message, file } = error as { code: unknown; message: unknown; file?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && typeof message === 'string') {
      const body: ApiErrorBody = { code: code as ApiErrorCode, message };
      if (typeof file === 'string') body.file = file;
      return body;
    }
  }
  return {
    code: 'API_INTERNAL',
    message: 'Internal error in the workstation service; see the log for details.',
  };
}

/** HTTP status that goes with an error code (the browser host's transport uses it). */
export function httpStatusFor(code: ApiErrorCode): number {
  switch (code) {
    case 'API_UNKNOWN_OPERATION':
    case 'NOT_FOUND':
      return 404;
    case 'API_INVALID_ARGUMENTS':
    case 'API_MALFORMED_REQUEST':
      return 400;
    case 'API_UNAUTHORIZED':
    case 'AUTH_REQUIRED':
      return 401;
    case 'AUTH_FORBIDDEN':
    case 'API_FORBIDDEN_ORIGIN':
    case 'API_FORBIDDEN_HOST':
    case 'API_FORBIDDEN_SENDER':
      return 403;
    case 'API_PAYLOAD_TOO_LARGE':
      return 413;
    case 'API_INTERNAL':
    case 'API_INVALID_RESULT':
      return 500;
    default:
      // Domain errors (a bad DICOM file, say) are well-formed answers about the input.
      return 422;
  }
}

/**
 * Base of the services' errors: a stable code for logs and tests, a human message, and
 * the file concerned. The dispatcher passes code, message and file to the UI unchanged.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly file?: string;

  constructor(code: Code, message: string, file?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.file = file;
  }
}
