import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DETACHMENT_LABEL,
  DISCHARGE_LABEL,
  INCOMPLETE_LABEL,
  TREATMENT_LABEL,
  followUp,
  type FollowUpContext,
  type IntervalLabel,
} from './follow-up.ts';
import type { EyeFindings } from './icrop3.ts';

function label(eye: EyeFindings, context: FollowUpContext = {}): string {
  return followUp(eye, context).label;
}

/** Each row of the 2018 follow-up schedule, with the findings that stand for it. */
const SCHEDULE: [IntervalLabel, string, EyeFindings, FollowUpContext?][] = [
  // 1 week or less
  [
    '1 week or less',
    'immature vascularisation, zone I, no ROP',
    { zone: 'I', stage: '0', plus: 'none' },
  ],
  [
    '1 week or less',
    'immature retina into posterior zone II near the zone I border',
    { zone: 'posterior II', stage: '0' },
    { nearZoneIBoundary: true },
  ],
  ['1 week or less', 'stage 1 ROP, zone I', { zone: 'I', stage: '1', plus: 'none' }],
  ['1 week or less', 'stage 2 ROP, zone I', { zone: 'I', stage: '2', plus: 'pre-plus' }],
  ['1 week or less', 'stage 3 ROP, zone II', { zone: 'II', stage: '3', plus: 'none' }],
  [
    '1 week or less',
    'stage 3 ROP, posterior zone II',
    { zone: 'posterior II', stage: '3', plus: 'pre-plus' },
  ],
  [
    '1 week or less',
    'suspected A-ROP',
    { zone: 'II', stage: '1', plus: 'none' },
    { aRopSuspected: true },
  ],
  // 1–2 weeks
  [
    '1–2 weeks',
    'immature vascularisation, posterior zone II',
    { zone: 'posterior II', stage: '0' },
    { nearZoneIBoundary: false },
  ],
  ['1–2 weeks', 'stage 2 ROP, zone II', { zone: 'II', stage: '2', plus: 'none' }],
  [
    '1–2 weeks',
    'stage 2 ROP, posterior zone II',
    { zone: 'posterior II', stage: '2', plus: 'pre-plus' },
  ],
  [
    '1–2 weeks',
    'unequivocally regressing ROP, zone I',
    { zone: 'I', stage: '2', plus: 'none', course: 'regressing' },
  ],
  // 2 weeks
  ['2 weeks', 'stage 1 ROP, zone II', { zone: 'II', stage: '1', plus: 'none' }],
  ['2 weeks', 'stage 1 ROP, zone II, plus unrecorded', { zone: 'II', stage: '1' }],
  [
    '2 weeks',
    'immature vascularisation, zone II, no ROP',
    { zone: 'II', stage: '0', plus: 'none' },
  ],
  [
    '2 weeks',
    'unequivocally regressing ROP, zone II',
    { zone: 'II', stage: '1', plus: 'none', course: 'regressing' },
  ],
  [
    '2 weeks',
    'unequivocally regressing ROP, posterior zone II',
    { zone: 'posterior II', stage: '3', plus: 'none', course: 'regressing' },
  ],
  // 2–3 weeks
  ['2–3 weeks', 'stage 1 ROP, zone III', { zone: 'III', stage: '1', plus: 'none' }],
  ['2–3 weeks', 'stage 2 ROP, zone III', { zone: 'III', stage: '2', plus: 'plus' }],
  [
    '2–3 weeks',
    'regressing ROP, zone III',
    { zone: 'III', stage: '1', plus: 'none', course: 'regressing' },
  ],
];

test('every row of the follow-up schedule', () => {
  for (const [expected, row, eye, context] of SCHEDULE) {
    const f = followUp(eye, context);
    assert.equal(f.label, expected, row);
    assert.deepEqual(
      f.interval,
      {
        '1 week or less': { minDays: 0, maxDays: 7 },
        '1–2 weeks': { minDays: 7, maxDays: 14 },
        '2 weeks': { minDays: 14, maxDays: 14 },
        '2–3 weeks': { minDays: 14, maxDays: 21 },
      }[expected],
      row,
    );
    assert.match(f.source, /Pediatrics 2018;142\(6\):e20183061 — suggested schedule/, row);
  }
});

test('the rules say which row matched', () => {
  assert.equal(followUp({ zone: 'II', stage: '2', plus: 'none' }).rule, 'Stage 2 ROP in zone II');
  assert.equal(
    followUp({ zone: 'posterior II', stage: '1', plus: 'none' }).rule,
    'Stage 1 ROP in zone II (posterior zone II counts as zone II)',
  );
  assert.equal(
    followUp({ zone: 'I', stage: '1', plus: 'none', course: 'regressing' }).rule,
    'Unequivocally regressing ROP in zone I',
  );
});

test('posterior zone II without ROP: unknown distance from zone I takes the shorter interval', () => {
  const f = followUp({ zone: 'posterior II', stage: '0' });
  assert.equal(f.label, '1 week or less');
  assert.match(f.rule, /distance from the border not recorded/);
});

test('type 1 ROP and A-ROP go to treatment within 72 hours, not an interval', () => {
  const type1: EyeFindings[] = [
    { zone: 'I', stage: '1', plus: 'plus' },
    { zone: 'I', stage: '3', plus: 'none' },
    { zone: 'II', stage: '2', plus: 'plus' },
    { zone: 'posterior II', stage: '3', plus: 'plus' },
    { zone: 'II', stage: '3', plus: 'plus', course: 'regressing' },
    { aRop: true },
  ];
  for (const eye of type1) {
    const f = followUp(eye, { pmaDays: 46 * 7 });
    assert.equal(f.interval, 'treat', JSON.stringify(eye));
    assert.equal(f.label, TREATMENT_LABEL);
    assert.match(f.rule, /treat within 72 hours$/);
  }
});

test('stage 4 and 5 go to urgent vitreoretinal referral', () => {
  for (const stage of ['4A', '4B', '5A', '5B', '5C'] as const) {
    const f = followUp({ stage }, { fullyVascularised: true });
    assert.equal(f.interval, 'treat');
    assert.equal(f.label, DETACHMENT_LABEL);
  }
});

test('termination: full vascularisation', () => {
  const f = followUp({ zone: 'III', stage: '0' }, { fullyVascularised: true });
  assert.equal(f.interval, 'discharge');
  assert.equal(f.label, DISCHARGE_LABEL);
  assert.match(f.rule, /^Full retinal vascularisation/);
  assert.match(f.source, /termination of acute retinal screening examinations/);
  // Full vascularisation needs no zone to be recorded.
  assert.equal(followUp({}, { fullyVascularised: true }).interval, 'discharge');
});

test('termination: 45 weeks PMA with no type 1 ROP or worse; 44+6 is not enough', () => {
  const eye: EyeFindings = { zone: 'II', stage: '2', plus: 'pre-plus' };
  assert.equal(followUp(eye, { pmaDays: 45 * 7 - 1 }).label, '1–2 weeks');
  const f = followUp(eye, { pmaDays: 45 * 7 });
  assert.equal(f.interval, 'discharge');
  assert.equal(
    f.rule,
    'Postmenstrual age 45+0 weeks (45 weeks or more) with no type 1 ROP or worse: examinations may end',
  );
  // Type 2 is not "type 1 or worse" (the statement's wording).
  assert.equal(
    followUp({ zone: 'I', stage: '2', plus: 'none' }, { pmaDays: 315 }).interval,
    'discharge',
  );
  // An undecided eye might be type 1: never ended by age.
  assert.equal(followUp({ zone: 'I', stage: '2' }, { pmaDays: 320 }).interval, 'incomplete');
  assert.equal(followUp({ zone: 'II' }, { pmaDays: 320 }).interval, 'incomplete');
  // Active disease still in evolution continues.
  assert.equal(
    followUp({ zone: 'II', stage: '1', plus: 'none', course: 'reactivated' }, { pmaDays: 320 })
      .label,
    '2 weeks',
  );
  assert.equal(
    followUp({ zone: 'II', stage: '1', plus: 'none' }, { pmaDays: 320, aRopSuspected: true }).label,
    '1 week or less',
  );
});

test('termination after anti-VEGF: only full vascularisation', () => {
  const eye: EyeFindings = { zone: 'II', stage: '0', plus: 'none' };
  assert.equal(followUp(eye, { pmaDays: 50 * 7, treatedWithAntiVegf: true }).label, '2 weeks');
  assert.equal(
    followUp(
      { zone: 'III', stage: '0' },
      { previousZoneIOrIIRop: false, treatedWithAntiVegf: true },
    ).interval,
    'incomplete',
  );
  assert.equal(
    followUp(eye, { treatedWithAntiVegf: true, fullyVascularised: true }).interval,
    'discharge',
  );
});

test('termination: zone III reached without previous zone I or II ROP', () => {
  const eye: EyeFindings = { zone: 'III', stage: '0', plus: 'none' };
  const early = followUp(eye, { previousZoneIOrIIRop: false, pmaDays: 35 * 7 - 1 });
  assert.equal(early.interval, 'discharge');
  assert.match(early.rule, /before 35 weeks PMA.*confirm at another exam/);
  const later = followUp(eye, { previousZoneIOrIIRop: false, pmaDays: 35 * 7 });
  assert.equal(later.interval, 'discharge');
  assert.doesNotMatch(later.rule, /confirm/);
  // After zone I or II ROP, zone III is followed as regressing ROP there.
  assert.equal(followUp(eye, { previousZoneIOrIIRop: true }).label, '2–3 weeks');
  // Unknown history: the reader is asked for it.
  const unknown = followUp(eye);
  assert.equal(unknown.interval, 'incomplete');
  assert.equal(unknown.label, INCOMPLETE_LABEL);
  assert.match(unknown.rule, /record whether this eye had zone I or II ROP before/);
  // Zone III with ROP is not this criterion.
  assert.equal(
    followUp({ zone: 'III', stage: '1', plus: 'none' }, { previousZoneIOrIIRop: false }).label,
    '2–3 weeks',
  );
});

test('termination: regression with no tissue capable of reactivation', () => {
  const eye: EyeFindings = { zone: 'II', stage: '2', plus: 'none', course: 'regressed' };
  const ended = followUp(eye, { noReactivationCapableTissue: true });
  assert.equal(ended.interval, 'discharge');
  assert.match(
    ended.rule,
    /^ROP regressed with no abnormal vascular tissue capable of reactivation/,
  );
  const notYet = followUp(eye);
  assert.equal(notYet.label, '2 weeks');
  assert.equal(notYet.rule, 'Regressed ROP, followed as regressing ROP in zone II');
  // "Regressing" is not yet regressed.
  assert.equal(
    followUp({ ...eye, course: 'regressing' }, { noReactivationCapableTissue: true }).label,
    '2 weeks',
  );
});

test('rows the schedule lacks take the nearest safe row, and say so', () => {
  const z3s3 = followUp({ zone: 'III', stage: '3', plus: 'none' });
  assert.equal(z3s3.label, '1 week or less');
  assert.match(z3s3.rule, /not in the schedule/);
  const plusNoRop = followUp({ zone: 'II', stage: '0', plus: 'plus' });
  assert.equal(plusNoRop.label, '1 week or less');
  assert.equal(plusNoRop.rule, 'Plus disease without ROP, followed as suspected A-ROP');
  const par = followUp({ zone: 'I', course: 'persistent avascular retina' });
  assert.equal(par.label, '1–2 weeks');
  assert.equal(par.rule, 'Persistent avascular retina, followed as regressing ROP in zone I');
  const reactivated = followUp({ zone: 'II', stage: '2', plus: 'none', course: 'reactivated' });
  assert.equal(reactivated.label, '1–2 weeks');
  assert.match(reactivated.rule, /reactivated ROP, followed as acute ROP/);
});

test('missing findings are incomplete with the reason', () => {
  assert.equal(label({}), INCOMPLETE_LABEL);
  assert.equal(
    followUp({ stage: '2', plus: 'none' }).rule,
    'The zone must be recorded to classify',
  );
  assert.equal(
    followUp({ zone: 'II', plus: 'none' }).rule,
    'The stage must be recorded to classify',
  );
  assert.match(followUp({ zone: 'II', stage: '3' }).rule, /^Plus disease must be recorded/);
  assert.equal(followUp({ course: 'regressing' }).interval, 'incomplete');
  assert.equal(
    followUp({ course: 'regressed' }).rule,
    'The zone must be recorded to choose the interval',
  );
});
