/**
 * Wilson intervals against Newcombe (1998) Stat Med 17:857, Table II, method 3 (score
 * interval without continuity correction) — 81/263: 0.2553–0.3662; 15/148: 0.0624–0.1605;
 * 0/20: 0–0.1611; 1/29: 0.0061–0.1718 — and against the chest-pneumonia card, whose
 * Wilson CIs were computed independently by the training code: sensitivity 388/390
 * 0.9815–0.9986, specificity 103/234 0.3780–0.5042.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  sensitivitySpecificity,
  sensitivitySpecificityOfDecisions,
  twoProportionZTest,
  wilsonInterval,
} from './proportions.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

test('Wilson score intervals reproduce Newcombe 1998 and the shipped model card', () => {
  const published: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [388, 390, 0.9815, 0.9986],
    [103, 234, 0.378, 0.5042],
  ];
  for (const [x, n, low, high] of published) {
    const { ci95, estimate } = wilsonInterval(x, n);
    close(estimate!, x / n, 1e-15, `${x}/${n}`);
    close(ci95![0], low, 5e-5, `${x}/${n} low`);
    close(ci95![1], high, 5e-5, `${x}/${n} high`);
  }
  assert.deepEqual(wilsonInterval(29, 29).ci95![1], 1);
  assert.deepEqual(wilsonInterval(0, 0), { x: 0, n: 0, estimate: null, ci95: null });
  assert.throws(() => wilsonInterval(3, 2), RangeError);
});

test('sensitivity and specificity at a threshold: a score equal to it is a positive call', () => {
  // Reader positives a, b, c (scores 0.9, 0.5, 0.2); negatives d, e (0.5, 0.1); threshold 0.5.
  // Calls: a+, b+ (equal to the threshold), c−, d+, e−.  Sensitivity 2/3, specificity 1/2.
  const r = sensitivitySpecificity(
    [
      { id: 'a', truth: true, score: 0.9 },
      { id: 'b', truth: true, score: 0.5 },
      { id: 'c', truth: true, score: 0.2 },
      { id: 'd', truth: false, score: 0.5 },
      { id: 'e', truth: false, score: 0.1 },
    ],
    0.5,
  );
  assert.equal(r.threshold, 0.5);
  assert.deepEqual(
    [r.sensitivity.x, r.sensitivity.n, r.sensitivity.caseIds, r.sensitivity.numeratorCaseIds],
    [2, 3, ['a', 'b', 'c'], ['a', 'b']],
  );
  assert.deepEqual(
    [r.specificity.x, r.specificity.n, r.specificity.caseIds, r.specificity.numeratorCaseIds],
    [1, 2, ['d', 'e'], ['e']],
  );
  assert.deepEqual(r.sensitivity.ci95, wilsonInterval(2, 3).ci95);
  const none = sensitivitySpecificityOfDecisions([{ id: 'x', truth: false, predicted: false }]);
  assert.equal(none.sensitivity.estimate, null);
  assert.equal(none.specificity.estimate, 1);
});

test('pooled two-proportion z-test, by hand and against the 2×2 chi-square', () => {
  // 40/50 = 0.80 vs 120/200 = 0.60; pooled 160/250 = 0.64;
  // SE = √(0.64·0.36·(1/50 + 1/200)) = √0.00576 = 0.075895; z = 0.20/0.075895 = 2.6352.
  // Pearson χ² of [[40,10],[120,80]] (expected 32, 18, 128, 72):
  // 64/32 + 64/18 + 64/128 + 64/72 = 6.9444 = z².  Two-sided p = 0.0084.
  const r = twoProportionZTest(40, 50, 120, 200);
  close(r.pooled, 0.64, 1e-12, 'pooled');
  close(r.z, 0.2 / Math.sqrt(0.00576), 1e-12, 'z');
  close(r.z ** 2, 2 + 64 / 18 + 0.5 + 64 / 72, 1e-9, 'z² = χ²');
  close(r.p, 0.0084, 5e-5, 'p');
  assert.equal(r.smallExpectedCounts, false); // smallest expected count 50·0.36 = 18
  const same = twoProportionZTest(7, 7, 30, 30);
  assert.deepEqual([same.z, same.p], [0, 1]);
  assert.equal(twoProportionZTest(1, 4, 20, 40).smallExpectedCounts, true);
  assert.throws(() => twoProportionZTest(0, 0, 1, 2), RangeError);
});
