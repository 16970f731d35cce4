/** Why a model package was not accepted: each check has its own code. */
import { CodedError } from '../api/errors.ts';

export type ModelErrorCode =
  | 'MODEL_SCHEMA_INVALID'
  | 'MODEL_HASH_MISMATCH'
  | 'MODEL_CORRUPT'
  | 'MODEL_SELF_TEST_FAILED'
  | 'MODEL_ALREADY_INSTALLED'
  | 'MODEL_PACKAGE_UNREADABLE';

export class ModelError extends CodedError<ModelErrorCode> {}
