/**
 * The report of the open visit: for ROP both eyes side by side (ICROP3), with the ETROP
 * category and next exam computed from the entries; for a chest film the film form. Each
 * field shows the AI value (and the model behind it) under the reader's own; "Accept" copies
 * it, any other choice corrects it. Signing asks for the password again; "Sign and next"
 * then opens the next infant on the worklist. A signed report is read-only, downloadable as
 * PDF or DICOM SR, and can only be amended as a new version.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { useApi, useApiEvent } from '../../api/ApiProvider.tsx';
import { AssessmentBox } from './AssessmentBox.tsx';
import { EyeTable, FieldTable } from './GradingTables.tsx';
import type { Draft } from './review-types.ts';
import { TrajectoryPanel } from './TrajectoryPanel.tsx';

function download(bytes: Uint8Array, fileName: string, type: string): string {
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
}

export function ReviewPanel({
  instance,
  visitInstanceIds,
  signedIn,
  onSigned,
}: {
  instance: InstanceSummary;
  /** Every image of the open visit (both eyes for ROP); the report covers them all. */
  visitInstanceIds: string[];
  signedIn: boolean;
  /** After a signature: the worklist refreshes; with `next`, the next infant opens. */
  onSigned(next: boolean): void;
}) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>();
  /** How far "Run AI measurements" has got on this report (the workstation says as it goes). */
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  useApiEvent('analysis.progress', ({ reportId, done, total }) => {
    if (reportId === draft?.content.reportId) setProgress({ done, total });
  });
  const visitKey = (visitInstanceIds.length ? visitInstanceIds : [instance.instanceId]).join(',');
  // Which sign button submitted the form (read in the submit handler of the same click).
  const signAndNext = useRef(false);
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
      setProgress(undefined);
    }
  }, []);

  useEffect(() => {
    setDraft(undefined);
    setLinks({});
    if (!signedIn || (instance.domain !== 'retina' && instance.domain !== 'chest')) return;
    void guard('opening', async () =>
      setDraft(await api.call('review.open', { instanceIds: visitKey.split(',') })),
    );
  }, [api, visitKey, instance.domain, signedIn, guard]);

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
      data-patient-id={draft.content.patientId}
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
        {busy ? (
          <span className="hint" data-testid="review-busy">
            {busy}
            {busy === 'running models' && progress?.total
              ? ` (${progress.done} of ${progress.total})`
              : ''}
            …
          </span>
        ) : null}
      </div>
      {draft.aiNotes.map((note) => (
        <p key={note} className="hint ai-note">
          {note}
        </p>
      ))}
      {draft.content.domain === 'retina' ? (
        <>
          <EyeTable
            draft={draft}
            signed={signed}
            set={set}
            copy={(from) =>
              void guard('copying', async () =>
                setDraft(await api.call('review.copyEye', { reportId, from })),
              )
            }
          />
          {draft.assessment ? <AssessmentBox assessment={draft.assessment} /> : null}
          <FieldTable
            draft={draft}
            specs={draft.form.filter((f) => !f.eye)}
            signed={signed}
            set={set}
          />
        </>
      ) : (
        <FieldTable draft={draft} specs={draft.form} signed={signed} set={set} />
      )}
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
              const next = signAndNext.current;
              onSigned(next);
              if (next) return;
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
          <button
            type="submit"
            disabled={Boolean(busy)}
            onClick={() => (signAndNext.current = false)}
          >
            Sign report
          </button>
          <button
            type="submit"
            disabled={Boolean(busy)}
            onClick={() => (signAndNext.current = true)}
            title="Sign, then open the next infant on the worklist"
          >
            Sign and next
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
        patientId={draft.content.patientId}
        currentReportId={reportId}
        refreshKey={draft.signedVersions.length}
      />
    </aside>
  );
}
