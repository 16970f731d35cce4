/**
 * The G-ROP screening criteria (Binenbaum et al., JAMA Ophthalmol 2020;138(1):31–37): screen
 * when any criterion is met. Each criterion answers met, not met, or not assessable — never a
 * silent "not met" for want of data — so the page can say what is missing.
 *
 * Day of life counts the birth date as day 0. A weight-gain window's gain is the weight at its
 * last day minus the weight at its first day; where no weight was recorded on that day, the
 * latest weight from the 3 days before it stands in (daily NICU weights make this rare). With
 * no weight in that span the window is not assessable. Two weights on one day: the one listed
 * last counts (a re-weigh corrects the first).
 */
import { requireDay, weeksAndDays } from './calendar.ts';
import { G_ROP, cite } from './sources.ts';

export interface WeightRecord {
  date: string;
  grams: number;
}

export interface GRopInput {
  birthDate: string;
  gaWeeks?: number;
  gaDays?: number;
  birthWeightGrams?: number;
  weights: WeightRecord[];
  hydrocephalus?: boolean;
}

export type CriterionStatus = 'met' | 'not met' | 'not assessable';

export interface GRopCriterion {
  name: string;
  status: CriterionStatus;
  /** The infant's value (GA in days, grams), when known. */
  value?: number;
  /** The criterion is met below this value (GA in days, grams). */
  threshold?: number;
  detail: string;
}

export interface GRopResult {
  status: 'screen' | 'not indicated' | 'not assessable';
  criteria: GRopCriterion[];
  /** Weights that could not be used (dated before birth). */
  problems: string[];
  rule: string;
  source: string;
}

/** How many days before a window's first or last day a weight may stand in for that day. */
export const WEIGHT_LOOKBACK_DAYS = 3;

export const WEIGHT_GAIN_WINDOWS = [
  { firstDay: 10, lastDay: 19, minimumGain: 120 },
  { firstDay: 20, lastDay: 29, minimumGain: 180 },
  { firstDay: 30, lastDay: 39, minimumGain: 170 },
] as const;

const GA_LIMIT_DAYS = 28 * 7;
const BW_LIMIT_GRAMS = 1051;

interface DayWeight {
  day: number;
  grams: number;
}

/** The weight on `day`, else the latest in the lookback days before it. */
function weightAt(weights: DayWeight[], day: number): DayWeight | undefined {
  let best: DayWeight | undefined;
  for (const w of weights)
    if (w.day <= day && w.day >= day - WEIGHT_LOOKBACK_DAYS && (!best || w.day >= best.day))
      best = w;
  return best;
}

function weightGain(
  weights: DayWeight[],
  window: (typeof WEIGHT_GAIN_WINDOWS)[number],
): GRopCriterion {
  const { firstDay, lastDay, minimumGain } = window;
  const name = `Weight gain < ${minimumGain} g between days ${firstDay} and ${lastDay} of life`;
  const start = weightAt(weights, firstDay);
  const end = weightAt(weights, lastDay);
  if (!start || !end) {
    const gaps = [start ? undefined : firstDay, end ? undefined : lastDay].filter(
      (d) => d !== undefined,
    );
    const spans = gaps.map((d) => `days ${d - WEIGHT_LOOKBACK_DAYS}–${d}`).join(' or ');
    return {
      name,
      status: 'not assessable',
      threshold: minimumGain,
      detail: `No weight recorded on ${spans} of life`,
    };
  }
  const gain = end.grams - start.grams;
  const met = gain < minimumGain;
  return {
    name,
    status: met ? 'met' : 'not met',
    value: gain,
    threshold: minimumGain,
    detail: `${gain} g from day ${start.day} (${start.grams} g) to day ${end.day} (${end.grams} g)${met ? '' : `, ${minimumGain} g or more`}`,
  };
}

function gestationalAge(input: GRopInput): GRopCriterion {
  const name = 'Gestational age < 28 weeks';
  if (input.gaWeeks === undefined || input.gaDays === undefined)
    return {
      name,
      status: 'not assessable',
      threshold: GA_LIMIT_DAYS,
      detail: 'Gestational age not recorded',
    };
  const days = input.gaWeeks * 7 + input.gaDays;
  const met = days < GA_LIMIT_DAYS;
  return {
    name,
    status: met ? 'met' : 'not met',
    value: days,
    threshold: GA_LIMIT_DAYS,
    detail: weeksAndDays(days),
  };
}

function birthWeight(input: GRopInput): GRopCriterion {
  const name = 'Birth weight < 1051 g';
  const grams = input.birthWeightGrams;
  if (grams === undefined)
    return {
      name,
      status: 'not assessable',
      threshold: BW_LIMIT_GRAMS,
      detail: 'Birth weight not recorded',
    };
  return {
    name,
    status: grams < BW_LIMIT_GRAMS ? 'met' : 'not met',
    value: grams,
    threshold: BW_LIMIT_GRAMS,
    detail: `${grams} g`,
  };
}

function hydrocephalus(input: GRopInput): GRopCriterion {
  const name = 'Hydrocephalus';
  if (input.hydrocephalus === undefined)
    return { name, status: 'not assessable', detail: 'Not recorded' };
  return input.hydrocephalus
    ? { name, status: 'met', detail: 'Present' }
    : { name, status: 'not met', detail: 'Absent' };
}

export function gRopCriteria(input: GRopInput): GRopResult {
  const birth = requireDay(input.birthDate, 'Birth date');
  const problems: string[] = [];
  const weights: DayWeight[] = [];
  for (const w of input.weights) {
    const day = requireDay(w.date, 'Weight date') - birth;
    if (day < 0)
      problems.push(`Weight of ${w.grams} g on ${w.date} is dated before birth and was not used`);
    else weights.push({ day, grams: w.grams });
  }
  const criteria = [
    gestationalAge(input),
    birthWeight(input),
    ...WEIGHT_GAIN_WINDOWS.map((window) => weightGain(weights, window)),
    hydrocephalus(input),
  ];
  const met = criteria.filter((c) => c.status === 'met');
  const open = criteria.filter((c) => c.status === 'not assessable');
  const status = met.length ? 'screen' : open.length ? 'not assessable' : 'not indicated';
  const rule =
    status === 'screen'
      ? `Screen: ${met.map((c) => c.name.toLowerCase()).join('; ')}`
      : status === 'not assessable'
        ? `No criterion met so far; not assessable: ${open.map((c) => c.name.toLowerCase()).join('; ')}`
        : 'No G-ROP criterion met';
  return { status, criteria, problems, rule, source: cite(G_ROP, 'G-ROP screening criteria') };
}
