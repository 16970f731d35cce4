import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followUp } from './follow-up.ts';
import type { EyeFindings } from './icrop3.ts';
import { describeEye, nextExamDate, summaryLine, visitFollowUp } from './visit-follow-up.ts';

const zoneIIStage2: EyeFindings = { zone: 'II', stage: '2', plus: 'pre-plus' };
const zoneIIStage1: EyeFindings = { zone: 'II', stage: '1', plus: 'none' };
const type1: EyeFindings = { zone: 'I', stage: '3', plus: 'plus' };
const detached: EyeFindings = { zone: 'II', stage: '4A' };
const mature = { zone: 'III', stage: '0' } as const;

test('the visit takes the eye whose interval ends soonest', () => {
  const v = visitFollowUp(zoneIIStage1, zoneIIStage2);
  assert.equal(v.label, '1–2 weeks');
  assert.equal(v.eye, 'OS');
  assert.equal(v.rule, 'OS: Stage 2 ROP in zone II');
  assert.equal(v.od.label, '2 weeks');
  assert.equal(v.os.label, '1–2 weeks');
  // Same upper end: the earlier lower end is more urgent (2 weeks vs 1–2 weeks end on day 14).
  assert.equal(visitFollowUp(zoneIIStage2, zoneIIStage1).eye, 'OD');
});

test('treatment beats everything; detachment beats type 1; an undecided eye beats intervals', () => {
  assert.equal(visitFollowUp(zoneIIStage1, type1).interval, 'treat');
  assert.equal(visitFollowUp(zoneIIStage1, type1).eye, 'OS');
  assert.equal(visitFollowUp({}, type1).interval, 'treat');
  const both = visitFollowUp(type1, detached);
  assert.equal(both.eye, 'OS');
  assert.equal(both.label, 'urgent referral to a vitreoretinal surgeon');
  const undecided = visitFollowUp({ zone: 'I', stage: '2' }, zoneIIStage2);
  assert.equal(undecided.interval, 'incomplete');
  assert.equal(undecided.eye, 'OD');
});

test('discharge only when both eyes are discharged', () => {
  const context = { pmaDays: 40 * 7, previousZoneIOrIIRop: false };
  assert.equal(visitFollowUp(mature, zoneIIStage1, context).label, '2 weeks');
  const v = visitFollowUp(mature, mature, context);
  assert.equal(v.interval, 'discharge');
  assert.equal(v.eye, 'both');
  assert.match(v.rule, /^Zone III vascularisation attained/);
});

test('per-eye context overrides the shared one', () => {
  const v = visitFollowUp(mature, mature, {
    previousZoneIOrIIRop: false,
    pmaDays: 38 * 7,
    os: { previousZoneIOrIIRop: true },
  });
  assert.equal(v.eye, 'OS');
  assert.equal(v.label, '2–3 weeks');
  assert.equal(v.od.interval, 'discharge');
});

test('equal outcomes from different rows name both', () => {
  const v = visitFollowUp({ zone: 'II', stage: '0', plus: 'none' }, zoneIIStage1);
  assert.equal(v.eye, 'both');
  assert.equal(
    v.rule,
    'OD: Immature vascularisation in zone II, no ROP; OS: Stage 1 ROP in zone II',
  );
});

test('the next exam is due by the exam date plus the upper end of the interval', () => {
  const cases: [EyeFindings, string, string][] = [
    [{ zone: 'I', stage: '1', plus: 'none' }, '2026-12-28', '2027-01-04'], // 1 week or less, year end
    [zoneIIStage2, '2024-02-20', '2024-03-05'], // 1–2 weeks across a leap day
    [zoneIIStage2, '2025-02-20', '2025-03-06'], // the same without one
    [zoneIIStage1, '2026-01-31', '2026-02-14'], // 2 weeks
    [{ zone: 'III', stage: '2', plus: 'none' }, '2026-06-20', '2026-07-11'], // 2–3 weeks
  ];
  for (const [eye, exam, due] of cases) assert.equal(nextExamDate(exam, followUp(eye)), due);
  assert.equal(nextExamDate('2026-01-01', followUp(type1)), undefined);
  assert.equal(nextExamDate('2026-01-01', followUp({})), undefined);
  assert.equal(nextExamDate('2026-01-01', followUp({}, { fullyVascularised: true })), undefined);
  assert.throws(() => nextExamDate('2026-02-30', followUp(zoneIIStage1)), /not a calendar date/);
});

test('one eye in clinical words', () => {
  assert.equal(describeEye(zoneIIStage2), 'zone II stage 2, pre-plus');
  assert.equal(
    describeEye({ zone: 'posterior II', stage: '0', plus: 'none' }),
    'posterior zone II, no ROP',
  );
  assert.equal(
    describeEye({ zone: 'I', stage: '3', plus: 'plus', notch: true, stageClockHours: { 3: 5 } }),
    'zone I secondary to notch stage 3 (5 clock hours), plus disease',
  );
  assert.equal(describeEye({ zone: 'I', aRop: true }), 'zone I, stage not recorded, A-ROP');
  assert.equal(describeEye({ stage: '2' }), 'stage 2, zone not recorded');
  assert.equal(describeEye({ stage: '5A' }), 'stage 5A');
  assert.equal(
    describeEye({ zone: 'II', stage: '1', course: 'regressing' }),
    'zone II stage 1, regressing',
  );
  assert.equal(describeEye({ zone: 'II', stage: '1', course: 'acute' }), 'zone II stage 1');
  assert.equal(describeEye({}), 'zone and stage not recorded');
});

test('the summary line: both eyes and the outcome, in human words only', () => {
  const v = visitFollowUp(zoneIIStage2, zoneIIStage1);
  assert.equal(
    summaryLine(zoneIIStage2, zoneIIStage1, v),
    'OD zone II stage 2, pre-plus; OS zone II stage 1; next exam in 1–2 weeks',
  );
  assert.equal(
    summaryLine(type1, zoneIIStage1, visitFollowUp(type1, zoneIIStage1)),
    'OD zone I stage 3, plus disease; OS zone II stage 1; Type 1 ROP — treatment warranted',
  );
  const aRop: EyeFindings = { zone: 'posterior II', stage: '3', aRop: true };
  assert.equal(
    summaryLine(aRop, aRop, visitFollowUp(aRop, aRop)),
    'OD posterior zone II stage 3, A-ROP; OS posterior zone II stage 3, A-ROP; A-ROP — treatment warranted',
  );
  assert.equal(
    summaryLine(detached, type1, visitFollowUp(detached, type1)),
    'OD zone II stage 4A; OS zone I stage 3, plus disease; stage 4–5 ROP — urgent referral to a vitreoretinal surgeon',
  );
  assert.equal(
    summaryLine(
      mature,
      mature,
      visitFollowUp(mature, mature, { previousZoneIOrIIRop: false, pmaDays: 250 }),
    ),
    'OD zone III, no ROP; OS zone III, no ROP; screening may end (discharge criteria met)',
  );
  assert.equal(
    summaryLine({}, zoneIIStage1, visitFollowUp({}, zoneIIStage1)),
    'OD zone and stage not recorded; OS zone II stage 1; next exam not determined (findings incomplete)',
  );
  assert.equal(
    summaryLine(
      { zone: 'I', stage: '0' },
      { zone: 'I', stage: '0' },
      visitFollowUp({ zone: 'I', stage: '0' }, { zone: 'I', stage: '0' }),
    ),
    'OD zone I, no ROP; OS zone I, no ROP; next exam in 1 week or less',
  );
});
