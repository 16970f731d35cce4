/**
 * Installed model packages with what a reader must know of each (id, version, hash,
 * task, investigational status, intended use), and a check that the package's self-test
 * vectors reproduce in this window's runtime — showing the backend actually used and the
 * time taken. Nothing here predicts on a patient; it proves the runtime.
 *
 * Each version shows whether it analyses exams (active), waits for an admin's choice
 * (candidate) or was replaced (previous), and how closely its engines agreed at install. An
 * admin compares a candidate with the active version on the site's signed cases and activates
 * the one to use; the service refuses a version whose engines disagreed.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import type { ModelManifest } from '../../../core/inference/portable/package-schema.ts';
import { runSelfTests } from '../../../core/inference/portable/self-test.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import type { BackendPreference } from '../inference/backend-choice.ts';
import { failureText } from '../inference/failure-text.ts';
import { InferenceClient } from '../inference/inference-client.ts';
import { ModelComparison } from './ModelComparison.tsx';

type ModelEntry = OperationResult<'models.list'>['models'][number];
type SlotEntry = OperationResult<'models.list'>['slots'][number];
type Activation = NonNullable<Extract<ModelEntry, { ok: true }>['activation']>;
type Comparing =
  | { state: 'running' }
  | { state: 'done'; result: OperationResult<'models.compare'> }
  | { state: 'failed'; message: string };

interface Verification {
  state: 'running' | 'passed' | 'failed';
  backend?: string;
  reason?: string;
  loadMs?: number;
  runMs?: number;
  message?: string;
}

export function ModelsPanel({
  onClose,
  isAdmin = false,
}: {
  onClose(): void;
  /** Compare and activate are an admin's (the service refuses anyone else). */
  isAdmin?: boolean;
}) {
  const api = useApi();
  const [models, setModels] = useState<ModelEntry[]>();
  const [slots, setSlots] = useState<SlotEntry[]>([]);
  const [error, setError] = useState<string>();
  const [preference, setPreference] = useState<BackendPreference>('auto');
  const [verifications, setVerifications] = useState<Record<string, Verification>>({});
  const client = useMemo(() => new InferenceClient(), []);

  const [importMessage, setImportMessage] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [comparisons, setComparisons] = useState<Record<string, Comparing>>({});
  const [choiceMessage, setChoiceMessage] = useState<{ kind: 'info' | 'error'; text: string }>();
  const refresh = useCallback(() => api.call('models.list', {}).then(
        (r) => {
          setModels(r.models);
          setSlots(r.slots);
        },
        (e: Error) => setError(e.message),
      ), [api]);
  useEffect(() => void refresh(), [refresh]);

  const importPackage = async (file: File) => {
    setImportMessage({ kind: 'info', text: `Verifying ${file.name}…` });
    try {
      const installed = await api.call('models.import', { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      setImportMessage({
        kind: installed.engineCheck?.passed === false ? 'error' : 'info',
        text: `Installed ${installed.name} (${installed.id} ${installed.version})${installed.state === 'candidate' ? ' as a candidate: compare it with the active version on your signed cases, then choose' : ''}.${installed.engineCheck ? ` ${engineCheckText(installed.engineCheck)}` : ''}`,
      });
      await refresh();
    } catch (e) {
      const { code, message } = e as { code?: string; message: string };
      setImportMessage({ kind: 'error', text: `${file.name}: ${message}${code ? ` (${code})` : ''}` });
    }
  };

  const compare = async (manifest: ModelManifest) => {
    const key = `${manifest.id}@${manifest.version}`;
    setComparisons((c) => ({ ...c, [key]: { state: 'running' } }));
    try {
      const result = await api.call('models.compare', { id: manifest.id, version: manifest.version });
      setComparisons((c) => ({ ...c, [key]: { state: 'done', result } }));
    } catch (e) {
      setComparisons((c) => ({ ...c, [key]: { state: 'failed', message: (e as Error).message } }));
    }
  };

  const activate = async (manifest: ModelManifest) => {
    try {
      const chosen = await api.call('models.activate', { id: manifest.id, version: manifest.version });
      setChoiceMessage({ kind: 'info', text: `${chosen.id} ${chosen.version} now analyses exams${chosen.previous && chosen.previous !== chosen.version ? ` (instead of ${chosen.previous})` : ''}; the choice is in the audit log.` });
      await refresh();
    } catch (e) {
      const { code, message } = e as { code?: string; message: string };
      setChoiceMessage({ kind: 'error', text: `${message}${code ? ` (${code})` : ''}` });
    }
  };

  const verify = async (manifest: ModelManifest) => {
    const key = `${manifest.id}@${manifest.version}`;
    setVerifications((v) => ({ ...v, [key]: { state: 'running' } }));
    try {
      const choice = await client.choose(preference);
      const { bytes } = await api.call('models.file', { id: manifest.id, version: manifest.version });
      const session = await client.load(key, bytes, choice.backend);
      const started = performance.now();
      const failure = await runSelfTests(manifest, session);
      const runMs = performance.now() - started;
      await session.release();
      setVerifications((v) => ({ ...v, [key]: { state: failure ? 'failed' : 'passed', backend: choice.backend, reason: choice.reason, loadMs: session.loadMs, runMs, message: failure } }));
    } catch (e) {
      setVerifications((v) => ({ ...v, [key]: { state: 'failed', message: failureText(e) } }));
    }
  };

  return (
    <aside className="models-panel" aria-label="Models">
      <header>
        <h2>Models</h2>
        <label>
          Runtime{' '}
          <select aria-label="Inference backend" value={preference} onChange={(e) => setPreference(e.target.value as BackendPreference)}>
            <option value="auto">Automatic (WebGPU on a hardware adapter, else WASM)</option>
            <option value="wasm">WASM</option>
            <option value="webgpu">WebGPU (even on a software adapter)</option>
          </select>
        </label>
        <button type="button" onClick={onClose} aria-label="Close models">×</button>
      </header>
      <div
        className="package-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          const file = e.dataTransfer.files[0];
          if (file) void importPackage(file);
        }}
      >
        <label className="button-like">
          Import package (.zip)…
          <input type="file" accept=".zip" hidden data-testid="model-import-input" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importPackage(f); e.target.value = ''; }} />
        </label>
        <span className="hint">or drop a package zip here. It is verified (schema, hash, self-tests) before it is installed.</span>
      </div>
      {importMessage ? <p className={importMessage.kind === 'error' ? 'message-error import-result' : 'import-result'}>{importMessage.text}</p> : null}
      {choiceMessage ? <p className={choiceMessage.kind === 'error' ? 'message-error' : 'import-result'} data-testid="model-choice">{choiceMessage.text}</p> : null}
      {error ? <p className="message-error">{error}</p> : null}
      {models && !models.length ? <p className="empty">No model packages are installed. Manual grading works without them; nothing pretends to predict.</p> : null}
      <ul>
        {models?.map((entry) =>
          entry.ok ? (
            <li key={`${entry.manifest.id}@${entry.manifest.version}`} className="model" data-model-id={entry.manifest.id}>
              <div>
                <strong>{entry.manifest.name}</strong> <code>{entry.manifest.id} {entry.manifest.version}</code>
                {entry.manifest.investigational ? <span className="badge">investigational</span> : null}
              </div>
              <div className="meta">
                {entry.manifest.task} · {entry.manifest.domain} · sha256 {entry.manifest.sha256.slice(0, 12)}… · verified in the service on {entry.verifiedBackend}
              </div>
              <div className="meta">{entry.manifest.intendedUse}</div>
              {entry.activation ? (
                <ActivationLine
                  activation={entry.activation}
                  isAdmin={isAdmin}
                  comparing={comparisons[`${entry.manifest.id}@${entry.manifest.version}`]}
                  onCompare={() => void compare(entry.manifest)}
                  onActivate={() => void activate(entry.manifest)}
                />
              ) : null}
              <VerificationLine verification={verifications[`${entry.manifest.id}@${entry.manifest.version}`]} onVerify={() => void verify(entry.manifest)} />
            </li>
          ) : (
            <li key={entry.folder} className="model broken">
              <strong>Not loaded:</strong> {entry.folder} — {entry.message} <code>{entry.code}</code>
            </li>
          ),
        )}
      </ul>
      {slots.length ? <SlotList slots={slots} /> : null}
    </aside>
  );
}

/** Clinical tasks with a label set but possibly no model: say plainly which have none. */
function SlotList({ slots }: { slots: SlotEntry[] }) {
  return (
    <section className="slots" aria-label="Model slots">
      <h3>Grading tasks</h3>
      <ul>
        {slots.map(({ slot, filledBy, mismatched }) => (
          <li key={slot.id} className="slot" data-slot-id={slot.id} data-filled={filledBy.length ? 'yes' : 'no'}>
            <strong>{slot.name}</strong>{' '}
            {filledBy.length ? (
              <span>— predicted by {filledBy.map((m) => `${m.id} ${m.version}`).join(', ')}</span>
            ) : (
              <span className="slot-empty">— no model installed: nothing predicts this; the reader grades it ({slot.heads.map((h) => h.name.replace(/_/g, ' ')).join(', ')}).</span>
            )}
            {mismatched.map((m) => (
              <div key={`${m.id}@${m.version}`} className="message-error">
                {m.id} {m.version} names this task but does not fit it: {m.reason}
              </div>
            ))}
            <div className="meta">{slot.reference}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function engineCheckText(check: NonNullable<Activation['engineCheck']>): string {
  const engines = check.engines.join(' and ');
  if (check.maxAbsDifference === null) return `Checked on ${engines} only: nothing to compare.`;
  return check.passed
    ? `Engines ${engines} agree within ${check.maxAbsDifference.toExponential(1)} (tolerance ${check.tolerance}).`
    : `Engines ${engines} disagree by ${check.maxAbsDifference.toExponential(1)}, beyond the tolerance ${check.tolerance}: not activated.`;
}

const STATE_TEXT: Record<Activation['state'], string> = {
  active: 'active: analyses exams',
  candidate: 'candidate: waits for an admin to compare and choose',
  previous: 'previous: replaced by the active version',
};

/** Whether this version analyses exams, its engine check, and (admins) compare and choose. */
function ActivationLine({ activation, isAdmin, comparing, onCompare, onActivate }: { activation: Activation; isAdmin: boolean; comparing?: Comparing; onCompare(): void; onActivate(): void }) {
  return (
    <div className="activation" data-state={activation.state}>
      <span className={`badge state-${activation.state}`} data-testid="activation-state">{STATE_TEXT[activation.state]}</span>{' '}
      <span className="meta">{activation.engineCheck ? engineCheckText(activation.engineCheck) : 'Not checked across engines at install (bundled with the workstation).'}</span>
      {isAdmin && activation.state !== 'active' ? (
        <div className="verification">
          <button type="button" onClick={onCompare} disabled={comparing?.state === 'running'}>
            {comparing?.state === 'running' ? 'Running on the signed cases…' : 'Compare with the active version'}
          </button>
          <button type="button" onClick={onActivate}>Activate this version</button>
        </div>
      ) : null}
      {comparing?.state === 'failed' ? <p className="message-error">{comparing.message}</p> : null}
      {comparing?.state === 'done' ? <ModelComparison comparison={comparing.result} /> : null}
    </div>
  );
}

function VerificationLine({ verification, onVerify }: { verification?: Verification; onVerify(): void }) {
  if (!verification || verification.state !== 'running') {
    return (
      <div className="verification" data-state={verification?.state ?? 'idle'}>
        <button type="button" onClick={onVerify}>Run self-test in this window</button>
        {verification?.state === 'passed' ? (
          <span>
            passed on <strong data-testid="backend">{verification.backend}</strong> · load {verification.loadMs?.toFixed(0)} ms · self-tests {verification.runMs?.toFixed(0)} ms · {verification.reason}
          </span>
        ) : null}
        {verification?.state === 'failed' ? <span className="message-error">failed: {verification.message}</span> : null}
      </div>
    );
  }
  return <div className="verification" data-state="running">running…</div>;
}
