/**
 * The site validation in words and in a table: the lines the CLI prints and the PDF draws,
 * and the CSV (one row per number, with the case ids behind it) a spreadsheet opens. Both are
 * built from the same numbers the Validation panel shows. Plain ASCII words ("kappa", "CI")
 * so the PDF's standard font draws every character.
 */
import type { FieldAgreement } from './agreement-report.ts';
import type { SiteValidation } from './site-validation.ts';

const f3 = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3);
const ci = (c: [number, number] | null | undefined) =>
  c ? `95% CI ${f3(c[0])} to ${f3(c[1])}` : 'no CI';

/** The month test, named, as the report states it. */
export function monthTestText(validation: Pick<SiteValidation, 'settings'>): string {
  const baseline =
    validation.settings.monthBaseline === 'all-other-months'
      ? 'all other months pooled'
      : 'all earlier months pooled';
  return `two-proportion z-test of the month's agreement against ${baseline}, two-sided, alpha ${validation.settings.alpha}`;
}

function kindText(g: FieldAgreement): string {
  if (g.fieldKind === 'ordinal') return `ordinal: ${g.categories?.join(' < ')}`;
  if (g.fieldKind === 'binary') return `binary, positive = ${g.categories?.[1] ?? 'true'}`;
  return g.fieldKind;
}

export function groupLines(g: FieldAgreement): string[] {
  const lines = [`${g.modelId} ${g.modelVersion} - ${g.field} (${kindText(g)}) - n = ${g.n}`];
  if (g.agreement)
    lines.push(
      `  agreement ${g.agreement.x}/${g.agreement.n} = ${f3(g.agreement.estimate)} (${ci(g.agreement.ci95)}, Wilson)`,
    );
  for (const k of Object.values(g.kappa ?? {}))
    lines.push(
      `  kappa ${k.weighting} ${f3(k.kappa)} (${ci(k.ci95)}; observed ${f3(k.observed)}, chance ${f3(k.expected)})`,
    );
  const table = g.kappa?.unweighted;
  if (table) {
    lines.push(`  counts (rows: model, columns: reader ${table.categories.join(' | ')})`);
    table.table.forEach((row, i) => lines.push(`    ${table.categories[i]}: ${row.join(' | ')}`));
  }
  const ss = g.sensitivitySpecificity;
  if (ss)
    lines.push(
      `  sensitivity ${ss.sensitivity.x}/${ss.sensitivity.n} = ${f3(ss.sensitivity.estimate)} (${ci(ss.sensitivity.ci95)}, Wilson); specificity ${ss.specificity.x}/${ss.specificity.n} = ${f3(ss.specificity.estimate)} (${ci(ss.specificity.ci95)}, Wilson)`,
    );
  if (g.auc)
    lines.push(
      `  ROC AUC ${f3(g.auc.auc)} (${ci(g.auc.ci95)}, DeLong; ${g.auc.nPositive} positive, ${g.auc.nNegative} negative)`,
    );
  const ba = g.blandAltman;
  if (ba)
    lines.push(
      `  Bland-Altman (model - reader): bias ${f3(ba.bias)} (${ci(ba.biasCi95)}), limits ${f3(ba.lower)} to ${f3(ba.upper)}`,
    );
  for (const m of g.months) {
    const test = m.comparison
      ? `, p = ${f3(m.comparison.test.p)}${m.comparison.flagged ? ` FLAGGED (${m.comparison.direction} than the baseline)` : ''}`
      : '';
    lines.push(
      `  month ${m.month}: n = ${m.n}${m.agree === null ? '' : `, agree ${m.agree}`}${test}`,
    );
  }
  lines.push(`  cases: ${g.caseIds.join(' ') || 'none'}`);
  for (const e of g.excluded) lines.push(`  not counted: ${e.caseId}: ${e.reason}`);
  for (const note of g.notes) lines.push(`  note: ${note}`);
  return lines;
}

export function validationLines(v: SiteValidation): string[] {
  const filters = [
    v.filters.model ? `model ${v.filters.model}` : '',
    v.filters.since ? `signed since ${v.filters.since}` : '',
    `domains ${v.filters.domains.join(', ')}`,
  ].filter(Boolean);
  const tolerances = Object.entries(v.settings.tolerances)
    .map(([field, t]) => `${field} ${t}`)
    .join(', ');
  const lines = [
    `Local validation: ${v.reports} signed report(s), latest signed versions (${filters.join('; ')})`,
    `Months: ${monthTestText(v)}`,
    `Continuous fields agree within: ${tolerances || 'no tolerance set'}`,
    '',
  ];
  if (!v.groups.length) lines.push('No signed report holds both a model value and a reader value.');
  for (const g of v.groups) lines.push(...groupLines(g), '');
  for (const u of v.unverified)
    lines.push(`NOT COUNTED: ${u.reportId} v${u.version}: ${u.code}: ${u.reason}`);
  return lines;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe (OWASP). */
function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_COLUMNS = [
  'model_id',
  'model_version',
  'field',
  'field_kind',
  'statistic',
  'estimate',
  'ci_low',
  'ci_high',
  'x',
  'n',
  'detail',
  'case_ids',
  'numerator_case_ids',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], unknown>>;

function groupRows(g: FieldAgreement): Row[] {
  const base = {
    model_id: g.modelId,
    model_version: g.modelVersion,
    field: g.field,
    field_kind: g.fieldKind,
  };
  const ids = (list: string[] | null | undefined) => (list ?? []).join(' ');
  const rows: Row[] = [{ ...base, statistic: 'cases', n: g.n, case_ids: ids(g.caseIds) }];
  const proportion = (
    statistic: string,
    p: NonNullable<FieldAgreement['agreement']>,
    detail: string,
  ) =>
    rows.push({
      ...base,
      statistic,
      estimate: p.estimate,
      ci_low: p.ci95?.[0],
      ci_high: p.ci95?.[1],
      x: p.x,
      n: p.n,
      detail,
      case_ids: ids(p.caseIds),
      numerator_case_ids: ids(p.numeratorCaseIds),
    });
  if (g.agreement) proportion('agreement', g.agreement, 'Wilson 95% CI');
  for (const k of Object.values(g.kappa ?? {})) {
    rows.push({
      ...base,
      statistic: `kappa_${k.weighting}`,
      estimate: k.kappa,
      ci_low: k.ci95?.[0],
      ci_high: k.ci95?.[1],
      n: k.n,
      detail: `observed ${k.observed}; chance ${k.expected}; p ${k.p ?? ''}`,
      case_ids: ids(k.caseIds),
    });
  }
  const table = g.kappa?.unweighted;
  table?.table.forEach((row, i) =>
    row.forEach((count, j) =>
      rows.push({
        ...base,
        statistic: 'count',
        x: count,
        n: table.n,
        detail: `model=${table.categories[i]}; reader=${table.categories[j]}`,
      }),
    ),
  );
  const ss = g.sensitivitySpecificity;
  if (ss) {
    proportion('sensitivity', ss.sensitivity, 'Wilson 95% CI; reader is the reference');
    proportion('specificity', ss.specificity, 'Wilson 95% CI; reader is the reference');
  }
  if (g.auc)
    rows.push({
      ...base,
      statistic: 'roc_auc',
      estimate: g.auc.auc,
      ci_low: g.auc.ci95?.[0],
      ci_high: g.auc.ci95?.[1],
      n: g.auc.nPositive + g.auc.nNegative,
      detail: `DeLong; ${g.auc.nPositive} positive, ${g.auc.nNegative} negative`,
      case_ids: ids(g.auc.caseIds),
    });
  const ba = g.blandAltman;
  if (ba)
    for (const [statistic, estimate, interval] of [
      ['bland_altman_bias', ba.bias, ba.biasCi95],
      ['bland_altman_lower', ba.lower, ba.lowerCi95],
      ['bland_altman_upper', ba.upper, ba.upperCi95],
    ] as const)
      rows.push({
        ...base,
        statistic,
        estimate,
        ci_low: interval?.[0],
        ci_high: interval?.[1],
        n: ba.n,
        detail: `model - reader; limits at ${ba.multiplier} SD`,
        case_ids: ids(ba.caseIds),
      });
  for (const m of g.months)
    rows.push({
      ...base,
      statistic: `month ${m.month}`,
      estimate: m.agree === null ? null : m.agree / m.n,
      x: m.agree,
      n: m.n,
      detail: m.comparison
        ? `two-proportion z-test p ${m.comparison.test.p}; ${m.comparison.flagged ? `FLAGGED, ${m.comparison.direction}` : 'not flagged'}`
        : '',
      case_ids: ids(m.caseIds),
      numerator_case_ids: ids(m.agreeCaseIds),
    });
  for (const e of g.excluded)
    rows.push({ ...base, statistic: 'not_counted', detail: e.reason, case_ids: e.caseId });
  return rows;
}

export function validationCsv(v: SiteValidation): string {
  const rows = v.groups.flatMap(groupRows);
  for (const u of v.unverified)
    rows.push({
      statistic: 'report_not_verified',
      detail: `${u.code}: ${u.reason}`,
      case_ids: `${u.reportId}@${u.version}`,
    });
  return (
    [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join(
      '\n',
    ) + '\n'
  );
}
