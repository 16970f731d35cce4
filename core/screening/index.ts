/**
 * ROP screening rules: ICROP3 findings, the ETROP treatment classification, the follow-up
 * schedule and termination criteria, screening eligibility and due dates, and the G-ROP
 * criteria. Pure functions, no I/O: the API handlers and the page use the same code, and every
 * conclusion carries the rule that produced it and its published source.
 */
export * from './icrop3.ts';
export { eyeFindingsProblems } from './icrop3-checks.ts';
export { eyeFindingsFromForm } from './icrop3-form.ts';
export { etropClass, URGENCY, type EtropCategory, type EtropResult } from './etrop.ts';
export {
  followUp,
  INTERVALS,
  TREATMENT_LABEL,
  DETACHMENT_LABEL,
  DISCHARGE_LABEL,
  INCOMPLETE_LABEL,
  type EyeContext,
  type FollowUp,
  type FollowUpContext,
  type FollowUpInterval,
  type IntervalLabel,
} from './follow-up.ts';
export {
  describeEye,
  nextExamDate,
  summaryLine,
  visitFollowUp,
  type VisitContext,
  type VisitFollowUp,
} from './visit-follow-up.ts';
export {
  birthFactsSchema,
  dueStatus,
  firstExamDue,
  screeningEligibility,
  type BirthFacts,
  type DueStatus,
  type Eligibility,
  type FirstExamDue,
} from './due-dates.ts';
export {
  gRopCriteria,
  WEIGHT_GAIN_WINDOWS,
  WEIGHT_LOOKBACK_DAYS,
  type CriterionStatus,
  type GRopCriterion,
  type GRopInput,
  type GRopResult,
  type WeightRecord,
} from './g-rop.ts';
export {
  parseWeightsCsv,
  weightsOf,
  type WeightRow,
  type WeightsCsv,
  type WeightsCsvError,
} from './weights-csv.ts';
export { addDays, daysBetween, dayNumber, weeksAndDays } from './calendar.ts';
export { AAP_2018, ETROP, G_ROP, ICROP3 } from './sources.ts';
