/** Why a model package was not accepted: each check has its own code. */
export type ModelErrorCode =
  | 'MODEL_SCHEMA_INVALID'
  | 'MODEL_HASH_MISMATCH'
  | 'MODEL_CORRUPT'
  | 'MODEL_SELF_TEST_FAILED'
  | 'MODEL_ALREADY_INSTALLED'
  | 'MODEL_PACKAGE_UNREADABLE';

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly file?: string;

  constructor(code: ModelErrorCode, message: string, file?: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
    this.file = file;
  }
}
