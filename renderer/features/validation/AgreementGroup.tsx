/**
 * One model version × field of the validation report: every statistic of its kind with the
 * button that lists the cases behind it, the model-by-reader counts, and the months with the
 * ones that stand out flagged.
 */
import type { ReactNode } from 'react';
import {
  headlineKappa,
  interval,
  kindText,
  num,
  proportion,
  type FieldAgreement,
} from './agreement-format.ts';

export interface CaseSelection {
  title: string;
  /** The field whose values the list shows beside each case. */
  field: string;
  caseIds: string[];
}

function Stat({
  name,
  field,
  testId,
  value,
  caseIds,
  title,
  onCases,
}: {
  name: string;
  field: string;
  testId: string;
  value: ReactNode;
  caseIds: string[];
  title: string;
  onCases(selection: CaseSelection): void;
}) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td data-testid={testId}>{value}</td>
      <td>
        <button type="button" className="link" onClick={() => onCases({ title, field, caseIds })}>
          {caseIds.length} case{caseIds.length === 1 ? '' : 's'}
        </button>
      </td>
    </tr>
  );
}

export function AgreementGroup({
  group: g,
  onCases,
}: {
  group: FieldAgreement;
  onCases(selection: CaseSelection): void;
}) {
  const label = `${g.modelId} ${g.modelVersion} · ${g.field}`;
  const stat = (name: string, testId: string, value: ReactNode, caseIds: string[]) => (
    <Stat
      key={testId}
      name={name}
      field={g.field}
      testId={testId}
      value={value}
      caseIds={caseIds}
      title={`${label}: ${name}`}
      onCases={onCases}
    />
  );
  const counts = g.kappa?.unweighted;
  return (
    <section
      className="agreement-group"
      data-testid="validation-group"
      data-model-version={g.modelVersion}
      data-field={g.field}
    >
      <h3>
        <code>{label}</code> <span className="meta">{kindText(g)}</span> · n = {g.n}
      </h3>
      <table className="agreement-stats">
        <tbody>
          {g.agreement
            ? stat('Agreement', 'agreement', proportion(g.agreement), g.agreement.caseIds)
            : null}
          {Object.values(g.kappa ?? {}).map((k) =>
            stat(
              `κ ${k.weighting}${k === headlineKappa(g) ? ' (headline)' : ''}`,
              `kappa-${k.weighting}`,
              `${num(k.kappa)} (95% CI ${interval(k.ci95)})`,
              k.caseIds,
            ),
          )}
          {g.sensitivitySpecificity
            ? [
                stat(
                  'Sensitivity',
                  'sensitivity',
                  proportion(g.sensitivitySpecificity.sensitivity),
                  g.sensitivitySpecificity.sensitivity.caseIds,
                ),
                stat(
                  'Specificity',
                  'specificity',
                  proportion(g.sensitivitySpecificity.specificity),
                  g.sensitivitySpecificity.specificity.caseIds,
                ),
              ]
            : null}
          {g.auc
            ? stat(
                'ROC AUC',
                'auc',
                `${num(g.auc.auc)} (95% CI ${interval(g.auc.ci95)}, DeLong; ${g.auc.nPositive} positive, ${g.auc.nNegative} negative)`,
                g.auc.caseIds,
              )
            : null}
          {g.blandAltman
            ? stat(
                'Bland–Altman (model − reader)',
                'bland-altman',
                `bias ${num(g.blandAltman.bias)} (95% CI ${interval(g.blandAltman.biasCi95)}), limits ${num(g.blandAltman.lower)} to ${num(g.blandAltman.upper)}`,
                g.blandAltman.caseIds,
              )
            : null}
        </tbody>
      </table>
      {counts ? (
        <table className="confusion" data-testid="confusion">
          <caption>Counts: rows the model, columns the reader</caption>
          <thead>
            <tr>
              <th />
              {counts.categories.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {counts.table.map((row, i) => (
              <tr key={counts.categories[i]}>
                <th scope="row">{counts.categories[i]}</th>
                {row.map((n, j) => (
                  <td key={j} className={i === j ? 'diagonal' : undefined}>
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <table className="months">
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">n</th>
            <th scope="col">Agree</th>
            <th scope="col">p</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {g.months.map((m) => (
            <tr key={m.month} className={m.comparison?.flagged ? 'flagged' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    onCases({ title: `${label}: ${m.month}`, field: g.field, caseIds: m.caseIds })
                  }
                >
                  {m.month}
                </button>
              </th>
              <td>{m.n}</td>
              <td>{m.agree ?? '—'}</td>
              <td>{m.comparison ? num(m.comparison.test.p) : '—'}</td>
              <td>{m.comparison?.flagged ? `flagged: ${m.comparison.direction}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {g.excluded.length ? (
        <p className="meta">
          Not counted:{' '}
          {g.excluded.map((e) => (
            <span key={`${e.caseId}${e.reason}`}>
              {e.caseId} ({e.reason}){' '}
            </span>
          ))}
        </p>
      ) : null}
      {g.notes.map((n) => (
        <p key={n} className="meta">
          {n}
        </p>
      ))}
    </section>
  );
}
