/**
 * API operations for the worklist (where each exam stands, unread exams) and for the
 * measurements a reader saves with a study (spread into the contract).
 */
import { z } from 'zod';
import { domainSchema } from '../vocabulary/domains.ts';
import { dueStatusSchema, examStatusSchema } from '../vocabulary/exam-status.ts';
import { instanceIdSchema } from '../vocabulary/ids.ts';
import { eyeSchema } from '../vocabulary/visit.ts';
import {
  annotationKindSchema,
  annotationSchema,
  imagePointSchema,
} from '../measurements/geometry/annotation-kinds.ts';

export {
  ANNOTATION_KINDS,
  POINTS_PER_KIND,
  annotationSchema,
  measuredValueSchema,
  type Annotation,
  type AnnotationKind,
} from '../measurements/geometry/annotation-kinds.ts';

const instanceId = instanceIdSchema;
const point = imagePointSchema;
const annotationKind = annotationKindSchema;

export const worklistOperations = {
  'worklist.exams': {
    access: 'signed-in',
    summary:
      "Every exam in the library (one per visit: one infant, one date, one domain; both eyes for ROP), in triage order (treatment warranted, overdue, due today first), with its status (new, analysed, in review, signed, sent), whether the signed-in user has opened it, and the infant's gestational age at birth and postmenstrual age at the exam where recorded.",
    args: z.strictObject({}),
    result: z.object({
      exams: z.array(
        z.object({
          reportId: z.string(),
          patientId: z.string(),
          studyInstanceUid: z.string(),
          domain: domainSchema,
          instanceIds: z.array(z.string()),
          status: examStatusSchema,
          statusDetail: z.string().optional(),
          unread: z.boolean(),
          gaAtBirth: z.string().optional(),
          pmaDays: z.number().optional(),
          pma: z.string().optional(),
          eyes: z.array(eyeSchema),
          treatmentWarranted: z.boolean(),
          nextDue: z.string().optional(),
          dueStatus: dueStatusSchema,
          dueReason: z.string().optional(),
          triage: z.number().int(),
        }),
      ),
    }),
  },
  'worklist.markViewed': {
    access: 'signed-in',
    summary:
      'Record that the signed-in user opened the exam of this image (it is no longer unread for them).',
    args: z.strictObject({ instanceId }),
    result: z.object({ reportId: z.string() }),
  },
  'annotations.list': {
    access: 'signed-in',
    summary: 'The measurements saved with an image.',
    args: z.strictObject({ instanceId }),
    result: z.object({ annotations: z.array(annotationSchema) }),
  },
  'annotations.save': {
    access: 'signed-in',
    summary:
      "Save a measurement with an image (its kind and points in image pixels); the workstation computes its numbers from the points and the image's own pixel spacing, and renders the reading from them; audited.",
    args: z.strictObject({
      instanceId,
      kind: annotationKind,
      points: z.array(point).min(2).max(4),
      /** Ignored: a page from before the workstation measured sent its reading; it is never stored. */
      label: z.string().max(200).optional(),
    }),
    result: annotationSchema,
  },
  'annotations.delete': {
    access: 'signed-in',
    summary: 'Delete a saved measurement; audited.',
    args: z.strictObject({ id: z.string().uuid() }),
    result: z.object({}),
  },
} as const;
