/**
 * Agreement month by month, and the months whose agreement differs from the rest.
 *
 * What is compared: for month M, the proportion of M's cases where model and reader agree
 * (x_M / n_M) against the same proportion pooled over the baseline months (Σx / Σn), by
 * the pooled two-proportion z-test (two-sided). The baseline is either
 *  - 'all-other-months' (default): every other month in the report, before and after M —
 *    "is this month unlike the rest?"; or
 *  - 'earlier-months': the months before M only, the running total as it stood when M
 *    began — "did agreement change this month?"; the first month has no baseline.
 * A month is flagged when p < α (0.05 unless asked otherwise). Each month is tested on its
 * own, with no correction for testing many months: over 12 months of unchanged agreement
 * about 1 − 0.95¹² ≈ 46% of reports flag at least one month by chance, so a flag asks for a
 * look at that month's cases, not a conclusion. `smallExpectedCounts` marks tests whose
 * normal approximation is rough (an expected count below 5).
 */
import { twoProportionZTest, type TwoProportionTest } from './proportions.ts';

export type MonthBaseline = 'all-other-months' | 'earlier-months';

export interface MonthCase {
  id: string;
  month: string;
  /** null when agreement is not defined for the case (a continuous field without tolerance). */
  agree: boolean | null;
}

export interface MonthComparison {
  /** The months pooled as the baseline; their cases are listed under those months. */
  baselineMonths: string[];
  baselineN: number;
  baselineAgree: number;
  test: TwoProportionTest;
  flagged: boolean;
  /** Whether M's agreement is below or above the baseline's. */
  direction: 'lower' | 'higher' | 'same';
}

export interface MonthAgreement {
  month: string;
  n: number;
  caseIds: string[];
  /** Cases where model and reader agree; null when agreement is not defined for the field. */
  agree: number | null;
  agreeCaseIds: string[] | null;
  /** null for the first month under 'earlier-months', a single month, or no agreement defined. */
  comparison: MonthComparison | null;
}

export function monthlyAgreement(
  cases: readonly MonthCase[],
  baseline: MonthBaseline = 'all-other-months',
  alpha = 0.05,
): { months: MonthAgreement[]; flaggedMonths: string[] } {
  const byMonth = new Map<string, MonthCase[]>();
  for (const c of cases) byMonth.set(c.month, [...(byMonth.get(c.month) ?? []), c]);
  const defined = cases.length > 0 && cases.every((c) => c.agree !== null);
  const rows = [...byMonth.keys()].sort().map((month) => {
    const list = byMonth.get(month)!;
    const agreeing = defined ? list.filter((c) => c.agree) : null;
    return {
      month,
      n: list.length,
      caseIds: list.map((c) => c.id),
      agree: agreeing ? agreeing.length : null,
      agreeCaseIds: agreeing ? agreeing.map((c) => c.id) : null,
    };
  });
  const months: MonthAgreement[] = rows.map((row, index) => {
    const others = rows.filter((r, i) =>
      baseline === 'earlier-months' ? i < index : r.month !== row.month,
    );
    if (row.agree === null || others.length === 0) return { ...row, comparison: null };
    const baselineN = others.reduce((s, r) => s + r.n, 0);
    const baselineAgree = others.reduce((s, r) => s + r.agree!, 0);
    const test = twoProportionZTest(row.agree, row.n, baselineAgree, baselineN);
    return {
      ...row,
      comparison: {
        baselineMonths: others.map((r) => r.month),
        baselineN,
        baselineAgree,
        test,
        flagged: test.p < alpha,
        direction: test.p1 < test.p2 ? 'lower' : test.p1 > test.p2 ? 'higher' : 'same',
      },
    };
  });
  return { months, flaggedMonths: months.filter((m) => m.comparison?.flagged).map((m) => m.month) };
}
