/**
 * Proportions with honest intervals: the Wilson score interval (Wilson 1927; method 3 of
 * Newcombe 1998, Stat Med 17:857), which stays inside [0, 1] and keeps its coverage near
 * 0 and 1 where the Wald interval collapses; sensitivity and specificity at a decision
 * threshold; and the pooled two-proportion z-test.
 */
import { twoSidedNormalP, Z_95 } from './distributions.ts';

export interface Proportion {
  x: number;
  n: number;
  /** x / n; null when n = 0. */
  estimate: number | null;
  ci95: [number, number] | null;
}

/**
 * Wilson score interval for x successes in n trials:
 *   (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),  z = 1.96 for 95%.
 */
export function wilsonInterval(x: number, n: number, z = Z_95): Proportion {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || x > n)
    throw new RangeError(`${x} of ${n} is not a count of successes`);
  if (n === 0) return { x, n, estimate: null, ci95: null };
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At x = 0 or x = n one bound is exactly 0 or 1; rounding must not push it past.
  return {
    x,
    n,
    estimate: p,
    ci95: [x === 0 ? 0 : Math.max(0, centre - half), x === n ? 1 : Math.min(1, centre + half)],
  };
}

export interface DecisionCase {
  id: string;
  /** The reference standard (in agreement monitoring: the reader). */
  truth: boolean;
  /** The test's call (in agreement monitoring: the model). */
  predicted: boolean;
}

export interface ProportionWithCases extends Proportion {
  /** The cases in the denominator and those in the numerator. */
  caseIds: string[];
  numeratorCaseIds: string[];
}

export interface SensitivitySpecificity {
  /** TP / (TP + FN): among reference-positive cases, the share the test calls positive. */
  sensitivity: ProportionWithCases;
  /** TN / (TN + FP): among reference-negative cases, the share the test calls negative. */
  specificity: ProportionWithCases;
}

function withCases(all: DecisionCase[], hit: (c: DecisionCase) => boolean): ProportionWithCases {
  const hits = all.filter(hit);
  return {
    ...wilsonInterval(hits.length, all.length),
    caseIds: all.map((c) => c.id),
    numeratorCaseIds: hits.map((c) => c.id),
  };
}

export function sensitivitySpecificityOfDecisions(cases: DecisionCase[]): SensitivitySpecificity {
  return {
    sensitivity: withCases(
      cases.filter((c) => c.truth),
      (c) => c.predicted,
    ),
    specificity: withCases(
      cases.filter((c) => !c.truth),
      (c) => !c.predicted,
    ),
  };
}

/**
 * Sensitivity and specificity when a score at or above `threshold` is a positive call
 * (the rule the model packages' thresholds follow, core/inference/portable/interpret.ts).
 */
export function sensitivitySpecificity(
  cases: { id: string; truth: boolean; score: number }[],
  threshold: number,
): SensitivitySpecificity & { threshold: number } {
  return {
    threshold,
    ...sensitivitySpecificityOfDecisions(
      cases.map((c) => ({ id: c.id, truth: c.truth, predicted: c.score >= threshold })),
    ),
  };
}

export interface TwoProportionTest {
  p1: number;
  p2: number;
  /** (x1 + x2) / (n1 + n2): the common proportion under the null hypothesis p1 = p2. */
  pooled: number;
  z: number;
  /** Two-sided. */
  p: number;
  /**
   * An expected count (n·pooled or n·(1 − pooled), either sample) below 5: the normal
   * approximation is rough and the p-value should be read with care.
   */
  smallExpectedCounts: boolean;
}

/**
 * Pooled two-proportion z-test of p1 = p2:
 *   z = (p̂1 − p̂2) / √(p̄(1 − p̄)(1/n1 + 1/n2)),  p̄ = (x1 + x2)/(n1 + n2).
 * When p̄ is 0 or 1 both samples are identical (all successes or none): z = 0, p = 1.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): TwoProportionTest {
  if (n1 <= 0 || n2 <= 0) throw new RangeError('both samples need at least one case');
  if (x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2) throw new RangeError('counts exceed their samples');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  const z = variance > 0 ? (p1 - p2) / Math.sqrt(variance) : 0;
  const smallExpectedCounts = [n1, n2].some((n) => Math.min(n * pooled, n * (1 - pooled)) < 5);
  return { p1, p2, pooled, z, p: variance > 0 ? twoSidedNormalP(z) : 1, smallExpectedCounts };
}
