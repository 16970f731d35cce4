/**
 * Cohen's κ against published output and hand computation:
 *  - SAS PROC FREQ (AGREE option) on the 3×3 table [[0,4,1],[0,8,0],[0,1,5]], as printed
 *    in statsmodels' test suite (stats/tests/test_inter_rater.py): simple κ 0.4842,
 *    ASE 0.1380, 95% CI 0.2137–0.7547, ASE under H0 0.1484, Z 3.2626, two-sided p 0.0011;
 *    weighted κ (Cicchetti–Allison = linear weights) 0.4701, ASE 0.1457, CI 0.1845–0.7558,
 *    ASE under H0 0.1426, Z 3.2971, p 0.0010. SAS computes its ASE by Fleiss, Cohen &
 *    Everitt (1969), the formula used here.
 *  - R package irr, kappa2() on raters 2 and 3 of its `anxiety` data (20 subjects; level 5
 *    unused, so irr works on the 5 levels 1, 2, 3, 4, 6), values from the same test file.
 *  - Fleiss (1981) Statistical Methods for Rates and Proportions, 2nd ed., Table 13.1
 *    (psychiatric diagnoses of 100 patients by two raters): p_o = 0.89, p_e = 0.66, κ = 0.676.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementWeights, cohenKappa, contingencyTable } from './kappa.ts';

const close = (actual: number | null, expected: number, tolerance: number, what: string) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} vs ${expected}`,
  );

const SAS_TABLE = [
  [0, 4, 1],
  [0, 8, 0],
  [0, 1, 5],
];
const ABC = ['a', 'b', 'c'];

test('unweighted κ and its Fleiss–Cohen–Everitt SEs reproduce SAS PROC FREQ', () => {
  // By hand: n = 19, row margins 5, 8, 6; column margins 0, 13, 6.
  // p_o = (0 + 8 + 5)/19 = 13/19;  p_e = (5·0 + 8·13 + 6·6)/19² = 140/361;
  // κ = (13/19 − 140/361)/(1 − 140/361) = (247 − 140)/(361 − 140) = 107/221 = 0.48416.
  const r = cohenKappa(SAS_TABLE, ABC, 'unweighted');
  close(r.observed, 13 / 19, 1e-12, 'p_o');
  close(r.expected, 140 / 361, 1e-12, 'p_e');
  close(r.kappa, 107 / 221, 1e-12, 'κ');
  close(r.se, 0.138, 5e-5, 'ASE');
  close(r.ci95![0], 0.2137, 5e-5, 'CI low');
  close(r.ci95![1], 0.7547, 5e-5, 'CI high');
  close(r.seUnderNull, 0.1484, 5e-5, 'ASE under H0');
  close(r.z, 3.2626, 5e-5, 'Z');
  close(r.p, 0.0011, 5e-5, 'p');
});

test('linear-weighted κ reproduces SAS (Cicchetti–Allison weights 1, ½, 0)', () => {
  // By hand: weights w = 1 − |i − j|/2.
  // p_o = (4·½ + 8 + 1·½ + 5)/19 = 15.5/19;
  // p_e = [5·(13·½) + 8·(13 + 6·½) + 6·(13·½ + 6)]/361 = (32.5 + 128 + 75)/361 = 235.5/361;
  // κ_w = (15.5·19 − 235.5)/(361 − 235.5) = 59/125.5 = 0.47012.
  const r = cohenKappa(SAS_TABLE, ABC, 'linear');
  close(r.observed, 15.5 / 19, 1e-12, 'p_o');
  close(r.expected, 235.5 / 361, 1e-12, 'p_e');
  close(r.kappa, 59 / 125.5, 1e-12, 'κ_w');
  close(r.se, 0.1457, 5e-5, 'ASE');
  close(r.ci95![0], 0.1845, 5e-5, 'CI low');
  close(r.ci95![1], 0.7558, 5e-5, 'CI high');
  close(r.seUnderNull, 0.1426, 5e-5, 'ASE under H0');
  close(r.z, 3.2971, 5e-5, 'Z');
  close(r.p, 0.001, 5e-5, 'p');
});

test('κ and z for unweighted, linear ("equal") and quadratic ("squared") weights match R irr', () => {
  const rater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4].map(String);
  const rater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2].map(String);
  const levels = ['1', '2', '3', '4', '6'];
  const table = contingencyTable(rater2, rater3, levels);
  const expected = {
    unweighted: { kappa: -0.006289308, z: -0.0604067, p: 0.9518317 },
    linear: { kappa: 0.1459075, z: 1.282472, p: 0.1996772 },
    quadratic: { kappa: 0.2520325, z: 1.437451, p: 0.1505898 },
  } as const;
  for (const weighting of ['unweighted', 'linear', 'quadratic'] as const) {
    const r = cohenKappa(table, levels, weighting);
    close(r.kappa, expected[weighting].kappa, 1e-6, `${weighting} κ`);
    close(r.z, expected[weighting].z, 1e-5, `${weighting} z`);
    close(r.p, expected[weighting].p, 1e-6, `${weighting} p`);
  }
});

test('Fleiss 1981 Table 13.1: κ = 0.676 for the psychiatric diagnoses', () => {
  const table = [
    [75, 1, 4],
    [5, 4, 1],
    [0, 0, 10],
  ];
  const r = cohenKappa(table, ['psychotic', 'neurotic', 'organic']);
  close(r.observed, 0.89, 1e-12, 'p_o');
  close(r.expected, 0.66, 1e-12, 'p_e'); // 0.80·0.80 + 0.10·0.05 + 0.10·0.15
  close(r.kappa, 0.23 / 0.34, 1e-12, 'κ');
  assert.equal(r.kappa!.toFixed(3), '0.676');
});

test('quadratic κ equals 2·cov / (var₁ + var₂ + (mean₁ − mean₂)²) of the category ranks', () => {
  // Fleiss & Cohen (1973): with population moments the identity is exact.
  const first = [0, 1, 2, 2, 3, 1, 0, 3, 2, 1, 2, 3];
  const second = [0, 2, 2, 1, 3, 1, 1, 2, 2, 0, 3, 3];
  const n = first.length;
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / n;
  const [m1, m2] = [mean(first), mean(second)];
  const cov = first.reduce((s, x, i) => s + (x - m1) * (second[i]! - m2), 0) / n;
  const v1 = first.reduce((s, x) => s + (x - m1) ** 2, 0) / n;
  const v2 = second.reduce((s, x) => s + (x - m2) ** 2, 0) / n;
  const levels = ['0', '1', '2', '3'];
  const r = cohenKappa(
    contingencyTable(first.map(String), second.map(String), levels),
    levels,
    'quadratic',
  );
  close(r.kappa, (2 * cov) / (v1 + v2 + (m1 - m2) ** 2), 1e-12, 'κ_q');
});

test('weights: identity, linear and quadratic over 4 ordered categories', () => {
  assert.deepEqual(agreementWeights(3, 'unweighted'), [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ]);
  const row = (weighting: 'linear' | 'quadratic') =>
    agreementWeights(4, weighting)[0]!.map((w) => Number(w.toFixed(12)));
  assert.deepEqual(row('linear'), [1, 0.666666666667, 0.333333333333, 0]); // 1 − d/3
  assert.deepEqual(row('quadratic'), [1, 0.888888888889, 0.555555555556, 0]); // 1 − d²/9
});

test('perfect agreement gives κ = 1; one category only gives no κ rather than 0/0', () => {
  const perfect = cohenKappa(
    [
      [3, 0],
      [0, 2],
    ],
    ['no', 'yes'],
  );
  assert.equal(perfect.kappa, 1);
  assert.equal(perfect.se, 0);
  const single = cohenKappa(
    [
      [5, 0],
      [0, 0],
    ],
    ['no', 'yes'],
  );
  assert.equal(single.kappa, null);
  assert.equal(single.observed, 1);
  assert.equal(single.expected, 1);
});

test('a rating outside the categories is refused, naming it', () => {
  assert.throws(() => contingencyTable(['I', 'IV'], ['I', 'II'], ['I', 'II', 'III']), /"IV"/);
  assert.throws(() => contingencyTable(['I'], [], ['I']), RangeError);
  assert.throws(() => cohenKappa([[0]], ['I']), RangeError);
});
