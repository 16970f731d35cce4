/**
 * Offline exchange from the workstation: this site's identity (its public key and fingerprint
 * to copy for a partner) and partners (with the key fingerprints to read out by phone),
 * sending a day's work — the exams ticked in a date-filtered list — as a signed package
 * (optionally de-identified), and receiving a package, which is verified in full before
 * anything is stored; a refusal says which file or check failed. The site key is
 * sealed under an admin passphrase: an admin creates it with one, and unlocks it here once
 * after the workstation starts (it stays unlocked until the workstation closes).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import { SendBatch } from './SendBatch.tsx';
import { SiteKeyShare } from './SiteKeyShare.tsx';

type Status = OperationResult<'exchange.status'>;

export function ExchangePanel({
  instances,
  open,
  isAdmin,
  onImported,
  onClose,
}: {
  instances: InstanceSummary[];
  open?: InstanceSummary;
  isAdmin: boolean;
  onImported(): void;
  onClose(): void;
}) {
  const api = useApi();
  const [status, setStatus] = useState<Status>();
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [download, setDownload] = useState<{ url: string; name: string }>();
  const [received, setReceived] = useState<OperationResult<'exchange.receivedResults'>['results']>(
    [],
  );
  useEffect(() => {
    if (!open) return;
    api.call('exchange.receivedResults', { patientId: open.patientId }).then(
      (r) => setReceived(r.results),
      () => setReceived([]),
    );
  }, [api, open, message]);
  const load = useCallback(
    () =>
      api
        .call('exchange.status', {})
        .then(setStatus, (e: Error) => setMessage({ kind: 'error', text: e.message })),
    [api],
  );
  useEffect(() => void load(), [load]);

  const act = async (action: () => Promise<string>) => {
    setMessage(undefined);
    try {
      setMessage({ kind: 'info', text: await action() });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: (err as Error).message });
    }
  };
  const form = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    return new FormData(e.currentTarget);
  };
  const offer = (file: { bytes: Uint8Array; fileName: string }, type: string) =>
    setDownload({
      url: URL.createObjectURL(new Blob([file.bytes as BlobPart], { type })),
      name: file.fileName,
    });

  return (
    <aside className="exchange-panel" aria-label="Exchange">
      <header>
        <h2>Exchange with partner sites</h2>
        <button type="button" onClick={onClose} aria-label="Close exchange">
          ×
        </button>
      </header>
      {status?.site ? (
        <>
          <p>
            This site: <strong>{status.site.siteId}</strong> · key fingerprint{' '}
            <code data-testid="site-fingerprint">{status.site.fingerprint}</code> ·{' '}
            <span data-testid="site-key-state">
              {status.siteKey === 'unlocked' ? 'key unlocked' : 'key locked'}
            </span>
          </p>
          <SiteKeyShare publicKey={status.site.publicKey} fingerprint={status.site.fingerprint} />
          {status.siteKey !== 'unlocked' ? (
            isAdmin ? (
              <form
                className="unlock-form"
                onSubmit={(e) => {
                  const f = form(e);
                  const siteId = status.site!.siteId;
                  void act(async () => {
                    const s = await api.call('exchange.initSite', {
                      siteId,
                      passphrase: String(f.get('passphrase')),
                    });
                    return `Site key of ${s.siteId} unlocked until the workstation closes.`;
                  });
                }}
              >
                <input
                  name="passphrase"
                  type="password"
                  required
                  autoComplete="off"
                  placeholder="site passphrase"
                  aria-label="Site passphrase"
                />
                <button type="submit">Unlock site key</button>
              </form>
            ) : (
              <p className="hint">
                The site key is locked: an admin unlocks it here once after the workstation starts;
                until then nothing can be sent.
              </p>
            )
          ) : null}
        </>
      ) : isAdmin ? (
        <form
          onSubmit={(e) => {
            const f = form(e);
            void act(async () => {
              const s = await api.call('exchange.initSite', {
                siteId: String(f.get('siteId')),
                passphrase: String(f.get('passphrase')),
              });
              return `Site ${s.siteId} created; fingerprint ${s.fingerprint}. The key is sealed under the site passphrase.`;
            });
          }}
        >
          <label>
            Site id <input name="siteId" required placeholder="e.g. regional-nicu-east" />
          </label>
          <label>
            Site passphrase{' '}
            <input
              name="passphrase"
              type="password"
              required
              minLength={10}
              autoComplete="new-password"
              placeholder="at least 10 characters, not only letters"
              aria-label="Site passphrase"
            />
          </label>
          <button type="submit">Create site keys</button>
        </form>
      ) : (
        <p className="hint">This installation has no site identity yet; an admin sets it up.</p>
      )}
      <h3>Partners</h3>
      <ul className="partners">
        {status?.partners.map((p) => (
          <li key={p.siteId}>
            <strong>{p.siteId}</strong> · <code>{p.fingerprint}</code>
          </li>
        ))}
        {status && !status.partners.length ? <li className="hint">none yet</li> : null}
      </ul>
      {isAdmin ? (
        <form
          className="partner-form"
          onSubmit={(e) => {
            const f = form(e);
            void act(async () => {
              const p = await api.call('exchange.addPartner', {
                siteId: String(f.get('siteId')),
                publicKey: String(f.get('publicKey')).trim(),
              });
              return `Partner ${p.siteId} added. Read this fingerprint to them by phone: ${p.fingerprint}`;
            });
          }}
        >
          <input
            name="siteId"
            required
            placeholder="partner site id"
            aria-label="Partner site id"
          />
          <input
            name="publicKey"
            required
            placeholder="partner public key (base64)"
            aria-label="Partner public key"
          />
          <button type="submit">Add partner</button>
        </form>
      ) : null}
      <h3>Send a batch</h3>
      {status?.site ? (
        <SendBatch
          instances={instances}
          open={open}
          act={act}
          onPackage={(batch) => offer(batch, 'application/zip')}
        />
      ) : (
        <p className="hint">Set up the site first to send.</p>
      )}
      <h3>Return signed results</h3>
      {open && status?.site ? (
        <button
          type="button"
          onClick={() =>
            void act(async () => {
              const r = await api.call('exchange.exportResults', { patientId: open.patientId });
              offer(r, 'application/zip');
              return `Results package with ${r.reports} signed report(s) for ${open.patientId}.`;
            })
          }
        >
          Package signed results of {open.patientId}
        </button>
      ) : null}
      {open && received.length ? (
        <ul className="partners" aria-label="Received results">
          {received.map((r) => (
            <li key={`${r.reportId}-${r.version}`}>
              {r.reportId} v{r.version} from <strong>{r.fromSite}</strong>
              {r.pdf ? (
                <>
                  {' '}
                  ·{' '}
                  <a
                    href={URL.createObjectURL(
                      new Blob([r.pdf as BlobPart], { type: 'application/pdf' }),
                    )}
                    download={`${r.reportId}-v${r.version}.pdf`}
                  >
                    PDF
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <h3>Receive</h3>
      <label className="button-like">
        Verify and import a package…
        <input
          type="file"
          accept=".zip"
          hidden
          data-testid="batch-import-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file)
              void act(async () => {
                const r = await api.call('exchange.importBatch', {
                  name: file.name,
                  bytes: new Uint8Array(await file.arrayBuffer()),
                });
                onImported();
                return `Package from ${r.from} verified: ${r.report.imported.length} imported, ${r.report.duplicates.length} already here, ${r.report.failed.length} unreadable.`;
              });
          }}
        />
      </label>
      <label className="button-like">
        Verify and file a results package…
        <input
          type="file"
          accept=".zip"
          hidden
          data-testid="results-import-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file)
              void act(async () => {
                const r = await api.call('exchange.importResults', {
                  name: file.name,
                  bytes: new Uint8Array(await file.arrayBuffer()),
                });
                return `Results from ${r.from} verified and filed: ${r.attached.map((a) => `${a.reportId} v${a.version} → patient ${a.patientId}`).join('; ')}.`;
              });
          }}
        />
      </label>
      {download ? (
        <a href={download.url} download={download.name} className="button-like">
          Save {download.name}
        </a>
      ) : null}
      {message ? (
        <p
          className={message.kind === 'error' ? 'message-error' : 'exchange-result'}
          role={message.kind === 'error' ? 'alert' : undefined}
        >
          {message.text}
        </p>
      ) : null}
    </aside>
  );
}
