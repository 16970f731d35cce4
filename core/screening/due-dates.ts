/**
 * Who is screened for ROP and when the first exam is due, per the 2018 screening statement
 * (Fierson, Pediatrics 2018;142(6):e20183061), and how a due date stands against today.
 *
 * Gestational age is counted in completed weeks, as obstetric dating is: an infant born at
 * 30+6 weeks is "30 weeks", so "30 weeks or less" includes every day of week 30.
 */
import { z } from 'zod';
import { dateOfDay, requireDay, weeksAndDays } from './calendar.ts';
import { AAP_2018, cite } from './sources.ts';

export const birthFactsSchema = z.object({
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  gaWeeks: z.number().int().min(20).max(44).optional(),
  gaDays: z.number().int().min(0).max(6).optional(),
  birthWeightGrams: z.number().positive().max(7000).optional(),
  /** The neonatologist judges the course unstable with high risk of ROP (cardiorespiratory support…). */
  unstableClinicalCourse: z.boolean().optional(),
});
export type BirthFacts = z.infer<typeof birthFactsSchema>;

export interface Eligibility {
  status: 'screen' | 'not indicated' | 'unknown';
  reason: string;
  source: string;
}

const WHO = cite(AAP_2018, 'infants to be screened');
const FIRST_EXAM = cite(AAP_2018, 'timing of the first eye examination (Table 1)');

function gaKnown(f: BirthFacts): f is BirthFacts & { gaWeeks: number; gaDays: number } {
  return f.gaWeeks !== undefined && f.gaDays !== undefined;
}

export function screeningEligibility(facts: BirthFacts): Eligibility {
  const ga = gaKnown(facts) ? weeksAndDays(facts.gaWeeks * 7 + facts.gaDays) : undefined;
  const weight = facts.birthWeightGrams;
  const screen = (reason: string): Eligibility => ({ status: 'screen', reason, source: WHO });
  if (weight !== undefined && weight <= 1500)
    return screen(`Birth weight ${weight} g (1500 g or less)`);
  if (gaKnown(facts) && facts.gaWeeks <= 30)
    return screen(`Gestational age ${ga} (30 weeks or less)`);
  if (weight === undefined || !gaKnown(facts)) {
    const missing = [weight === undefined ? 'birth weight' : '', ga ? '' : 'gestational age'];
    const words = missing.filter(Boolean).join(' and ');
    if (facts.unstableClinicalCourse)
      return screen(
        `Unstable clinical course judged to carry high risk of ROP (${words} not recorded)`,
      );
    const verb = words.includes(' and ') ? 'are' : 'is';
    return { status: 'unknown', reason: `The ${words} ${verb} not recorded`, source: WHO };
  }
  // Past both limits: screened only when the clinician flags an unstable course.
  const band =
    weight <= 2000
      ? `birth weight ${weight} g (1501–2000 g)`
      : `gestational age ${ga} (over 30 weeks)`;
  if (facts.unstableClinicalCourse)
    return screen(`Unstable clinical course judged to carry high risk of ROP, with ${band}`);
  return {
    status: 'not indicated',
    reason: `Birth weight ${weight} g (over 1500 g) and gestational age ${ga} (over 30 weeks), with no unstable clinical course recorded`,
    source: WHO,
  };
}

export interface FirstExamDue {
  dueDate: string;
  /** Which limit came later. */
  basis: '31 weeks PMA' | '4 weeks chronological age' | 'both';
  /** Age on the due date. */
  chronologicalAgeDays: number;
  pmaDays: number;
  rule: string;
  source: string;
}

const FIRST_EXAM_PMA_DAYS = 31 * 7;
const FIRST_EXAM_AGE_DAYS = 28;

/** The later of 31 weeks 0 days postmenstrual age and 4 weeks (28 days) chronological age. */
export function firstExamDue(facts: {
  birthDate: string;
  gaWeeks: number;
  gaDays: number;
}): FirstExamDue {
  const birth = requireDay(facts.birthDate, 'Birth date');
  const gaAtBirth = facts.gaWeeks * 7 + facts.gaDays;
  const untilPma = FIRST_EXAM_PMA_DAYS - gaAtBirth;
  const age = Math.max(untilPma, FIRST_EXAM_AGE_DAYS);
  const basis =
    untilPma > FIRST_EXAM_AGE_DAYS
      ? '31 weeks PMA'
      : untilPma === FIRST_EXAM_AGE_DAYS
        ? 'both'
        : '4 weeks chronological age';
  const pma = gaAtBirth + age;
  return {
    dueDate: dateOfDay(birth + age),
    basis,
    chronologicalAgeDays: age,
    pmaDays: pma,
    rule: `First exam at ${weeksAndDays(pma)} PMA, ${age} days after birth: the later of 31 weeks PMA and 4 weeks of age`,
    source: FIRST_EXAM,
  };
}

export interface DueStatus {
  status: 'overdue' | 'due today' | 'due later';
  /** Days overdue, or days until due; 0 when due today. */
  days: number;
  label: string;
}

function dayCount(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

export function dueStatus(dueDate: string, today: string): DueStatus {
  const diff = requireDay(dueDate, 'Due date') - requireDay(today, 'Today');
  if (diff < 0) return { status: 'overdue', days: -diff, label: `overdue by ${dayCount(-diff)}` };
  if (diff === 0) return { status: 'due today', days: 0, label: 'due today' };
  return { status: 'due later', days: diff, label: `due in ${dayCount(diff)}` };
}
