/**
 * Local validation: how each model version agrees with this site's signed readings, field by
 * field (validation.report), with the cases behind every number — a case opens its exam. The
 * service decides what the user sees (a reader their domain's models, an admin all) and
 * counts only the latest signed version of each report that verifies.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '../../api/ApiProvider.tsx';
import { AgreementGroup, type CaseSelection } from './AgreementGroup.tsx';
import { monthTestText, splitCaseId, type SiteValidation } from './agreement-format.ts';

export function ValidationPanel({
  onClose,
  onOpenReport,
}: {
  onClose(): void;
  onOpenReport(reportId: string): void;
}) {
  const api = useApi();
  const [report, setReport] = useState<SiteValidation>();
  const [error, setError] = useState<string>();
  const [model, setModel] = useState('');
  const [since, setSince] = useState('');
  const [selection, setSelection] = useState<CaseSelection>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(undefined);
    api
      .call('validation.report', { ...(model ? { model } : {}), ...(since ? { since } : {}) })
      .then(
        (r) => {
          setReport(r);
          setSelection(undefined);
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setLoading(false));
  }, [api, model, since]);
  useEffect(() => void load(), [load]);

  const models = useMemo(
    () => [...new Set(report?.cases.map((c) => c.modelId) ?? [])].sort(),
    [report],
  );
  const caseRows = useMemo(() => {
    const byId = new Map<string, NonNullable<SiteValidation>['cases']>();
    for (const c of report?.cases ?? []) byId.set(c.caseId, [...(byId.get(c.caseId) ?? []), c]);
    return byId;
  }, [report]);

  return (
    <aside className="models-panel validation-panel" aria-label="Validation">
      <header>
        <h2>Validation: models against this site's signed readings</h2>
        <button type="button" onClick={onClose} aria-label="Close validation">
          ×
        </button>
      </header>
      <div className="validation-filters">
        <label>
          Model{' '}
          <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model">
            <option value="">all</option>
            {[...new Set([...models, ...(model ? [model] : [])])].map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Signed since{' '}
          <input
            type="date"
            value={since}
            onChange={(e) => setSince(e.target.value)}
            aria-label="Signed since"
          />
        </label>
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Computing…' : 'Recompute'}
        </button>
      </div>
      {error ? <p className="message-error">{error}</p> : null}
      {report ? (
        <>
          <p className="meta" data-testid="validation-summary">
            {report.reports} signed report{report.reports === 1 ? '' : 's'} (latest signed versions)
            · {report.filters.domains.join(' and ')} · {monthTestText(report.settings)} Continuous
            values agree within{' '}
            {Object.entries(report.settings.tolerances)
              .map(([field, t]) => `${field} ±${t}`)
              .join(', ')}
            .
          </p>
          {report.unverified.length ? (
            <div className="message-error">
              Not counted (they do not verify):{' '}
              {report.unverified.map((u) => (
                <div key={u.reportId}>
                  {u.reportId} v{u.version}: {u.reason} ({u.code})
                </div>
              ))}
            </div>
          ) : null}
          {!report.groups.length ? (
            <p className="empty">
              No signed report holds both a model value and a reader value
              {model ? ` for ${model}` : ''}. Run AI measurements, grade and sign: each signed
              report becomes evidence here.
            </p>
          ) : null}
          {selection ? (
            <section className="case-list" aria-label="Cases" data-testid="case-list">
              <h3>
                {selection.title}{' '}
                <button type="button" onClick={() => setSelection(undefined)}>
                  Close list
                </button>
              </h3>
              <ul>
                {selection.caseIds.map((caseId) => {
                  const { reportId, version } = splitCaseId(caseId);
                  const rows = caseRows.get(caseId) ?? [];
                  const row = rows.find((r) => r.field === selection.field);
                  return (
                    <li key={caseId}>
                      <button
                        type="button"
                        className="link"
                        onClick={() => onOpenReport(reportId)}
                        title="Open this exam"
                      >
                        {caseId}
                      </button>{' '}
                      <span className="meta">
                        v{version}
                        {row
                          ? ` · model ${String(row.ai)} · reader ${String(row.reader)} · signed ${row.signedAt.slice(0, 10)}`
                          : ''}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </section>
          ) : null}
          {report.groups.map((g) => (
            <AgreementGroup
              key={`${g.modelId}@${g.modelVersion}:${g.field}`}
              group={g}
              onCases={setSelection}
            />
          ))}
        </>
      ) : null}
    </aside>
  );
}
