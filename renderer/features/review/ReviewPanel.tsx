/**
 * The report for the open exam: the domain's grading form, each field with the AI value
 * (and the model behind it) beside the reader's own; "Accept" copies the AI value, any
 * other choice corrects it. Signing asks for the password again; a signed report is
 * read-only, downloadable as PDF or DICOM SR, and can only be amended as a new version.
 */
import { useCallback, useEffect, useState } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import type { ApiClient } from '../../api/client.ts';
import { TrajectoryPanel } from './TrajectoryPanel.tsx';

type Draft = OperationResult<'review.open'>;
type FieldSpec = Draft['form'][number];

function download(bytes: Uint8Array, fileName: string, type: string): string {
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
}

export function ReviewPanel({
  api,
  instance,
  signedIn,
}: {
  api: ApiClient;
  instance: InstanceSummary;
  signedIn: boolean;
}) {
  const [draft, setDraft] = useState<Draft>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [links, setLinks] = useState<{
    pdf?: { url: string; name: string };
    sr?: { url: string; name: string };
  }>({});

  const guard = useCallback(async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  }, []);

  useEffect(() => {
    setDraft(undefined);
    setLinks({});
    if (!signedIn || (instance.domain !== 'retina' && instance.domain !== 'chest')) return;
    void guard('opening', async () =>
      setDraft(await api.call('review.open', { instanceIds: [instance.instanceId] })),
    );
  }, [api, instance.instanceId, instance.domain, signedIn, guard]);

  if (!signedIn)
    return (
      <aside className="review-panel">
        <h2>Report</h2>
        <p className="hint">Sign in to read and sign this exam.</p>
      </aside>
    );
  if (instance.domain !== 'retina' && instance.domain !== 'chest')
    return (
      <aside className="review-panel">
        <h2>Report</h2>
        <p className="hint">No report form for {instance.domain} images.</p>
      </aside>
    );
  if (!draft)
    return (
      <aside className="review-panel">
        <h2>Report</h2>
        {error ? <p className="message-error">{error}</p> : <p className="hint">Opening…</p>}
      </aside>
    );

  const reportId = draft.content.reportId;
  const signed = draft.status === 'signed';
  const set = (field: string, value: string | number | null) =>
    guard(`saving ${field}`, async () =>
      setDraft(await api.call('review.setField', { reportId, field, value })),
    );
  const latest = draft.signedVersions[draft.signedVersions.length - 1];

  const exportFiles = async (version: number) => {
    const pdf = await api.call('report.pdf', { reportId, version });
    const sr = await api.call('report.dicom', { reportId, version });
    setLinks({
      pdf: { url: download(pdf.bytes, pdf.fileName, 'application/pdf'), name: pdf.fileName },
      sr: { url: download(sr.bytes, sr.fileName, 'application/dicom'), name: sr.fileName },
    });
  };

  return (
    <aside
      className="review-panel"
      aria-label="Report"
      data-report-id={reportId}
      data-status={draft.status}
    >
      <h2>
        Report{' '}
        {draft.amends ? `(amending v${draft.amends})` : signed ? `(signed v${latest})` : '(draft)'}
      </h2>
      <div className="review-actions">
        <button
          type="button"
          disabled={signed || Boolean(busy)}
          onClick={() =>
            void guard('running models', async () =>
              setDraft(await api.call('review.analyze', { reportId })),
            )
          }
        >
          Run AI measurements
        </button>
        {busy ? <span className="hint">{busy}…</span> : null}
      </div>
      {draft.aiNotes.map((note) => (
        <p key={note} className="hint ai-note">
          {note}
        </p>
      ))}
      <table className="grading">
        <thead>
          <tr>
            <th>Field</th>
            <th>AI</th>
            <th>Reader</th>
          </tr>
        </thead>
        <tbody>
          {draft.form.map((spec) => {
            const entry = draft.content.fields.find((f) => f.field === spec.name)!;
            return (
              <tr key={spec.name} data-field={spec.name}>
                <td>{spec.label}</td>
                <td className="ai-value">
                  {entry.ai ? (
                    <>
                      <strong>{String(entry.ai.value)}</strong>
                      {entry.ai.confidence !== undefined
                        ? ` (${(entry.ai.confidence * 100).toFixed(0)}%)`
                        : ''}
                      <div className="meta">
                        {entry.ai.model.id} {entry.ai.model.version} ·{' '}
                        {entry.ai.model.sha256.slice(0, 8)}
                      </div>
                      {!signed ? (
                        <button type="button" onClick={() => void set(spec.name, entry.ai!.value)}>
                          Accept
                        </button>
                      ) : null}
                    </>
                  ) : (
                    <span className="meta">—</span>
                  )}
                </td>
                <td>
                  <ReaderInput
                    spec={spec}
                    value={entry.reader}
                    disabled={signed}
                    onChange={(v) => void set(spec.name, v)}
                  />
                  {entry.ai && entry.reader !== null ? (
                    <div className="meta">
                      {String(entry.ai.value) === String(entry.reader) ? 'accepted' : 'corrected'}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="free-text">
        Comment
        <textarea
          defaultValue={draft.content.freeText}
          disabled={signed}
          onBlur={(e) =>
            e.target.value !== draft.content.freeText && void set('free_text', e.target.value)
          }
          rows={3}
        />
      </label>
      {!signed ? (
        <form
          className="sign-form"
          onSubmit={(e) => {
            e.preventDefault();
            void guard('signing', async () => {
              const result = await api.call('review.sign', {
                reportId,
                password,
                ...(draft.amends ? { reason } : {}),
              });
              setPassword('');
              setDraft(await api.call('review.open', { instanceIds: draft.content.instanceIds }));
              await exportFiles(result.version);
            });
          }}
        >
          {draft.amends ? (
            <input
              placeholder="Reason for the amendment"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              aria-label="Amendment reason"
            />
          ) : null}
          <input
            type="password"
            placeholder="Your password to sign"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            aria-label="Password to sign"
            autoComplete="current-password"
          />
          <button type="submit" disabled={Boolean(busy)}>
            Sign report
          </button>
        </form>
      ) : (
        <div className="signed">
          <p>Signed version {latest}. It cannot be edited.</p>
          {links.pdf ? (
            <a href={links.pdf.url} download={links.pdf.name} data-testid="report-pdf">
              Download PDF
            </a>
          ) : (
            <button
              type="button"
              onClick={() => void guard('exporting', () => exportFiles(latest!))}
            >
              Prepare PDF and SR
            </button>
          )}
          {links.sr ? (
            <a href={links.sr.url} download={links.sr.name}>
              DICOM SR
            </a>
          ) : null}
          <button
            type="button"
            onClick={() =>
              void guard('amending', async () =>
                setDraft(await api.call('review.amend', { reportId })),
              )
            }
          >
            Amend…
          </button>
        </div>
      )}
      {error ? (
        <p className="message-error" role="alert">
          {error}
        </p>
      ) : null}
      <TrajectoryPanel
        api={api}
        patientId={draft.content.patientId}
        currentReportId={reportId}
        refreshKey={draft.signedVersions.length}
      />
    </aside>
  );
}

function ReaderInput({
  spec,
  value,
  disabled,
  onChange,
}: {
  spec: FieldSpec;
  value: string | number | null;
  disabled: boolean;
  onChange(value: string | number | null): void;
}) {
  if (spec.kind === 'choice') {
    return (
      <select
        aria-label={spec.label}
        value={value === null ? '' : String(value)}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">—</option>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      aria-label={spec.label}
      type="number"
      min={spec.min}
      max={spec.max}
      step={10 ** -spec.decimals}
      defaultValue={value === null ? '' : String(value)}
      key={String(value)}
      disabled={disabled}
      onBlur={(e) => {
        const text = e.target.value.trim();
        const next = text === '' ? null : Number(text);
        if (next !== value) onChange(next);
      }}
    />
  );
}
