/**
 * The agreement report on a small hand-checked set of signed reports: amended reports
 * counted once in their latest version, one group per model version and field, the
 * statistic of each field kind, months, and the case ids behind every number.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestSignedVersions, monthOf, type AgreementCase } from './agreement-cases.ts';
import { agreementReport } from './agreement-report.ts';

const close = (actual: number | null | undefined, expected: number, what: string) =>
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-12,
    `${what}: ${actual} vs ${expected}`,
  );

const PLUS = ['none', 'pre-plus', 'plus'];
const JAN = '2026-01-15T10:00:00.000Z';
const FEB = '2026-02-10T10:00:00.000Z';
const MAR = '2026-03-05T10:00:00.000Z';

function rop(
  reportId: string,
  version: number,
  signedAt: string,
  field: 'plus' | 'a_rop',
  ai: AgreementCase['ai'],
  reader: AgreementCase['reader'],
  aiScore?: number,
): AgreementCase {
  return {
    reportId,
    version,
    signedAt,
    modelId: 'rop-site',
    modelVersion: '0.1.0',
    field,
    fieldKind: field === 'plus' ? 'ordinal' : 'binary',
    categories: field === 'plus' ? PLUS : ['no', 'yes'],
    ai,
    reader,
    ...(aiScore !== undefined ? { aiScore } : {}),
  };
}

function tortuosity(
  reportId: string,
  signedAt: string,
  ai: number,
  reader: unknown,
): AgreementCase {
  return {
    reportId,
    version: 1,
    signedAt,
    modelId: 'retina-vessels',
    modelVersion: '0.2.0',
    field: 'tortuosity_index',
    fieldKind: 'continuous',
    ai,
    reader: reader as number,
  };
}

const cases: AgreementCase[] = [
  rop('r1', 1, JAN, 'plus', 'none', 'none'),
  rop('r1', 1, JAN, 'a_rop', 'no', 'no', 0.1),
  // r2 was amended in February; version 1 (with its a_rop case) no longer counts.
  rop('r2', 1, JAN, 'plus', 'pre-plus', 'none'),
  rop('r2', 1, JAN, 'a_rop', 'yes', 'no', 0.8),
  rop('r2', 2, FEB, 'plus', 'pre-plus', 'pre-plus'),
  rop('r3', 1, FEB, 'plus', 'plus', 'plus'),
  rop('r3', 1, FEB, 'plus', 'plus', 'plus'), // the same case twice
  rop('r3', 1, FEB, 'a_rop', 'yes', 'yes', 0.9),
  rop('r4', 1, FEB, 'plus', 'none', 'pre-plus'),
  rop('r4', 1, FEB, 'a_rop', 'no', 'yes', 0.4),
  rop('r5', 1, MAR, 'plus', 'plus', 'pre-plus'),
  rop('r5', 1, MAR, 'a_rop', 'yes', 'no', 0.6),
  rop('r6', 1, MAR, 'plus', null, 'plus'),
  rop('r7', 1, MAR, 'a_rop', 'maybe', 'no', 0.5),
  { ...rop('r8', 1, MAR, 'plus', 'plus', 'plus'), fieldKind: 'nominal' },
  rop('r9', 1, 'last Tuesday', 'plus', 'plus', 'plus'),
  tortuosity('r1', JAN, 1.1, 1.12),
  tortuosity('r3', FEB, 1.3, 1.2),
  tortuosity('r4', FEB, 1.05, 1.05),
  tortuosity('r5', MAR, 1.2, '1.2'),
];

const report = agreementReport(cases, { tolerances: { tortuosity_index: 0.05 } });
const group = (field: string) => report.groups.find((g) => g.field === field)!;

test('amended reports count in their latest version only, every field of the old one set aside', () => {
  assert.deepEqual(report.superseded, ['r2@1']);
  const latest = latestSignedVersions(cases).cases;
  assert.ok(latest.every((c) => !(c.reportId === 'r2' && c.version === 1)));
  assert.deepEqual(
    report.groups.map((g) => [g.modelId, g.modelVersion, g.field]),
    [
      ['retina-vessels', '0.2.0', 'tortuosity_index'],
      ['rop-site', '0.1.0', 'a_rop'],
      ['rop-site', '0.1.0', 'plus'],
    ],
  );
});

test('ordinal field: κ unweighted and linear by hand, exact agreement, months, exclusions', () => {
  const plus = group('plus');
  // Counted: r1@1 none/none, r2@2 pre/pre, r3@1 plus/plus, r4@1 none/pre, r5@1 plus/pre.
  assert.deepEqual(plus.caseIds, ['r1@1', 'r2@2', 'r3@1', 'r4@1', 'r5@1']);
  assert.equal(plus.n, 5);
  // Table (rows model, columns reader): [[1,1,0],[0,1,0],[0,1,1]]; margins model 2,1,2,
  // reader 1,3,1. p_o = 3/5, p_e = (2·1 + 1·3 + 2·1)/25 = 7/25, κ = (15 − 7)/(25 − 7) = 4/9.
  const k = plus.kappa!;
  assert.deepEqual(k.unweighted!.table, [
    [1, 1, 0],
    [0, 1, 0],
    [0, 1, 1],
  ]);
  close(k.unweighted!.kappa, 4 / 9, 'κ');
  // Linear weights (1, ½, 0): p_o = (1 + ½ + 1 + ½ + 1)/5 = 4/5;
  // p_e = [2·(1 + 1.5) + 1·(0.5 + 3 + 0.5) + 2·(1.5 + 1)]/25 = 14/25; κ_w = (20 − 14)/(25 − 14) = 6/11.
  close(k.linear!.kappa, 6 / 11, 'κ linear');
  assert.ok(k.quadratic);
  assert.deepEqual(k.linear!.caseIds, plus.caseIds);
  assert.deepEqual([plus.agreement!.x, plus.agreement!.n], [3, 5]);
  assert.deepEqual(plus.agreement!.numeratorCaseIds, ['r1@1', 'r2@2', 'r3@1']);
  assert.deepEqual(
    plus.months.map((m) => [m.month, m.n, m.agree, m.caseIds]),
    [
      ['2026-01', 1, 1, ['r1@1']],
      ['2026-02', 3, 2, ['r2@2', 'r3@1', 'r4@1']],
      ['2026-03', 1, 0, ['r5@1']],
    ],
  );
  assert.deepEqual(plus.flaggedMonths, []);
  assert.deepEqual(plus.excluded.map((e) => e.caseId).sort(), ['r3@1', 'r6@1', 'r8@1', 'r9@1']);
  const why = Object.fromEntries(plus.excluded.map((e) => [e.caseId, e.reason]));
  assert.match(why['r6@1']!, /model value: no value/);
  assert.match(why['r8@1']!, /defined differently \(nominal/);
  assert.match(why['r9@1']!, /not a date/);
  assert.match(why['r3@1']!, /counted once/);
});

test('binary field: κ, sensitivity and specificity against the reader, AUC of the scores', () => {
  const aRop = group('a_rop');
  // Counted: r1 no/no (0.1), r3 yes/yes (0.9), r4 no/yes (0.4), r5 yes/no (0.6); r7 "maybe" left out.
  assert.deepEqual(aRop.caseIds, ['r1@1', 'r3@1', 'r4@1', 'r5@1']);
  assert.match(aRop.excluded[0]!.reason, /"maybe" is not one of no, yes/);
  const { sensitivity, specificity } = aRop.sensitivitySpecificity!;
  assert.deepEqual(
    [sensitivity.x, sensitivity.n, sensitivity.caseIds, sensitivity.numeratorCaseIds],
    [1, 2, ['r3@1', 'r4@1'], ['r3@1']],
  );
  assert.deepEqual(
    [specificity.x, specificity.n, specificity.caseIds, specificity.numeratorCaseIds],
    [1, 2, ['r1@1', 'r5@1'], ['r1@1']],
  );
  // Table [[1,1],[1,1]]: p_o = p_e = 1/2, κ = 0.
  close(aRop.kappa!.unweighted!.kappa, 0, 'κ');
  // Reader positives score 0.9, 0.4; negatives 0.1, 0.6: 0.9 > both, 0.4 > 0.1 only → 3/4.
  close(aRop.auc!.auc, 0.75, 'AUC');
  assert.deepEqual(aRop.auc!.caseIds, aRop.caseIds);
});

test('continuous field: Bland–Altman of model − reader and agreement within the tolerance', () => {
  const t = group('tortuosity_index');
  assert.deepEqual(t.caseIds, ['r1@1', 'r3@1', 'r4@1']);
  assert.match(t.excluded[0]!.reason, /reader value: "1.2" is not a finite number/);
  // Differences −0.02, +0.10, 0: bias 0.08/3.
  close(t.blandAltman!.bias, (1.1 - 1.12 + (1.3 - 1.2) + 0) / 3, 'bias');
  assert.deepEqual(t.agreement!.numeratorCaseIds, ['r1@1', 'r4@1']); // |d| ≤ 0.05
  assert.deepEqual(
    t.months.map((m) => m.agree),
    [1, 1],
  );
});

test('a continuous field without a tolerance is measured, its months counted but not tested', () => {
  const t = agreementReport(cases).groups.find((g) => g.field === 'tortuosity_index')!;
  assert.equal(t.agreement, null);
  assert.ok(t.blandAltman);
  assert.deepEqual(
    t.months.map((m) => [m.n, m.agree, m.comparison]),
    [
      [1, null, null],
      [2, null, null],
    ],
  );
  assert.match(t.notes[0]!, /no tolerance/);
});

test('a month whose agreement drops is flagged, with the cases behind it', () => {
  const many: AgreementCase[] = [];
  const add = (month: string, n: number, agree: number) => {
    for (let i = 0; i < n; i++)
      many.push(
        rop(
          `${month}-${i}`,
          1,
          `${month}-10T08:00:00Z`,
          'plus',
          'none',
          i < agree ? 'none' : 'plus',
        ),
      );
  };
  add('2026-04', 30, 27);
  add('2026-05', 30, 28);
  add('2026-06', 30, 12);
  const r = agreementReport(many, { monthBaseline: 'earlier-months' });
  const plus = r.groups[0]!;
  assert.deepEqual(plus.flaggedMonths, ['2026-06']);
  const june = plus.months[2]!;
  assert.deepEqual([june.comparison!.baselineN, june.comparison!.baselineAgree], [60, 55]);
  assert.equal(june.agreeCaseIds!.length, 12);
  assert.equal(r.settings.monthBaseline, 'earlier-months');
});

test('the month is the UTC calendar month of the signing time', () => {
  assert.equal(monthOf('2026-02-01T00:30:00+01:00'), '2026-01');
  assert.equal(monthOf('2026-02-01T00:30:00Z'), '2026-02');
  assert.equal(monthOf('not a date'), undefined);
});

test('a nominal field takes the values seen as its categories; an ordinal one needs its order', () => {
  const base = { version: 1, signedAt: JAN, modelId: 'm', modelVersion: '1.0.0', field: 'f' };
  const nominal = agreementReport([
    { ...base, reportId: 'a', fieldKind: 'nominal', ai: 'x', reader: 'y' },
    { ...base, reportId: 'b', fieldKind: 'nominal', ai: 'y', reader: 'y' },
  ]).groups[0]!;
  assert.deepEqual(nominal.categories, ['x', 'y']);
  assert.deepEqual(Object.keys(nominal.kappa!), ['unweighted']);
  const ordinal = agreementReport([
    { ...base, reportId: 'a', fieldKind: 'ordinal', ai: 1, reader: 2 },
  ]).groups[0]!;
  assert.equal(ordinal.n, 0);
  assert.match(ordinal.excluded[0]!.reason, /ordinal field without its ordered categories/);
  // Numbers are read as the category they are written as: stage 3 → "3".
  const stage = agreementReport([
    {
      ...base,
      reportId: 'a',
      fieldKind: 'ordinal',
      categories: ['0', '1', '2', '3'],
      ai: 3,
      reader: '3',
    },
  ]).groups[0]!;
  assert.deepEqual([stage.agreement!.x, stage.agreement!.n], [1, 1]);
});
