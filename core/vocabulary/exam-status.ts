/**
 * Where an exam stands in the reading loop, defined once for the worklist, the contract and
 * the page: new → analysed (a model ran) → in review (a person changed a field, or an
 * amendment is open) → signed → sent (its signed results were exported after the last
 * signature). The order is the order of the loop (the page sorts by it).
 */
import { z } from 'zod';

export const EXAM_STATUSES = ['new', 'analysed', 'in review', 'signed', 'sent'] as const;
export const examStatusSchema = z.enum(EXAM_STATUSES);
export type ExamStatus = z.infer<typeof examStatusSchema>;

/** When the infant's next ROP exam is due, as the worklist triages it (`none`: not screened). */
export const DUE_STATUSES = ['overdue', 'due today', 'due later', 'none'] as const;
export const dueStatusSchema = z.enum(DUE_STATUSES);
export type DueStatus = z.infer<typeof dueStatusSchema>;
