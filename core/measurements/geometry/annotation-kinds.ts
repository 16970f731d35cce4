/**
 * The measurements a reader saves with an image, defined once: each kind, how many points
 * (clicks) it takes, the numbers the workstation computes from them (measure.ts) and the
 * saved measurement as the store, the contract and the page carry it. Pure: the page imports it.
 */
import { z } from 'zod';
import { CALIBRATIONS, MEASUREMENT_UNITS, QUANTITIES } from './units.ts';

export const ANNOTATION_KINDS = ['length', 'angle', 'ctr', 'disc-ruler', 'zone-i'] as const;
export const annotationKindSchema = z.enum(ANNOTATION_KINDS);
export type AnnotationKind = z.infer<typeof annotationKindSchema>;

export const POINTS_PER_KIND: Record<AnnotationKind, number> = {
  length: 2,
  angle: 3,
  ctr: 4,
  'disc-ruler': 2,
  'zone-i': 2,
};

/** A point in image pixels (column, row from the top left). */
export const imagePointSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

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
  kind: annotationKindSchema,
  points: z.array(imagePointSchema),
  values: z.array(measuredValueSchema),
  /** The reading, rendered from `values` (format.ts). */
  label: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Annotation = z.infer<typeof annotationSchema>;
