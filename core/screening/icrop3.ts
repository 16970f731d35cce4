/**
 * The per-eye ROP findings of ICROP3 (Chiang et al., Ophthalmology 2021): each vocabulary is
 * defined once here, the grading form offers exactly these strings, and the types and
 * schemas derive from the lists. Every field is optional: a half-filled form must still be
 * evaluable, the rules answering "incomplete" where a missing entry matters.
 */
import { z } from 'zod';

/**
 * Zones from posterior to peripheral as listed on the form. Posterior zone II (ICROP3) is the
 * band of zone II two disc diameters peripheral to the zone I border.
 */
export const ZONES = ['I', 'posterior II', 'II', 'III'] as const;
/**
 * '0' is immature vascularisation without ROP; 4A/4B partial detachment (extrafoveal,
 * foveal); 5A/5B/5C total detachment (disc visible; disc not visible; with anterior segment
 * changes).
 */
export const STAGES = ['0', '1', '2', '3', '4A', '4B', '5A', '5B', '5C'] as const;
export const PLUS = ['none', 'pre-plus', 'plus'] as const;
/** The form's answer for A-ROP and notch. */
export const YES_NO = ['no', 'yes'] as const;
/** ICROP3 describes the course of ROP besides its acute findings (regression, reactivation). */
export const COURSE = [
  'acute',
  'regressing',
  'regressed',
  'persistent avascular retina',
  'reactivated',
] as const;
/** The stages whose extent is recorded in clock hours, and the form fields that hold them. */
export const CLOCK_HOUR_STAGES = [1, 2, 3] as const;
export const CLOCK_HOUR_FIELDS = {
  1: 'stage1_clock_hours',
  2: 'stage2_clock_hours',
  3: 'stage3_clock_hours',
} as const;

export const zoneSchema = z.enum(ZONES);
export const stageSchema = z.enum(STAGES);
export const plusSchema = z.enum(PLUS);
export const yesNoSchema = z.enum(YES_NO);
export const courseSchema = z.enum(COURSE);
/** Extent of one stage around the retina: whole clock hours, 0 to 12. */
export const clockHoursSchema = z.number().int().min(0).max(12);

export type Zone = z.infer<typeof zoneSchema>;
export type Stage = z.infer<typeof stageSchema>;
export type Plus = z.infer<typeof plusSchema>;
export type YesNo = z.infer<typeof yesNoSchema>;
export type Course = z.infer<typeof courseSchema>;
export type ClockHourStage = (typeof CLOCK_HOUR_STAGES)[number];

export interface EyeFindings {
  zone?: Zone;
  stage?: Stage;
  plus?: Plus;
  aRop?: boolean;
  notch?: boolean;
  course?: Course;
  stageClockHours?: { 1?: number; 2?: number; 3?: number };
}

export const eyeFindingsSchema = z.object({
  zone: zoneSchema.optional(),
  stage: stageSchema.optional(),
  plus: plusSchema.optional(),
  aRop: z.boolean().optional(),
  notch: z.boolean().optional(),
  course: courseSchema.optional(),
  stageClockHours: z
    .object({
      1: clockHoursSchema.optional(),
      2: clockHoursSchema.optional(),
      3: clockHoursSchema.optional(),
    })
    .optional(),
});

/** Ordinal severity for agreement statistics: a more posterior zone is more severe (III = 0 … I = 3). */
export function zoneRank(zone: Zone): number {
  return ZONES.length - 1 - ZONES.indexOf(zone);
}

/** Ordinal severity of a stage: '0' = 0 … '5C' = 8. */
export function stageRank(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** Ordinal severity of plus disease: none = 0, pre-plus = 1, plus = 2. */
export function plusRank(plus: Plus): number {
  return PLUS.indexOf(plus);
}

/** Stage 4 or 5: retinal detachment. */
export function isDetachment(stage: Stage): boolean {
  return stageRank(stage) >= stageRank('4A');
}

/** The zone as clinicians write it: "zone I", "posterior zone II". */
export function zoneWords(zone: Zone): string {
  return zone === 'posterior II' ? 'posterior zone II' : `zone ${zone}`;
}

/** The stage as clinicians write it: "no ROP" for stage 0, else "stage 2". */
export function stageWords(stage: Stage): string {
  return stage === '0' ? 'no ROP' : `stage ${stage}`;
}
