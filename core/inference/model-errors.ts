/** Why a model package was not accepted, or a model not run on an image: each has its own code. */
import { CodedError } from '../base/errors.ts';
import type { ModelErrorCode } from './portable/inference-errors.ts';

/** The codes are listed, with what each means, in portable/inference-errors.ts. */
export type { ModelErrorCode };

export class ModelError extends CodedError<ModelErrorCode> {}
