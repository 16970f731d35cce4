/**
 * Month-by-month agreement and its flags, on a hand-made series: January 18 of 20 cases
 * agree, February 17 of 20, March 8 of 20.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthlyAgreement, type MonthCase } from './monthly-drift.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

function month(name: string, n: number, agree: number): MonthCase[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${name}-${i}`,
    month: name,
    agree: i < agree,
  }));
}
// Shuffled on purpose: months are ordered by name, not by arrival.
const series = [
  ...month('2026-03', 20, 8),
  ...month('2026-01', 20, 18),
  ...month('2026-02', 20, 17),
];

test('each month against all the other months', () => {
  const { months, flaggedMonths } = monthlyAgreement(series);
  assert.deepEqual(
    months.map((m) => [m.month, m.n, m.agree]),
    [
      ['2026-01', 20, 18],
      ['2026-02', 20, 17],
      ['2026-03', 20, 8],
    ],
  );
  // March 8/20 = 0.40 vs January + February 35/40 = 0.875; pooled 43/60;
  // SE = √(43/60 · 17/60 · (1/20 + 1/40)) = 0.123408; z = −0.475/0.123408 = −3.849, p = 0.00012.
  const march = months[2]!.comparison!;
  assert.deepEqual(
    [march.baselineMonths, march.baselineN, march.baselineAgree],
    [['2026-01', '2026-02'], 40, 35],
  );
  close(march.test.z, -0.475 / Math.sqrt((43 / 60) * (17 / 60) * 0.075), 1e-12, 'March z');
  close(march.test.p, 0.00012, 1e-5, 'March p');
  assert.equal(march.direction, 'lower');
  // January 18/20 = 0.90 vs 25/40 = 0.625: z = 0.275/0.123408 = 2.228, p = 0.026 — flagged
  // as higher, because the bad March drags its baseline down. February 0.85 vs 0.65:
  // z = 1.621, p = 0.105, not flagged.
  close(months[0]!.comparison!.test.z, 0.275 / 0.123408, 1e-4, 'January z');
  assert.equal(months[0]!.comparison!.direction, 'higher');
  assert.equal(months[1]!.comparison!.flagged, false);
  assert.deepEqual(flaggedMonths, ['2026-01', '2026-03']);
  assert.deepEqual(
    months[2]!.agreeCaseIds,
    [...Array(8).keys()].map((i) => `2026-03-${i}`),
  );
});

test('each month against the running total of the months before it', () => {
  const { months, flaggedMonths } = monthlyAgreement(series, 'earlier-months');
  assert.equal(months[0]!.comparison, null); // January has nothing before it
  // February 17/20 vs January 18/20: pooled 35/40; SE = √(0.875·0.125·0.1) = 0.104583;
  // z = −0.05/0.104583 = −0.478, p = 0.63.
  const february = months[1]!.comparison!;
  assert.deepEqual(february.baselineMonths, ['2026-01']);
  close(february.test.z, -0.05 / Math.sqrt(0.875 * 0.125 * 0.1), 1e-12, 'February z');
  assert.equal(february.flagged, false);
  assert.deepEqual(flaggedMonths, ['2026-03']);
});

test('α is a setting; one month or undefined agreement is counted but not tested', () => {
  assert.deepEqual(monthlyAgreement(series, 'all-other-months', 0.001).flaggedMonths, ['2026-03']);
  const single = monthlyAgreement(month('2026-05', 3, 2));
  assert.equal(single.months[0]!.comparison, null);
  const uncounted = monthlyAgreement([
    { id: 'a', month: '2026-01', agree: null },
    { id: 'b', month: '2026-02', agree: null },
  ]);
  assert.deepEqual(
    uncounted.months.map((m) => [m.n, m.agree, m.comparison]),
    [
      [1, null, null],
      [1, null, null],
    ],
  );
});
