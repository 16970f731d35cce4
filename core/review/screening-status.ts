/**
 * Where an infant stands in ROP screening today: whether screening is indicated (AAP 2018,
 * and G-ROP when weights are recorded), when the first exam is due, and when the next one is
 * due — from the latest signed visit's interval once there is one. The worklist sorts on it.
 */
import type { Screening } from '../screening/assessment-schemas.ts';
import type { PatientRecord } from '../patients/trajectory.ts';
import {
  dueStatus,
  firstExamDue,
  gRopCriteria,
  screeningEligibility,
  type WeightRecord,
} from '../screening/index.ts';

export interface LatestSignedVisit {
  examDate: string;
  nextExamDate?: string;
  followUpLabel: string;
  discharge: boolean;
}

/** Today as a UTC calendar date. */
export function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function screeningStatus(
  patient: PatientRecord | undefined,
  weights: WeightRecord[],
  latest: LatestSignedVisit | undefined,
  today: string,
): Screening | undefined {
  if (!patient) return undefined;
  const birth = {
    birthDate: patient.birthDate,
    gaWeeks: patient.gaWeeks,
    gaDays: patient.gaDays,
    ...(patient.birthWeightGrams !== undefined
      ? { birthWeightGrams: patient.birthWeightGrams }
      : {}),
  };
  const eligibility = screeningEligibility({
    ...birth,
    ...(patient.unstableCourse ? { unstableClinicalCourse: true } : {}),
  });
  const first = firstExamDue(patient);
  const gRop = gRopCriteria({
    ...birth,
    weights,
    ...(patient.hydrocephalus ? { hydrocephalus: true } : {}),
  });
  let nextDue: string | undefined;
  let nextDueReason: string;
  if (latest) {
    nextDue = latest.nextExamDate;
    nextDueReason = latest.discharge
      ? `discharged from screening at the visit of ${latest.examDate}`
      : latest.nextExamDate
        ? `${latest.followUpLabel} after the signed visit of ${latest.examDate}`
        : `${latest.followUpLabel} (signed visit of ${latest.examDate})`;
  } else if (eligibility.status === 'not indicated') {
    nextDueReason = 'screening not indicated';
  } else {
    nextDue = first.dueDate;
    nextDueReason = first.rule;
  }
  return {
    eligibility,
    firstExamDue: first.dueDate,
    ...(nextDue ? { nextDue } : {}),
    nextDueReason,
    dueStatus: nextDue ? dueStatus(nextDue, today).status : 'none',
    ...(weights.length || patient.hydrocephalus
      ? {
          gRop: {
            status: gRop.status,
            criteria: gRop.criteria.map((c) => ({
              name: c.name,
              status: c.status,
              detail: c.detail,
            })),
            source: gRop.source,
          },
        }
      : {}),
  };
}
