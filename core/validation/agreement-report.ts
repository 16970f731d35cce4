/**
 * How well each model version agrees with the readers, field by field, from the signed
 * reports: the statistic that suits the field's kind, the counts per month and the months
 * whose agreement stands out. Every number carries the case ids behind it, so a reviewer
 * can open the very reports it was computed from.
 *
 * Per group (model id × model version × field):
 *  - ordinal: Cohen's κ unweighted, linear- and quadratic-weighted over the ordered categories;
 *  - nominal: Cohen's κ;
 *  - binary: Cohen's κ, sensitivity and specificity of the model's call with the reader as
 *    the reference (Wilson CIs), and the ROC AUC of `aiScore` (DeLong CI) where given;
 *  - continuous: Bland–Altman of model − reader.
 * "Agreement" for the months is an exact match of the two values; for a continuous field it
 * is |model − reader| ≤ the field's tolerance, and without a tolerance there is none (the
 * months are counted, not tested). Formulas: kappa.ts, proportions.ts, roc.ts,
 * bland-altman.ts, monthly-drift.ts.
 */
import {
  binaryOf,
  caseIdOf,
  categoryOf,
  latestSignedVersions,
  monthOf,
  numberOf,
  type AgreementCase,
  type FieldKind,
  type Prepared,
} from './agreement-cases.ts';
import { blandAltman, type BlandAltman } from './bland-altman.ts';
import { cohenKappa, contingencyTable, type KappaResult, type KappaWeighting } from './kappa.ts';
import { monthlyAgreement, type MonthAgreement, type MonthBaseline } from './monthly-drift.ts';
import {
  sensitivitySpecificityOfDecisions,
  wilsonInterval,
  type ProportionWithCases,
  type SensitivitySpecificity,
} from './proportions.ts';
import { rocAuc, type RocAuc } from './roc.ts';

export type { AgreementCase, FieldKind, MonthAgreement, MonthBaseline };

export interface AgreementReportOptions {
  /** Continuous fields: the largest |model − reader| that still counts as agreement. */
  tolerances?: Record<string, number>;
  monthBaseline?: MonthBaseline;
  alpha?: number;
}

type WithCases<T> = T & { caseIds: string[] };

export interface FieldAgreement {
  modelId: string;
  modelVersion: string;
  field: string;
  fieldKind: FieldKind;
  categories?: string[];
  n: number;
  caseIds: string[];
  /** Exact agreement (continuous: within tolerance); null for continuous without tolerance. */
  agreement: ProportionWithCases | null;
  kappa?: Partial<Record<KappaWeighting, WithCases<KappaResult>>>;
  sensitivitySpecificity?: SensitivitySpecificity;
  /** Binary fields with scores: over the cases that have an `aiScore`, both reader classes present. */
  auc?: WithCases<RocAuc>;
  blandAltman?: WithCases<BlandAltman>;
  months: MonthAgreement[];
  flaggedMonths: string[];
  /** Cases of this group that could not be counted, and why. */
  excluded: { caseId: string; reason: string }[];
  notes: string[];
}

export interface AgreementReport {
  settings: { monthBaseline: MonthBaseline; alpha: number; tolerances: Record<string, number> };
  /** Earlier versions of amended reports: not counted anywhere. */
  superseded: string[];
  groups: FieldAgreement[];
}

interface Counted<T> {
  id: string;
  month: string;
  ai: T;
  reader: T;
  score?: number;
}

function prepare<T>(
  cases: AgreementCase[],
  read: (v: AgreementCase['ai']) => Prepared<T>,
  excluded: FieldAgreement['excluded'],
): Counted<T>[] {
  const counted: Counted<T>[] = [];
  for (const c of cases) {
    const id = caseIdOf(c);
    const month = monthOf(c.signedAt);
    const ai = read(c.ai);
    const reader = read(c.reader);
    if (!month) excluded.push({ caseId: id, reason: `signedAt "${c.signedAt}" is not a date` });
    else if (!ai.ok) excluded.push({ caseId: id, reason: `model value: ${ai.reason}` });
    else if (!reader.ok) excluded.push({ caseId: id, reason: `reader value: ${reader.reason}` });
    else counted.push({ id, month, ai: ai.value, reader: reader.value, score: c.aiScore });
  }
  return counted;
}

function kappas(
  counted: Counted<string>[],
  categories: string[],
  weightings: KappaWeighting[],
): FieldAgreement['kappa'] {
  const table = contingencyTable(
    counted.map((c) => c.ai),
    counted.map((c) => c.reader),
    categories,
  );
  const caseIds = counted.map((c) => c.id);
  return Object.fromEntries(
    weightings.map((w) => [w, { ...cohenKappa(table, categories, w), caseIds }]),
  );
}

function exactAgreement<T>(counted: Counted<T>[], agrees: (c: Counted<T>) => boolean) {
  const hits = counted.filter(agrees);
  return {
    ...wilsonInterval(hits.length, counted.length),
    caseIds: counted.map((c) => c.id),
    numeratorCaseIds: hits.map((c) => c.id),
  };
}

function binaryStatistics(counted: Counted<boolean>[], labels: string[], group: FieldAgreement) {
  group.kappa = kappas(
    counted.map((c) => ({ ...c, ai: labels[+c.ai]!, reader: labels[+c.reader]! })),
    labels,
    ['unweighted'],
  );
  group.sensitivitySpecificity = sensitivitySpecificityOfDecisions(
    counted.map((c) => ({ id: c.id, truth: c.reader, predicted: c.ai })),
  );
  const scored = counted.filter((c) => Number.isFinite(c.score));
  const positives = scored.filter((c) => c.reader);
  const negatives = scored.filter((c) => !c.reader);
  if (scored.length < counted.length)
    group.notes.push(
      `${counted.length - scored.length} of ${counted.length} cases have no aiScore`,
    );
  if (positives.length && negatives.length)
    group.auc = {
      ...rocAuc(
        positives.map((c) => c.score!),
        negatives.map((c) => c.score!),
      ),
      caseIds: scored.map((c) => c.id),
    };
  else if (scored.length) group.notes.push('no ROC AUC: the reader graded only one class');
}

function analyseGroup(cases: AgreementCase[], options: Required<AgreementReportOptions>) {
  const first = cases[0]!;
  const group: FieldAgreement = {
    modelId: first.modelId,
    modelVersion: first.modelVersion,
    field: first.field,
    fieldKind: first.fieldKind,
    ...(first.categories ? { categories: first.categories } : {}),
    n: 0,
    caseIds: [],
    agreement: null,
    months: [],
    flaggedMonths: [],
    excluded: [],
    notes: [],
  };
  const sameDefinition = (c: AgreementCase) =>
    c.fieldKind === first.fieldKind &&
    JSON.stringify(c.categories ?? null) === JSON.stringify(first.categories ?? null);
  for (const c of cases.filter((c) => !sameDefinition(c)))
    group.excluded.push({
      caseId: caseIdOf(c),
      reason: `field defined differently (${c.fieldKind}${c.categories ? `: ${c.categories.join(', ')}` : ''}) from the group's first case`,
    });
  const alike = cases.filter(sameDefinition);
  let monthCases: { id: string; month: string; agree: boolean | null }[] = [];

  if (first.fieldKind === 'ordinal' || first.fieldKind === 'nominal') {
    if (first.fieldKind === 'ordinal' && !first.categories?.length) {
      for (const c of alike)
        group.excluded.push({
          caseId: caseIdOf(c),
          reason: 'ordinal field without its ordered categories',
        });
      return group;
    }
    const counted = prepare(alike, (v) => categoryOf(v, first.categories), group.excluded);
    const categories =
      first.categories ?? [...new Set(counted.flatMap((c) => [c.ai, c.reader]))].sort();
    if (counted.length) {
      group.categories = categories;
      group.kappa = kappas(
        counted,
        categories,
        first.fieldKind === 'ordinal' ? ['unweighted', 'linear', 'quadratic'] : ['unweighted'],
      );
      group.agreement = exactAgreement(counted, (c) => c.ai === c.reader);
    }
    monthCases = counted.map((c) => ({ id: c.id, month: c.month, agree: c.ai === c.reader }));
  } else if (first.fieldKind === 'binary') {
    const counted = prepare(alike, (v) => binaryOf(v, first.categories), group.excluded);
    if (counted.length) {
      binaryStatistics(counted, first.categories ?? ['negative', 'positive'], group);
      group.agreement = exactAgreement(counted, (c) => c.ai === c.reader);
    }
    monthCases = counted.map((c) => ({ id: c.id, month: c.month, agree: c.ai === c.reader }));
  } else {
    const counted = prepare(alike, numberOf, group.excluded);
    const tolerance = options.tolerances[first.field];
    const within = (c: Counted<number>) => Math.abs(c.ai - c.reader) <= tolerance!;
    if (counted.length) {
      const pairs = counted.map((c) => ({ first: c.ai, second: c.reader }));
      group.blandAltman = { ...blandAltman(pairs), caseIds: counted.map((c) => c.id) };
      if (tolerance !== undefined) group.agreement = exactAgreement(counted, within);
    }
    if (tolerance === undefined)
      group.notes.push(`no tolerance for ${first.field}: months are counted, not tested`);
    monthCases = counted.map((c) => ({
      id: c.id,
      month: c.month,
      agree: tolerance === undefined ? null : within(c),
    }));
  }
  group.n = monthCases.length;
  group.caseIds = monthCases.map((c) => c.id);
  Object.assign(group, monthlyAgreement(monthCases, options.monthBaseline, options.alpha));
  return group;
}

export function agreementReport(
  cases: readonly AgreementCase[],
  options: AgreementReportOptions = {},
): AgreementReport {
  const settings = {
    monthBaseline: options.monthBaseline ?? 'all-other-months',
    alpha: options.alpha ?? 0.05,
    tolerances: options.tolerances ?? {},
  };
  const { cases: latest, superseded } = latestSignedVersions(cases);
  const groups = new Map<string, AgreementCase[]>();
  const seen = new Set<string>();
  const duplicates: { key: string; caseId: string }[] = [];
  for (const c of latest) {
    const key = JSON.stringify([c.modelId, c.modelVersion, c.field]);
    const caseKey = `${key}${caseIdOf(c)}`;
    if (seen.has(caseKey)) duplicates.push({ key, caseId: caseIdOf(c) });
    else groups.set(key, [...(groups.get(key) ?? []), c]);
    seen.add(caseKey);
  }
  const analysed = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => {
      const group = analyseGroup(list, { ...settings });
      for (const d of duplicates.filter((d) => d.key === key))
        group.excluded.push({
          caseId: d.caseId,
          reason: 'the same report, model and field twice: counted once',
        });
      return group;
    });
  return { settings, superseded, groups: analysed };
}
