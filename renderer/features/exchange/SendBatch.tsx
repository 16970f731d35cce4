/**
 * Sending a day's work: the worklist's exams of this site with a checkbox each, narrowed by a
 * from/to study date filter, then one signed batch of the ticked exams (optionally
 * de-identified; the pseudonyms stay here to re-identify the results that come back). The
 * open patient's exams start ticked, so sending the patient on screen stays one click.
 */
import { useEffect, useMemo, useState } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import { formatDate, type ExamEntry } from '../layouts/layout-props.ts';
import { examsInRange, sendableExams, ticked } from './batch-picker.ts';

export function SendBatch({
  instances,
  open,
  act,
  onPackage,
}: {
  instances: InstanceSummary[];
  open?: InstanceSummary;
  /** Runs an action and shows what it returns (or its error) in the panel. */
  act(action: () => Promise<string>): Promise<void>;
  onPackage(file: { bytes: Uint8Array; fileName: string }): void;
}) {
  const api = useApi();
  const [exams, setExams] = useState<ExamEntry[]>([]);
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [deidentify, setDeidentify] = useState(false);
  const [key, setKey] = useState('');
  useEffect(() => {
    api.call('worklist.exams', {}).then(
      (r) => setExams(r.exams),
      () => setExams([]),
    );
  }, [api, instances]);
  const rows = useMemo(() => sendableExams(exams, instances), [exams, instances]);
  // The open patient's exams are ticked once, when they first appear; later ticks are the user's.
  const openPatient = open?.patientId;
  const [seededFor, setSeededFor] = useState<string>();
  useEffect(() => {
    const own = rows.filter((r) => r.patientId === openPatient);
    if (!openPatient || seededFor === openPatient || !own.length) return;
    setSeededFor(openPatient);
    setChecked((was) => new Set([...was, ...own.map((r) => r.reportId)]));
  }, [rows, openPatient, seededFor]);
  const shown = useMemo(() => examsInRange(rows, range), [rows, range]);
  const picked = ticked(shown, checked);
  const toggle = (reportId: string, on: boolean) =>
    setChecked((was) => {
      const next = new Set(was);
      if (on) next.add(reportId);
      else next.delete(reportId);
      return next;
    });

  return (
    <form
      className="send-batch"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          const batch = await api.call('exchange.createBatch', {
            instanceIds: picked.instanceIds,
            ...(deidentify ? { deidentifyKey: key } : {}),
          });
          onPackage(batch);
          return `Package of ${batch.files} image(s) of ${batch.patients} patient(s) signed${batch.pseudonyms ? `, de-identified (${batch.pseudonyms} pseudonym(s) kept here)` : ''}.`;
        });
      }}
    >
      <div className="batch-range">
        <label>
          From{' '}
          <input
            type="date"
            aria-label="Study date from"
            value={range.from ?? ''}
            onChange={(e) => setRange((r) => ({ ...r, from: e.target.value || undefined }))}
          />
        </label>
        <label>
          to{' '}
          <input
            type="date"
            aria-label="Study date to"
            value={range.to ?? ''}
            onChange={(e) => setRange((r) => ({ ...r, to: e.target.value || undefined }))}
          />
        </label>
        <button
          type="button"
          onClick={() => setChecked((was) => new Set([...was, ...shown.map((r) => r.reportId)]))}
          disabled={!shown.length}
        >
          Tick all shown
        </button>
        <button type="button" onClick={() => setChecked(new Set())} disabled={!checked.size}>
          Clear
        </button>
      </div>
      <ul className="batch-exams" aria-label="Exams to send">
        {shown.map((r) => (
          <li key={r.reportId}>
            <label>
              <input
                type="checkbox"
                checked={checked.has(r.reportId)}
                onChange={(e) => toggle(r.reportId, e.target.checked)}
              />{' '}
              {formatDate(r.studyDate)} · <strong>{r.patientId}</strong> {r.patientName} ·{' '}
              {r.domain}
              {r.eyes.length ? ` ${r.eyes.join('+')}` : ''} · {r.instanceIds.length} image(s)
            </label>
          </li>
        ))}
        {!shown.length ? (
          <li className="hint">
            {rows.length ? 'No exam of this site in these dates.' : 'No exam of this site yet.'}
          </li>
        ) : null}
      </ul>
      <p data-testid="batch-picked">
        {picked.exams} exam(s) of {picked.patients} patient(s) ticked · {picked.instanceIds.length}{' '}
        image(s)
      </p>
      <label>
        <input
          type="checkbox"
          checked={deidentify}
          onChange={(e) => setDeidentify(e.target.checked)}
        />{' '}
        de-identify with the site key
      </label>
      <input
        type="password"
        placeholder="de-identification key (kept at this site)"
        aria-label="De-identification key"
        minLength={8}
        required={deidentify}
        value={key}
        onChange={(e) => setKey(e.target.value)}
      />
      <button type="submit" disabled={!picked.instanceIds.length}>
        Send batch
      </button>
    </form>
  );
}
