/** Why a model package was not accepted, or a model not run on an image: each has its own code. */
import { CodedError } from '../base/errors.ts';

export type ModelErrorCode =
  | 'MODEL_SCHEMA_INVALID'
  | 'MODEL_HASH_MISMATCH'
  | 'MODEL_CORRUPT'
  | 'MODEL_SELF_TEST_FAILED'
  | 'MODEL_ALREADY_INSTALLED'
  | 'MODEL_PACKAGE_UNREADABLE'
  /** A model asked for by name is for another domain than the image (a retina model on a chest film). */
  | 'MODEL_DOMAIN_MISMATCH'
  /** The image or patient is outside a scope whose package says `outsideUse: 'refuse'`. */
  | 'MODEL_OUTSIDE_INTENDED_USE'
  /** The package's engines disagreed beyond its tolerance at install: it is not activated. */
  | 'MODEL_ENGINES_DISAGREE'
  /** The model id and version named are not an installed, verified package. */
  | 'MODEL_NOT_INSTALLED';

export class ModelError extends CodedError<ModelErrorCode> {}
