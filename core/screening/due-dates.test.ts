import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, dayNumber, daysBetween, weeksAndDays } from './calendar.ts';
import { birthFactsSchema, dueStatus, firstExamDue, screeningEligibility } from './due-dates.ts';

const born = '2026-03-01';

test('calendar dates: leap days, month and year ends, and what is not a date', () => {
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
  assert.equal(daysBetween('2100-02-28', '2100-03-01'), 1); // 2100 is not a leap year
  assert.equal(daysBetween('2000-02-28', '2000-03-01'), 2); // 2000 is
  for (const bad of [
    '2025-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '26-01-01',
    '20260101',
    '',
  ])
    assert.equal(dayNumber(bad), undefined, bad);
  assert.equal(weeksAndDays(213), '30+3 weeks');
});

test('eligible by birth weight 1500 g or less, whatever the gestational age', () => {
  const r = screeningEligibility({
    birthDate: born,
    gaWeeks: 34,
    gaDays: 0,
    birthWeightGrams: 1500,
  });
  assert.equal(r.status, 'screen');
  assert.equal(r.reason, 'Birth weight 1500 g (1500 g or less)');
  assert.match(r.source, /Pediatrics 2018;142\(6\):e20183061 — infants to be screened/);
  assert.equal(
    screeningEligibility({ birthDate: born, gaWeeks: 34, gaDays: 0, birthWeightGrams: 1501 })
      .status,
    'not indicated',
  );
});

test('eligible by gestational age 30 weeks or less, counted in completed weeks', () => {
  const at = (gaWeeks: number, gaDays: number) =>
    screeningEligibility({ birthDate: born, gaWeeks, gaDays, birthWeightGrams: 1800 });
  assert.equal(at(30, 0).status, 'screen');
  assert.equal(at(30, 6).status, 'screen');
  assert.equal(at(30, 6).reason, 'Gestational age 30+6 weeks (30 weeks or less)');
  assert.equal(at(31, 0).status, 'not indicated');
  assert.equal(
    at(31, 0).reason,
    'Birth weight 1800 g (over 1500 g) and gestational age 31+0 weeks (over 30 weeks), with no unstable clinical course recorded',
  );
});

test('beyond both limits, an unstable clinical course flagged by the clinician', () => {
  const unstable = (birthWeightGrams: number, gaWeeks: number) =>
    screeningEligibility({
      birthDate: born,
      gaWeeks,
      gaDays: 0,
      birthWeightGrams,
      unstableClinicalCourse: true,
    });
  assert.equal(unstable(1501, 31).status, 'screen');
  assert.match(unstable(1501, 31).reason, /birth weight 1501 g \(1501–2000 g\)/);
  assert.match(unstable(2000, 33).reason, /birth weight 2000 g \(1501–2000 g\)/);
  assert.match(unstable(2001, 33).reason, /gestational age 33\+0 weeks \(over 30 weeks\)/);
  assert.equal(
    screeningEligibility({
      birthDate: born,
      gaWeeks: 33,
      gaDays: 0,
      birthWeightGrams: 1700,
      unstableClinicalCourse: false,
    }).status,
    'not indicated',
  );
});

test('missing birth weight or gestational age: unknown unless the answer is already clear', () => {
  assert.equal(screeningEligibility({ birthDate: born, gaWeeks: 29, gaDays: 0 }).status, 'screen');
  assert.equal(screeningEligibility({ birthDate: born, birthWeightGrams: 1200 }).status, 'screen');
  const noWeight = screeningEligibility({ birthDate: born, gaWeeks: 32, gaDays: 0 });
  assert.deepEqual(
    [noWeight.status, noWeight.reason],
    ['unknown', 'The birth weight is not recorded'],
  );
  const noGa = screeningEligibility({ birthDate: born, birthWeightGrams: 1700 });
  assert.deepEqual([noGa.status, noGa.reason], ['unknown', 'The gestational age is not recorded']);
  assert.equal(
    screeningEligibility({ birthDate: born }).reason,
    'The birth weight and gestational age are not recorded',
  );
  assert.equal(
    screeningEligibility({ birthDate: born, unstableClinicalCourse: true }).status,
    'screen',
  );
});

test('birth facts schema bounds', () => {
  assert.equal(
    birthFactsSchema.safeParse({ birthDate: born, gaWeeks: 30, gaDays: 6 }).success,
    true,
  );
  assert.equal(
    birthFactsSchema.safeParse({ birthDate: born, gaWeeks: 30, gaDays: 7 }).success,
    false,
  );
  assert.equal(birthFactsSchema.safeParse({ birthDate: '1/3/2026' }).success, false);
});

/** The statement's Table 1: GA at birth (weeks) → PMA and chronological age at the first exam. */
const TABLE_1: [number, number, number][] = [
  [22, 31, 9],
  [23, 31, 8],
  [24, 31, 7],
  [25, 31, 6],
  [26, 31, 5],
  [27, 31, 4],
  [28, 32, 4],
  [29, 33, 4],
  [30, 34, 4],
];

test('every row of Table 1: first exam at the later of 31 weeks PMA and 4 weeks of age', () => {
  for (const [ga, pmaWeeks, ageWeeks] of TABLE_1) {
    const due = firstExamDue({ birthDate: born, gaWeeks: ga, gaDays: 0 });
    assert.equal(due.pmaDays, pmaWeeks * 7, `GA ${ga}`);
    assert.equal(due.chronologicalAgeDays, ageWeeks * 7, `GA ${ga}`);
    assert.equal(due.dueDate, addDays(born, ageWeeks * 7), `GA ${ga}`);
  }
  assert.match(firstExamDue({ birthDate: born, gaWeeks: 26, gaDays: 0 }).source, /Table 1/);
});

test('the basis flips at 27+0 weeks; days of gestation count', () => {
  const at = (gaWeeks: number, gaDays: number) =>
    firstExamDue({ birthDate: born, gaWeeks, gaDays });
  assert.deepEqual([at(26, 6).basis, at(26, 6).chronologicalAgeDays], ['31 weeks PMA', 29]);
  assert.deepEqual([at(27, 0).basis, at(27, 0).chronologicalAgeDays], ['both', 28]);
  assert.deepEqual(
    [at(27, 1).basis, at(27, 1).chronologicalAgeDays, at(27, 1).pmaDays],
    ['4 weeks chronological age', 28, 218],
  );
  assert.equal(at(33, 2).chronologicalAgeDays, 28);
  assert.equal(
    at(26, 6).rule,
    'First exam at 31+0 weeks PMA, 29 days after birth: the later of 31 weeks PMA and 4 weeks of age',
  );
});

test('first exam dates across month ends, year ends and leap days', () => {
  assert.equal(
    firstExamDue({ birthDate: '2024-02-01', gaWeeks: 24, gaDays: 0 }).dueDate,
    '2024-03-21',
  );
  assert.equal(
    firstExamDue({ birthDate: '2025-02-01', gaWeeks: 24, gaDays: 0 }).dueDate,
    '2025-03-22',
  );
  assert.equal(
    firstExamDue({ birthDate: '2025-12-10', gaWeeks: 30, gaDays: 0 }).dueDate,
    '2026-01-07',
  );
  assert.equal(
    firstExamDue({ birthDate: '2024-01-31', gaWeeks: 29, gaDays: 3 }).dueDate,
    '2024-02-28',
  );
  assert.equal(
    firstExamDue({ birthDate: '2024-02-29', gaWeeks: 28, gaDays: 0 }).dueDate,
    '2024-03-28',
  );
  assert.throws(() => firstExamDue({ birthDate: '2023-02-29', gaWeeks: 28, gaDays: 0 }), {
    name: 'RangeError',
    message: 'Birth date "2023-02-29" is not a calendar date (YYYY-MM-DD)',
  });
});

test('due status against today', () => {
  assert.deepEqual(dueStatus('2026-03-10', '2026-03-10'), {
    status: 'due today',
    days: 0,
    label: 'due today',
  });
  assert.deepEqual(dueStatus('2026-03-10', '2026-03-09'), {
    status: 'due later',
    days: 1,
    label: 'due in 1 day',
  });
  assert.deepEqual(dueStatus('2026-03-10', '2026-03-11'), {
    status: 'overdue',
    days: 1,
    label: 'overdue by 1 day',
  });
  assert.deepEqual(dueStatus('2027-01-02', '2026-12-30'), {
    status: 'due later',
    days: 3,
    label: 'due in 3 days',
  });
  assert.deepEqual(dueStatus('2024-02-28', '2024-03-01'), {
    status: 'overdue',
    days: 2,
    label: 'overdue by 2 days',
  });
  assert.deepEqual(dueStatus('2025-02-28', '2025-03-01').days, 1);
  assert.throws(() => dueStatus('2026-03-10', 'today'), /Today "today" is not a calendar date/);
});
