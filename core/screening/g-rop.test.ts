import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays } from './calendar.ts';
import { gRopCriteria, type GRopInput, type WeightRecord } from './g-rop.ts';

const born = '2026-01-25'; // windows cross the month end
const onDay = (day: number, grams: number): WeightRecord => ({ date: addDays(born, day), grams });

/** Weights on every window boundary with the given gains; nothing else met. */
function infant(gains: [number, number, number], extra: Partial<GRopInput> = {}): GRopInput {
  return {
    birthDate: born,
    gaWeeks: 29,
    gaDays: 0,
    birthWeightGrams: 1200,
    hydrocephalus: false,
    weights: [
      onDay(10, 1100),
      onDay(19, 1100 + gains[0]),
      onDay(20, 1300),
      onDay(29, 1300 + gains[1]),
      onDay(30, 1600),
      onDay(39, 1600 + gains[2]),
    ],
    ...extra,
  };
}

function status(input: GRopInput, name: RegExp): string {
  const criterion = gRopCriteria(input).criteria.find((c) => name.test(c.name));
  assert.ok(criterion, `no criterion ${name}`);
  return criterion.status;
}

test('nothing met with every value just at its limit', () => {
  const r = gRopCriteria(infant([120, 180, 170], { gaWeeks: 28, birthWeightGrams: 1051 }));
  assert.equal(r.status, 'not indicated');
  assert.deepEqual(
    r.criteria.map((c) => c.status),
    ['not met', 'not met', 'not met', 'not met', 'not met', 'not met'],
  );
  assert.equal(r.rule, 'No G-ROP criterion met');
  assert.match(r.source, /JAMA Ophthalmol 2020;138\(1\):31–37/);
});

test('gestational age below 28 weeks: 27+6 met, 28+0 not', () => {
  assert.equal(
    status(infant([200, 200, 200], { gaWeeks: 27, gaDays: 6 }), /^Gestational age/),
    'met',
  );
  assert.equal(
    status(infant([200, 200, 200], { gaWeeks: 28, gaDays: 0 }), /^Gestational age/),
    'not met',
  );
  const ga = gRopCriteria(infant([200, 200, 200], { gaWeeks: 27, gaDays: 6 })).criteria[0]!;
  assert.deepEqual([ga.value, ga.threshold, ga.detail], [195, 196, '27+6 weeks']);
});

test('birth weight below 1051 g: 1050 met, 1051 not', () => {
  assert.equal(status(infant([200, 200, 200], { birthWeightGrams: 1050 }), /^Birth weight/), 'met');
  assert.equal(
    status(infant([200, 200, 200], { birthWeightGrams: 1051 }), /^Birth weight/),
    'not met',
  );
});

test('each weight-gain window at its boundary', () => {
  const windows: [RegExp, [number, number, number], [number, number, number]][] = [
    [/< 120 g between days 10 and 19/, [119, 200, 200], [120, 200, 200]],
    [/< 180 g between days 20 and 29/, [200, 179, 200], [200, 180, 200]],
    [/< 170 g between days 30 and 39/, [200, 200, 169], [200, 200, 170]],
  ];
  for (const [name, met, notMet] of windows) {
    assert.equal(status(infant(met), name), 'met', String(name));
    assert.equal(status(infant(notMet), name), 'not met', String(name));
    const r = gRopCriteria(infant(met));
    assert.equal(r.status, 'screen');
  }
  const first = gRopCriteria(infant([119, 200, 200])).criteria[2]!;
  assert.deepEqual([first.value, first.threshold], [119, 120]);
  assert.equal(first.detail, '119 g from day 10 (1100 g) to day 19 (1219 g)');
  assert.equal(
    gRopCriteria(infant([120, 200, 200])).criteria[2]!.detail,
    '120 g from day 10 (1100 g) to day 19 (1220 g), 120 g or more',
  );
});

test('a loss counts as a gain below the limit', () => {
  assert.equal(status(infant([-30, 200, 200]), /days 10 and 19/), 'met');
});

test('hydrocephalus: present met, absent not, unrecorded not assessable', () => {
  assert.equal(status(infant([200, 200, 200], { hydrocephalus: true }), /^Hydrocephalus/), 'met');
  assert.equal(
    status(infant([200, 200, 200], { hydrocephalus: false }), /^Hydrocephalus/),
    'not met',
  );
  assert.equal(
    status(infant([200, 200, 200], { hydrocephalus: undefined }), /^Hydrocephalus/),
    'not assessable',
  );
});

test('a missing boundary weight: the latest of the 3 days before stands in; none is not assessable', () => {
  const base = {
    birthDate: born,
    gaWeeks: 29,
    gaDays: 0,
    birthWeightGrams: 1200,
    hydrocephalus: false,
  };
  const window1 = (weights: WeightRecord[]) =>
    gRopCriteria({ ...base, weights }).criteria.find((c) => /days 10 and 19/.test(c.name))!;
  const standIn = window1([onDay(6, 1000), onDay(7, 1010), onDay(16, 1200)]);
  assert.equal(standIn.status, 'not met');
  assert.equal(standIn.detail, '190 g from day 7 (1010 g) to day 16 (1200 g), 120 g or more');
  const tooEarly = window1([onDay(6, 1000), onDay(15, 1100)]);
  assert.equal(tooEarly.status, 'not assessable');
  assert.equal(tooEarly.detail, 'No weight recorded on days 7–10 or days 16–19 of life');
  assert.equal(window1([onDay(10, 1000)]).detail, 'No weight recorded on days 16–19 of life');
  // A weight after the boundary day never stands in for it.
  assert.equal(window1([onDay(11, 1000), onDay(19, 1100)]).status, 'not assessable');
});

test('two weights on one day: the one listed last counts', () => {
  const input = infant([200, 200, 200]);
  input.weights.push(onDay(19, 1150));
  assert.equal(gRopCriteria(input).criteria[2]!.value, 50);
});

test('not assessable overall only when nothing is met and something is open', () => {
  const early = gRopCriteria({
    birthDate: born,
    gaWeeks: 29,
    gaDays: 0,
    birthWeightGrams: 1200,
    weights: [],
  });
  assert.equal(early.status, 'not assessable');
  assert.match(early.rule, /^No criterion met so far; not assessable: weight gain < 120 g/);
  const met = gRopCriteria({ birthDate: born, gaWeeks: 25, gaDays: 0, weights: [] });
  assert.equal(met.status, 'screen');
  assert.equal(met.rule, 'Screen: gestational age < 28 weeks');
  const missing = gRopCriteria({ birthDate: born, weights: [] }).criteria;
  assert.deepEqual(
    missing.slice(0, 2).map((c) => c.detail),
    ['Gestational age not recorded', 'Birth weight not recorded'],
  );
});

test('birth is day 0 of life; weights dated before birth are reported and unused', () => {
  const r = gRopCriteria({
    birthDate: '2024-02-20',
    gaWeeks: 29,
    gaDays: 0,
    birthWeightGrams: 1200,
    hydrocephalus: false,
    // Day 10 is 2024-03-01 (leap year), day 19 is 2024-03-10.
    weights: [
      { date: '2024-02-19', grams: 900 },
      { date: '2024-03-01', grams: 1150 },
      { date: '2024-03-10', grams: 1300 },
    ],
  });
  assert.equal(
    r.criteria[2]!.detail,
    '150 g from day 10 (1150 g) to day 19 (1300 g), 120 g or more',
  );
  assert.deepEqual(r.problems, [
    'Weight of 900 g on 2024-02-19 is dated before birth and was not used',
  ]);
  assert.throws(
    () => gRopCriteria({ birthDate: born, weights: [{ date: '2026-02-30', grams: 1 }] }),
    /Weight date/,
  );
});
