/**
 * Why a cardiothoracic ratio was not given. Each is an answer about the film, not a fault:
 * the workstation shows the message and the reader measures by hand.
 */
import { CodedError } from '../../base/errors.ts';

export type CtrErrorCode =
  /** No luma was given, so the heart cannot be seen (only the lung mask). */
  | 'CTR_NO_FILM'
  /** The lung model did not find two plausible lung fields. */
  | 'CTR_LUNGS_NOT_FOUND'
  /** The lung fields are not those of a frontal film (side by side, similar height). */
  | 'CTR_NOT_FRONTAL'
  /** Too few rows show a heart border against aerated lung. */
  | 'CTR_HEART_NOT_FOUND'
  /** A traced heart border crosses aerated lung: it is not the heart. */
  | 'CTR_BORDER_IN_AERATED_LUNG'
  /** Borders found but inconsistent between rows, or the ratio out of the plausible range. */
  | 'CTR_LOW_CONFIDENCE';

export class MeasurementError extends CodedError<CtrErrorCode> {}
