/**
 * Cohen's κ between two raters (here: the model and the reader) on a categorical field,
 * unweighted or weighted for ordinal categories, with its large-sample standard error.
 *
 * Agreement weights on the ordered categories 0..k−1 (Cohen 1968):
 *   unweighted  w_ij = 1 if i = j else 0
 *   linear      w_ij = 1 − |i − j| / (k − 1)          (Cicchetti & Allison 1971; SAS's default)
 *   quadratic   w_ij = 1 − (i − j)² / (k − 1)²        (Fleiss & Cohen 1973)
 * With p_ij the cell proportions, p_i. and p_.j the margins:
 *   p_o = Σ w_ij p_ij,  p_e = Σ w_ij p_i. p_.j,  κ = (p_o − p_e) / (1 − p_e).
 *
 * Standard errors: Fleiss, Cohen & Everitt (1969), Psychol Bull 72:323, the large-sample
 * variances SAS PROC FREQ reports as "ASE". With w̄_i. = Σ_j p_.j w_ij and w̄_.j = Σ_i p_i. w_ij:
 *   var(κ)  = [Σ p_ij (w_ij − (w̄_i. + w̄_.j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²)
 *   var₀(κ) = [Σ p_i. p_.j (w_ij − (w̄_i. + w̄_.j))² − p_e²] / (n (1 − p_e)²)    (under κ = 0)
 * The 95% CI is κ ± 1.96·√var(κ) (Wald, clipped to [−1, 1]); the test of κ = 0 uses var₀.
 */
import { twoSidedNormalP, Z_95 } from './distributions.ts';

export type KappaWeighting = 'unweighted' | 'linear' | 'quadratic';

export interface KappaResult {
  weighting: KappaWeighting;
  n: number;
  categories: string[];
  /** Counts: rows = first rater (the model), columns = second rater (the reader). */
  table: number[][];
  /** Weighted observed and chance-expected agreement. */
  observed: number;
  expected: number;
  /** null when chance agreement is already 1 (both raters used one category only): κ is 0/0. */
  kappa: number | null;
  se: number | null;
  ci95: [number, number] | null;
  seUnderNull: number | null;
  /** κ / se₀ and its two-sided p-value, for the test of no agreement beyond chance. */
  z: number | null;
  p: number | null;
}

export function agreementWeights(k: number, weighting: KappaWeighting): number[][] {
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      if (weighting === 'unweighted' || k === 1) return i === j ? 1 : 0;
      const d = Math.abs(i - j) / (k - 1);
      return weighting === 'linear' ? 1 - d : 1 - d * d;
    }),
  );
}

/**
 * The k×k table of paired ratings. Throws on a value outside `categories`: a field's
 * category list is the product's vocabulary, so an unknown value is a defect upstream.
 */
export function contingencyTable(
  first: readonly string[],
  second: readonly string[],
  categories: readonly string[],
): number[][] {
  if (first.length !== second.length)
    throw new RangeError(`${first.length} first ratings but ${second.length} second ratings`);
  const index = new Map(categories.map((c, i) => [c, i]));
  const table = categories.map(() => categories.map(() => 0));
  first.forEach((a, t) => {
    const i = index.get(a);
    const j = index.get(second[t]!);
    if (i === undefined || j === undefined)
      throw new RangeError(
        `rating ${JSON.stringify(i === undefined ? a : second[t])} is not one of ${categories.join(', ')}`,
      );
    table[i]![j]!++;
  });
  return table;
}

export function cohenKappa(
  table: number[][],
  categories: string[],
  weighting: KappaWeighting = 'unweighted',
): KappaResult {
  const k = categories.length;
  const n = table.flat().reduce((s, c) => s + c, 0);
  if (n === 0) throw new RangeError('κ needs at least one rated pair');
  const w = agreementWeights(k, weighting);
  const p = table.map((row) => row.map((c) => c / n));
  const rows = p.map((row) => row.reduce((s, v) => s + v, 0));
  const cols = categories.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      observed += w[i]![j]! * p[i]![j]!;
      expected += w[i]![j]! * rows[i]! * cols[j]!;
    }
  const base = { weighting, n, categories, table, observed, expected };
  if (1 - expected < 1e-12)
    return { ...base, kappa: null, se: null, ci95: null, seUnderNull: null, z: null, p: null };

  const kappa = (observed - expected) / (1 - expected);
  const wRow = rows.map((_, i) => cols.reduce((s, pj, j) => s + pj * w[i]![j]!, 0));
  const wCol = cols.map((_, j) => rows.reduce((s, pi, i) => s + pi * w[i]![j]!, 0));
  let sum = 0;
  let sumNull = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const spread = wRow[i]! + wCol[j]!;
      sum += p[i]![j]! * (w[i]![j]! - spread * (1 - kappa)) ** 2;
      sumNull += rows[i]! * cols[j]! * (w[i]![j]! - spread) ** 2;
    }
  const denominator = n * (1 - expected) ** 2;
  const variance = Math.max(0, (sum - (kappa - expected * (1 - kappa)) ** 2) / denominator);
  const varianceNull = Math.max(0, (sumNull - expected ** 2) / denominator);
  const se = Math.sqrt(variance);
  const seUnderNull = Math.sqrt(varianceNull);
  const z = seUnderNull > 0 ? kappa / seUnderNull : null;
  return {
    ...base,
    kappa,
    se,
    ci95: [Math.max(-1, kappa - Z_95 * se), Math.min(1, kappa + Z_95 * se)],
    seUnderNull,
    z,
    p: z === null ? null : twoSidedNormalP(z),
  };
}
