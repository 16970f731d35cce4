/**
 * One visit's follow-up from both eyes, the date the next exam is due, and the one-line
 * summary a report and the worklist show. The infant is examined as a whole, so the more
 * urgent eye sets the visit's interval.
 */
import type { Eye } from '../vocabulary/visit.ts';
import { addDays } from './calendar.ts';
import {
  DETACHMENT_LABEL,
  followUp,
  type EyeContext,
  type FollowUp,
  type FollowUpContext,
} from './follow-up.ts';
import { isDetachment, stageWords, zoneWords, type EyeFindings } from './icrop3.ts';

/** Shared facts (PMA, …) with per-eye ones that override them. */
export interface VisitContext extends FollowUpContext {
  od?: EyeContext;
  os?: EyeContext;
}

export interface VisitFollowUp extends FollowUp {
  /** The eye that sets the interval, or 'both' when both give the same. */
  eye: Eye | 'both';
  od: FollowUp;
  os: FollowUp;
}

/**
 * Lower is more urgent: detachment, treatment, then an undecided eye (it might need
 * treatment), then the interval whose latest day is soonest, and discharge only when both
 * eyes are discharged.
 */
function urgency(f: FollowUp): number {
  if (f.interval === 'treat') return f.label === DETACHMENT_LABEL ? 0 : 1;
  if (f.interval === 'incomplete') return 2;
  if (f.interval === 'discharge') return Number.POSITIVE_INFINITY;
  return 3 + f.interval.maxDays + f.interval.minDays / 100;
}

export function visitFollowUp(
  od: EyeFindings,
  os: EyeFindings,
  context: VisitContext = {},
): VisitFollowUp {
  const { od: odOnly, os: osOnly, ...shared } = context;
  const right = followUp(od, { ...shared, ...odOnly });
  const left = followUp(os, { ...shared, ...osOnly });
  const [a, b] = [urgency(right), urgency(left)];
  if (a === b) {
    const rule = right.rule === left.rule ? right.rule : `OD: ${right.rule}; OS: ${left.rule}`;
    const source = right.source === left.source ? right.source : `${right.source}; ${left.source}`;
    return { ...right, rule, source, eye: 'both', od: right, os: left };
  }
  const [eye, chosen]: [Eye, FollowUp] = a < b ? ['OD', right] : ['OS', left];
  return { ...chosen, rule: `${eye}: ${chosen.rule}`, eye, od: right, os: left };
}

/**
 * The date by which the next exam is due: the exam date plus the interval's upper end
 * ("1–2 weeks" → 14 days). The upper end is the deadline the schedule sets; an exam may be
 * booked any day from the lower end. No date when the outcome is not an interval.
 */
export function nextExamDate(examDate: string, f: FollowUp): string | undefined {
  return typeof f.interval === 'object' ? addDays(examDate, f.interval.maxDays) : undefined;
}

/** One eye in words: "zone II stage 3 (4 clock hours), plus disease, A-ROP". */
export function describeEye(eye: EyeFindings): string {
  const where = eye.zone && `${zoneWords(eye.zone)}${eye.notch ? ' secondary to notch' : ''}`;
  const stage = eye.stage;
  const extent =
    stage && ['1', '2', '3'].includes(stage)
      ? eye.stageClockHours?.[Number(stage) as 1 | 2 | 3]
      : undefined;
  const what = stage && `${stageWords(stage)}${extent ? ` (${extent} clock hours)` : ''}`;
  let head: string;
  if (where && what) head = stage === '0' ? `${where}, no ROP` : `${where} ${what}`;
  else if (what) head = isDetachment(stage!) ? what : `${what}, zone not recorded`;
  else if (where) head = `${where}, stage not recorded`;
  else head = 'zone and stage not recorded';
  const extras: string[] = [];
  if (eye.plus === 'pre-plus') extras.push('pre-plus');
  if (eye.plus === 'plus') extras.push('plus disease');
  if (eye.aRop) extras.push('A-ROP');
  if (eye.course && eye.course !== 'acute') extras.push(eye.course);
  return [head, ...extras].join(', ');
}

function outcome(od: EyeFindings, os: EyeFindings, f: FollowUp): string {
  if (f.interval === 'treat') {
    if (f.label === DETACHMENT_LABEL)
      return 'stage 4–5 ROP — urgent referral to a vitreoretinal surgeon';
    return od.aRop || os.aRop ? 'A-ROP — treatment warranted' : 'Type 1 ROP — treatment warranted';
  }
  if (f.interval === 'discharge') return 'screening may end (discharge criteria met)';
  if (f.interval === 'incomplete') return 'next exam not determined (findings incomplete)';
  return `next exam in ${f.label}`;
}

/** "OD zone II stage 2, pre-plus; OS zone II stage 1; next exam in 1–2 weeks". */
export function summaryLine(od: EyeFindings, os: EyeFindings, f: FollowUp): string {
  return `OD ${describeEye(od)}; OS ${describeEye(os)}; ${outcome(od, os, f)}`;
}
