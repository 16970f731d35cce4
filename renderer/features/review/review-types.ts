/** The report draft as the page receives it, and one field of its form. */
import type { OperationResult } from '../../../core/api/contract.ts';

export type Draft = OperationResult<'review.open'>;
export type FieldSpec = Draft['form'][number];
export type FieldEntry = Draft['content']['fields'][number];
export type FieldValue = string | number | null;
