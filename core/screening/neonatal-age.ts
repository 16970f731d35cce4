/**
 * Neonatal age: gestational age (GA) at birth plus the time since birth gives the
 * postmenstrual age (PMA) of each exam, the clock ROP screening and BPD grading run on. The
 * infant's record holds what that clock needs (and the other facts the screening rules read).
 * Pure: the rules, the reports and the page use the same arithmetic.
 */
import type { BpdGrade } from '../vocabulary/bpd-grades.ts';
import { weeksAndDays } from './calendar.ts';

export interface PatientRecord {
  patientId: string;
  birthDate: string; // YYYY-MM-DD
  gaWeeks: number;
  gaDays: number;
  /** Birth weight in grams, when recorded (ROP screening eligibility, G-ROP). */
  birthWeightGrams?: number;
  /** The clinician judges the course unstable (screening of larger infants, AAP 2018). */
  unstableCourse?: boolean;
  /** Hydrocephalus (a G-ROP criterion). */
  hydrocephalus?: boolean;
  /** BPD grade at 36 weeks PMA by respiratory support (Jensen et al. 2019), clinical, entered here. */
  bpdGrade?: BpdGrade;
}

/** "YYYY-MM-DD" or DICOM "YYYYMMDD" → UTC midnight, or undefined. */
export function parseDate(text: string): Date | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3]) ? undefined : date;
}

/** A PMA or GA in days as clinicians write it: 213 → "30+3 weeks". */
export const formatAge = weeksAndDays;

/** PMA in days at an exam; undefined when the dates are missing or the exam precedes birth. */
export function pmaDays(patient: PatientRecord, examDate: string): number | undefined {
  const birth = parseDate(patient.birthDate);
  const exam = parseDate(examDate);
  if (!birth || !exam) return undefined;
  const sinceBirth = Math.round((exam.getTime() - birth.getTime()) / 86_400_000);
  return sinceBirth < 0 ? undefined : patient.gaWeeks * 7 + patient.gaDays + sinceBirth;
}
