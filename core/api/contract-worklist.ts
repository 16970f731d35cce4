/**
 * API operations for the worklist (where each exam stands, unread exams) and for the
 * measurements a reader saves with a study (spread into the contract).
 */
import { z } from 'zod';
import { CALIBRATIONS, MEASUREMENT_UNITS, QUANTITIES } from '../measurements/geometry/units.ts';

const instanceId = z.string().regex(/^[0-9a-f]{64}$/, 'an instance id');
const point = z.object({ x: z.number().finite(), y: z.number().finite() });
/** Measurements a reader saves with an image, and how many points (clicks) each takes. */
export const ANNOTATION_KINDS = ['length', 'angle', 'ctr', 'disc-ruler', 'zone-i'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];
export const POINTS_PER_KIND: Record<AnnotationKind, number> = {
  length: 2,
  angle: 3,
  ctr: 4,
  'disc-ruler': 2,
  'zone-i': 2,
};
const annotationKind = z.enum(ANNOTATION_KINDS);
/** One number of a measurement, computed by the workstation from the points and the image's spacing. */
export const measuredValueSchema = z.object({
  quantity: z.enum(QUANTITIES),
  value: z.number(),
  unit: z.enum(MEASUREMENT_UNITS),
  calibration: z.enum(CALIBRATIONS),
});
export const annotationSchema = z.object({
  id: z.string(),
  instanceId: z.string(),
  kind: annotationKind,
  points: z.array(point),
  values: z.array(measuredValueSchema),
  /** The reading, rendered from `values` (core/measurements/geometry/format.ts). */
  label: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

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
          domain: z.enum(['retina', 'chest', 'other']),
          instanceIds: z.array(z.string()),
          status: z.enum(['new', 'analysed', 'in review', 'signed', 'sent']),
          statusDetail: z.string().optional(),
          unread: z.boolean(),
          gaAtBirth: z.string().optional(),
          pmaDays: z.number().optional(),
          pma: z.string().optional(),
          eyes: z.array(z.enum(['OD', 'OS'])),
          treatmentWarranted: z.boolean(),
          nextDue: z.string().optional(),
          dueStatus: z.enum(['overdue', 'due today', 'due later', 'none']),
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
export type Annotation = z.infer<typeof annotationSchema>;
