/**
 * A candidate version beside the active one, on this site's signed cases (models.compare):
 * per field the number of cases, the agreement with the readers, κ (linear-weighted for an
 * ordered field), sensitivity/specificity and the Bland–Altman bias, for each version, so the
 * admin sees what changes before choosing.
 */
import type { OperationResult } from '../../../core/api/contract.ts';
import {
  headlineKappa,
  interval,
  num,
  proportion,
  type FieldAgreement,
} from '../validation/agreement-format.ts';

type Comparison = OperationResult<'models.compare'>;
type Side = Comparison['candidate'];

function cells(g: FieldAgreement | undefined) {
  if (!g) return ['—', '—', '—', '—'];
  const k = headlineKappa(g);
  const ss = g.sensitivitySpecificity;
  return [
    g.agreement ? proportion(g.agreement) : `n = ${g.n}`,
    k ? `${num(k.kappa)} (${interval(k.ci95)}) ${k.weighting}` : '—',
    ss ? `${num(ss.sensitivity.estimate)} / ${num(ss.specificity.estimate)}` : '—',
    g.blandAltman
      ? `${num(g.blandAltman.bias)} (${num(g.blandAltman.lower)} to ${num(g.blandAltman.upper)})`
      : '—',
  ];
}

export function ModelComparison({ comparison: c }: { comparison: Comparison }) {
  const sides: Side[] = c.active ? [c.active, c.candidate] : [c.candidate];
  const fields = [...new Set(sides.flatMap((s) => s.report.groups.map((g) => g.field)))].sort();
  return (
    <div className="model-comparison" data-testid="model-comparison">
      <p className="meta">
        {c.reports.length} signed report{c.reports.length === 1 ? '' : 's'} of this site
        {c.capped ? ` (the latest ${c.limit}; more qualify)` : ''}; each version ran on the same
        images as Run AI measurements would.
        {c.active ? '' : ' No version of this model is active: the candidate alone is shown.'}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Version</th>
            <th scope="col">Agreement</th>
            <th scope="col">κ</th>
            <th scope="col">Sens. / spec.</th>
            <th scope="col">Bias (limits)</th>
          </tr>
        </thead>
        <tbody>
          {fields.flatMap((field) =>
            sides.map((side, i) => (
              <tr key={`${field}@${side.version}`} data-version={side.version}>
                {i === 0 ? <th rowSpan={sides.length}>{field}</th> : null}
                <td>
                  {side.version} {side === c.candidate ? '(candidate)' : '(active)'}
                </td>
                {cells(side.report.groups.find((g) => g.field === field)).map((text, j) => (
                  <td key={j}>{text}</td>
                ))}
              </tr>
            )),
          )}
        </tbody>
      </table>
      {sides.flatMap((s) =>
        s.notes.slice(0, 5).map((n) => (
          <p key={`${s.version}${n}`} className="meta">
            {s.version}: {n}
          </p>
        )),
      )}
    </div>
  );
}
