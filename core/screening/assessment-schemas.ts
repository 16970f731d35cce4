/**
 * The shapes of what the ROP rules compute (core/screening) as the API carries them: the
 * assessment of one visit report, and an infant's screening status (eligibility, due dates,
 * G-ROP). Every conclusion carries the rule that produced it and its source, which the page
 * shows beside it.
 */
import { z } from 'zod';
import { dueStatusSchema } from '../vocabulary/exam-status.ts';
import { eyeSchema } from '../vocabulary/visit.ts';

const ruled = { rule: z.string(), source: z.string() };

export const assessmentSchema = z.object({
  eyes: z.array(
    z.object({
      eye: eyeSchema,
      /** "zone II stage 2, pre-plus", or why it cannot be said yet. */
      findings: z.string(),
      etrop: z.object({
        category: z.string(),
        treatmentWarranted: z.boolean(),
        ...ruled,
      }),
      followUp: z.object({ label: z.string(), ...ruled }),
      problems: z.array(z.string()),
    }),
  ),
  /** The more urgent eye's interval (or the reader's own choice, said so). */
  followUp: z.object({
    label: z.string(),
    treat: z.boolean(),
    discharge: z.boolean(),
    byReader: z.boolean(),
    ...ruled,
  }),
  /** The date the next exam is due (YYYY-MM-DD), when an interval and the exam date are known. */
  nextExamDate: z.string().optional(),
  /** "OD zone II stage 2, pre-plus; OS zone II stage 1; next exam in 1–2 weeks". */
  summary: z.string(),
  treatmentWarranted: z.boolean(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

const criterion = z.object({
  name: z.string(),
  status: z.enum(['met', 'not met', 'not assessable']),
  detail: z.string(),
});

export const screeningSchema = z.object({
  eligibility: z.object({
    status: z.enum(['screen', 'not indicated', 'unknown']),
    reason: z.string(),
    source: z.string(),
  }),
  firstExamDue: z.string().optional(),
  /** From the latest signed visit's interval, else the first exam's due date. */
  nextDue: z.string().optional(),
  nextDueReason: z.string(),
  dueStatus: dueStatusSchema,
  gRop: z
    .object({
      status: z.enum(['screen', 'not indicated', 'not assessable']),
      criteria: z.array(criterion),
      source: z.string(),
    })
    .optional(),
});
export type Screening = z.infer<typeof screeningSchema>;
