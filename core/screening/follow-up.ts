/**
 * When to examine one eye next: the follow-up schedule and the termination criteria of the
 * 2018 screening statement (Fierson, Pediatrics 2018;142(6):e20183061), after the ETROP
 * classification has sent type 1 ROP and detachments to treatment.
 *
 * The schedule's ROP rows name zones I, II and III; posterior zone II (ICROP3, after the
 * statement) counts as zone II there, and only the immature-vascularisation rows tell it
 * apart. Facts the findings cannot hold (history, full vascularisation, PMA) come in the
 * context; left unknown they never end screening.
 */
import { weeksAndDays } from './calendar.ts';
import { etropClass, type EtropResult } from './etrop.ts';
import type { EyeFindings, Zone } from './icrop3.ts';
import { AAP_2018, cite } from './sources.ts';

export interface EyeContext {
  /** This eye had ROP (stage 1 or more) in zone I or II at an earlier exam. */
  previousZoneIOrIIRop?: boolean;
  /** Vessels reach the ora serrata for 360° (full retinal vascularisation). */
  fullyVascularised?: boolean;
  /** Immature vessels end in posterior zone II close to the zone I border; unknown counts as close. */
  nearZoneIBoundary?: boolean;
  /** The examiner suspects A-ROP without recording it as present. */
  aRopSuspected?: boolean;
  /** Treated with anti-VEGF alone: only full vascularisation ends examinations. */
  treatedWithAntiVegf?: boolean;
  /** After regression, no abnormal vascular tissue capable of reactivation in zone II or III. */
  noReactivationCapableTissue?: boolean;
}

export interface FollowUpContext extends EyeContext {
  /** Postmenstrual age at this exam, in days. */
  pmaDays?: number;
}

export interface FollowUpInterval {
  minDays: number;
  maxDays: number;
}

export interface FollowUp {
  interval: FollowUpInterval | 'treat' | 'discharge' | 'incomplete';
  label: string;
  rule: string;
  source: string;
}

/** The schedule's intervals; "1 week or less" has no lower bound. */
export const INTERVALS = {
  '1 week or less': { minDays: 0, maxDays: 7 },
  '1–2 weeks': { minDays: 7, maxDays: 14 },
  '2 weeks': { minDays: 14, maxDays: 14 },
  '2–3 weeks': { minDays: 14, maxDays: 21 },
} as const satisfies Record<string, FollowUpInterval>;
export type IntervalLabel = keyof typeof INTERVALS;

export const TREATMENT_LABEL = 'treatment within 72 hours';
export const DETACHMENT_LABEL = 'urgent referral to a vitreoretinal surgeon';
export const DISCHARGE_LABEL = 'discharge from screening';
export const INCOMPLETE_LABEL = 'not determined (findings incomplete)';

const SCHEDULE = cite(AAP_2018, 'suggested schedule for follow-up examinations');
const TERMINATION = cite(AAP_2018, 'termination of acute retinal screening examinations');
const PMA_45_WEEKS = 45 * 7;
const PMA_35_WEEKS = 35 * 7;

function every(label: IntervalLabel, rule: string): FollowUp {
  return { interval: { ...INTERVALS[label] }, label, rule, source: SCHEDULE };
}

function incomplete(rule: string, source = SCHEDULE): FollowUp {
  return { interval: 'incomplete', label: INCOMPLETE_LABEL, rule, source };
}

function ended(rule: string): FollowUp {
  return {
    interval: 'discharge',
    label: DISCHARGE_LABEL,
    rule: `${rule}: examinations may end`,
    source: TERMINATION,
  };
}

function termination(
  eye: EyeFindings,
  etrop: EtropResult,
  c: FollowUpContext,
): FollowUp | undefined {
  if (c.fullyVascularised)
    return ended('Full retinal vascularisation (vessels reach the ora serrata for 360°)');
  if (c.treatedWithAntiVegf || etrop.category === 'incomplete') return undefined;
  // Reactivation and suspected A-ROP are active disease still in evolution: never ended by age.
  if (eye.course === 'reactivated' || c.aRopSuspected) return undefined;
  if (c.pmaDays !== undefined && c.pmaDays >= PMA_45_WEEKS)
    return ended(
      `Postmenstrual age ${weeksAndDays(c.pmaDays)} (45 weeks or more) with no type 1 ROP or worse`,
    );
  if (eye.zone === 'III' && eye.stage === '0' && c.previousZoneIOrIIRop === false) {
    const early = c.pmaDays === undefined || c.pmaDays < PMA_35_WEEKS;
    const caveat = early
      ? ' (before 35 weeks PMA, or with doubt about the zone, confirm at another exam)'
      : '';
    return ended(`Zone III vascularisation attained without previous zone I or II ROP${caveat}`);
  }
  if (eye.course === 'regressed' && c.noReactivationCapableTissue)
    return ended(
      'ROP regressed with no abnormal vascular tissue capable of reactivation in zone II or III',
    );
  return undefined;
}

const REGRESSING: Record<'I' | 'II' | 'III', IntervalLabel> = {
  I: '1–2 weeks',
  II: '2 weeks',
  III: '2–3 weeks',
};

function regressing(eye: EyeFindings, zone: Zone): FollowUp {
  const area = zone === 'posterior II' ? 'II' : zone;
  const what =
    eye.course === 'regressing'
      ? 'Unequivocally regressing ROP'
      : eye.course === 'regressed'
        ? 'Regressed ROP, followed as regressing ROP'
        : 'Persistent avascular retina, followed as regressing ROP';
  return every(REGRESSING[area], `${what} in zone ${area}`);
}

function immature(zone: Zone, c: FollowUpContext): FollowUp {
  if (zone === 'I') return every('1 week or less', 'Immature vascularisation in zone I, no ROP');
  if (zone === 'II') return every('2 weeks', 'Immature vascularisation in zone II, no ROP');
  if (zone === 'posterior II') {
    if (c.nearZoneIBoundary === false)
      return every('1–2 weeks', 'Immature vascularisation in posterior zone II, no ROP');
    const unknown =
      c.nearZoneIBoundary === undefined
        ? ' (distance from the border not recorded: the shorter interval applies)'
        : '';
    return every(
      '1 week or less',
      `Immature retina extending into posterior zone II near the zone I border${unknown}`,
    );
  }
  if (c.previousZoneIOrIIRop)
    return every(
      '2–3 weeks',
      'Zone III vascularisation after earlier zone I or II ROP, followed as regressing ROP in zone III',
    );
  return incomplete(
    'Zone III, no ROP: record whether this eye had zone I or II ROP before (if not, examinations may end)',
  );
}

function activeRop(zone: Zone, stage: '1' | '2' | '3'): FollowUp {
  if (zone === 'I') return every('1 week or less', 'Stage 1 or 2 ROP in zone I');
  if (zone === 'III') {
    if (stage === '3')
      return every(
        '1 week or less',
        'Stage 3 ROP in zone III: not in the schedule, so the interval for stage 3 in zone II applies',
      );
    return every('2–3 weeks', 'Stage 1 or 2 ROP in zone III');
  }
  const mapped = zone === 'posterior II' ? ' (posterior zone II counts as zone II)' : '';
  const label: IntervalLabel =
    stage === '1' ? '2 weeks' : stage === '2' ? '1–2 weeks' : '1 week or less';
  return every(label, `Stage ${stage} ROP in zone II${mapped}`);
}

function scheduled(eye: EyeFindings, c: FollowUpContext): FollowUp {
  const { zone, stage, course } = eye;
  if (c.aRopSuspected) return every('1 week or less', 'Suspected A-ROP');
  if (eye.plus === 'plus' && stage === '0')
    return every('1 week or less', 'Plus disease without ROP, followed as suspected A-ROP');
  if (!zone) return incomplete('The zone must be recorded to choose the interval');
  if (course === 'regressing' || course === 'regressed' || course === 'persistent avascular retina')
    return regressing(eye, zone);
  if (!stage) return incomplete('The stage must be recorded to choose the interval');
  const result = stage === '0' ? immature(zone, c) : activeRop(zone, stage as '1' | '2' | '3');
  if (course === 'reactivated') result.rule += ' (reactivated ROP, followed as acute ROP)';
  return result;
}

export function followUp(eye: EyeFindings, context: FollowUpContext = {}): FollowUp {
  const etrop = etropClass(eye);
  if (etrop.category === 'stage 4–5')
    return {
      interval: 'treat',
      label: DETACHMENT_LABEL,
      rule: `${etrop.rule}: ${etrop.urgency}`,
      source: etrop.source,
    };
  if (etrop.category === 'type 1')
    return {
      interval: 'treat',
      label: TREATMENT_LABEL,
      rule: `${etrop.rule}: treat within 72 hours`,
      source: etrop.source,
    };
  const end = termination(eye, etrop, context);
  if (end) return end;
  if (etrop.category === 'incomplete') return incomplete(etrop.rule, etrop.source);
  return scheduled(eye, context);
}
