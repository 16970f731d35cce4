/**
 * How the agreement numbers read on screen (the Validation panel and the model comparison):
 * three decimals, intervals as "0.412–0.871", a proportion as "x/n = p". Pure, so the panel
 * and its tests share it.
 */
import type { OperationResult } from '../../../core/api/contract.ts';

export type SiteValidation = OperationResult<'validation.report'>;
export type FieldAgreement = SiteValidation['groups'][number];
export type Proportion = NonNullable<FieldAgreement['agreement']>;

export const num = (v: number | null | undefined, digits = 3): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);

export const interval = (ci: [number, number] | null | undefined): string =>
  ci ? `${num(ci[0])}–${num(ci[1])}` : 'no CI';

export const proportion = (p: Proportion): string =>
  `${p.x}/${p.n} = ${num(p.estimate)} (95% CI ${interval(p.ci95)})`;

/** The κ a field is judged by: linear-weighted for an ordered field, else unweighted. */
export function headlineKappa(g: FieldAgreement) {
  return g.fieldKind === 'ordinal' ? g.kappa?.linear : g.kappa?.unweighted;
}

export function kindText(g: Pick<FieldAgreement, 'fieldKind' | 'categories'>): string {
  if (g.fieldKind === 'ordinal') return `ordinal (${g.categories?.join(' < ')})`;
  if (g.fieldKind === 'binary') return `yes/no (positive: ${g.categories?.[1] ?? 'yes'})`;
  return g.fieldKind;
}

/** The month test as the panel names it. */
export function monthTestText(settings: SiteValidation['settings']): string {
  const baseline =
    settings.monthBaseline === 'all-other-months' ? 'all other months' : 'the earlier months';
  return `A month is flagged when its agreement differs from ${baseline} pooled by a two-proportion z-test (two-sided, α = ${settings.alpha}).`;
}

/** "retina-…-OU@2" → the report id and the signed version. */
export function splitCaseId(caseId: string): { reportId: string; version: number } {
  const at = caseId.lastIndexOf('@');
  return { reportId: caseId.slice(0, at), version: Number(caseId.slice(at + 1)) };
}
