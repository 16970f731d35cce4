/**
 * The distribution functions against standard statistical tables (Fisher & Yates; any
 * table of Student's t and of the normal distribution gives the same digits).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  normalCdf,
  studentTCdf,
  studentTQuantile,
  twoSidedNormalP,
  Z_95,
} from './distributions.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

test('standard normal: Φ(0) = 0.5, Φ(1) = 0.8413, Φ(1.96) = 0.975, Φ(−2.326) = 0.01', () => {
  close(normalCdf(0), 0.5, 1e-7, 'Φ(0)');
  close(normalCdf(1), 0.841345, 1e-6, 'Φ(1)');
  close(normalCdf(Z_95), 0.975, 1e-7, 'Φ(1.96)');
  close(normalCdf(-2.326348), 0.01, 1e-7, 'Φ(−2.326)');
  close(twoSidedNormalP(Z_95), 0.05, 1e-7, 'two-sided p at 1.96');
  close(twoSidedNormalP(-2.575829), 0.01, 1e-7, 'two-sided p at −2.576');
  assert.equal(twoSidedNormalP(0), 1);
});

test("Student's t 97.5th percentiles match the table for 1, 2, 5, 16, 30 and 200 df", () => {
  const table: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [5, 2.571],
    [16, 2.12],
    [30, 2.042],
    [200, 1.972],
  ];
  for (const [df, t] of table) close(studentTQuantile(0.975, df), t, 5e-4, `t(0.975, ${df})`);
  // Symmetry and the CDF at the quantile.
  close(studentTQuantile(0.025, 7), -studentTQuantile(0.975, 7), 1e-9, 'symmetry');
  close(studentTCdf(studentTQuantile(0.9, 4), 4), 0.9, 1e-10, 'CDF ∘ quantile');
  close(studentTCdf(0, 3), 0.5, 1e-12, 'median');
  // t with 1 df is Cauchy: P(T ≤ 1) = ½ + arctan(1)/π = 0.75 exactly.
  close(studentTCdf(1, 1), 0.75, 1e-10, 'Cauchy');
  assert.throws(() => studentTQuantile(1, 5), RangeError);
});
