/**
 * An admin's accounts dialog: every local account with its role and status (active,
 * disabled, locked until …), a form for a new account, and per account Disable/Enable and
 * "Reset password…". The service enforces the rules (admin only, strong passwords, never
 * one's own account); its messages are shown here as they come. Esc or Close closes it
 * (Esc first leaves an open password reset); Tab stays inside while it is open.
 */
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import { useApi } from '../../api/ApiProvider.tsx';

type Account = OperationResult<'users.list'>['users'][number];
type Role = Account['role'];

const ROLE_OPTIONS: Array<[Role, string]> = [
  ['technician', 'Technician'],
  ['ophthalmologist', 'Ophthalmologist'],
  ['radiologist', 'Radiologist'],
  ['admin', 'Admin'],
];

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

function statusText(account: Account): string {
  if (account.disabled) return 'disabled';
  if (account.lockedUntil)
    return `locked until ${new Date(account.lockedUntil).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
  return 'active';
}

export function AccountsPanel({ currentUser, onClose }: { currentUser: string; onClose(): void }) {
  const api = useApi();
  const [accounts, setAccounts] = useState<Account[]>();
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [resetting, setResetting] = useState<string>();
  // Buttons stay enabled (a disabled button drops the keyboard focus); a second click while busy is ignored.
  const busy = useRef(false);
  const dialog = useRef<HTMLDivElement>(null);

  const load = useCallback(
    () =>
      api.call('users.list', {}).then(
        (r) => setAccounts(r.users),
        (e: Error) => setMessage({ kind: 'error', text: e.message }),
      ),
    [api],
  );
  useEffect(() => void load(), [load]);

  // Focus moves into the dialog when it opens and back to where it was when it closes.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => before?.focus?.();
  }, []);

  /** Runs one change; its confirmation shows once the list (and the form) say the same. */
  const act = async (action: () => Promise<string>): Promise<void> => {
    if (busy.current) return;
    busy.current = true;
    setMessage(undefined);
    try {
      const text = await action();
      await load();
      setMessage({ kind: 'info', text });
    } catch (err) {
      setMessage({ kind: 'error', text: (err as Error).message });
    } finally {
      busy.current = false;
    }
  };

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const password = String(f.get('password') ?? '');
    if (password !== String(f.get('confirm') ?? ''))
      return setMessage({ kind: 'error', text: 'The two passwords differ.' });
    await act(async () => {
      const user = await api.call('users.create', {
        username: String(f.get('username') ?? '').trim(),
        displayName: String(f.get('displayName') ?? '').trim(),
        role: String(f.get('role')) as Role,
        password,
      });
      form.reset();
      return `Created ${user.username} (${user.displayName}, ${user.role}).`;
    });
  };

  const resetPassword = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get('password') ?? '');
    if (password !== String(f.get('confirm') ?? ''))
      return setMessage({ kind: 'error', text: 'The two passwords differ.' });
    const username = resetting!;
    await act(async () => {
      await api.call('users.resetPassword', { username, password });
      setResetting(undefined);
      return `Password of ${username} reset; failed attempts and any lock cleared.`;
    });
  };

  // When the password form closes, the focus goes back to the row's "Reset password…".
  const lastReset = useRef<string>(undefined);
  useEffect(() => {
    const closed = lastReset.current;
    lastReset.current = resetting;
    if (resetting || !closed) return;
    const row = [...(dialog.current?.querySelectorAll<HTMLElement>('tbody tr') ?? [])].find(
      (tr) => tr.dataset.username === closed,
    );
    (row?.querySelector<HTMLElement>('button[aria-expanded]') ?? dialog.current)?.focus();
  }, [resetting]);

  const escape = useCallback(
    () => (resetting ? setResetting(undefined) : onClose()),
    [resetting, onClose],
  );
  // Esc also works when the focus has left the dialog (a click on its background text).
  useEffect(() => {
    const onWindowKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || dialog.current?.contains(e.target as Node)) return;
      e.preventDefault();
      escape();
    };
    window.addEventListener('keydown', onWindowKey);
    return () => window.removeEventListener('keydown', onWindowKey);
  }, [escape]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed here are the dialog's, not the viewer's shortcuts.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      escape();
    } else if (e.key === 'Tab' && dialog.current) {
      const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (
        e.shiftKey &&
        (document.activeElement === first || document.activeElement === dialog.current)
      ) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        className="overlay-card accounts-panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="accounts-title"
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header>
          <h2 id="accounts-title">Accounts</h2>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </header>
        <div className="accounts-table-wrap">
          <table className="accounts-table" aria-label="Local accounts">
            <thead>
              <tr>
                <th scope="col">User name</th>
                <th scope="col">Full name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts?.map((a) => (
                <tr
                  key={a.username}
                  data-username={a.username}
                  className={a.disabled ? 'disabled' : undefined}
                >
                  <td>
                    {a.username}
                    {a.username === currentUser ? <small> (you)</small> : null}
                  </td>
                  <td>{a.displayName}</td>
                  <td>{a.role}</td>
                  <td>
                    <span
                      className={`account-status account-status-${a.disabled ? 'disabled' : a.lockedUntil ? 'locked' : 'active'}`}
                    >
                      {statusText(a)}
                    </span>
                  </td>
                  <td>
                    <div className="account-actions">
                      {a.username === currentUser ? null : (
                        <button
                          type="button"
                          aria-label={`${a.disabled ? 'Enable' : 'Disable'} ${a.username}`}
                          onClick={() =>
                            void act(async () => {
                              await api.call('users.setDisabled', {
                                username: a.username,
                                disabled: !a.disabled,
                              });
                              return a.disabled
                                ? `${a.username} enabled.`
                                : `${a.username} disabled: it can no longer sign in.`;
                            })
                          }
                        >
                          {a.disabled ? 'Enable' : 'Disable'}
                        </button>
                      )}
                      <button
                        type="button"
                        aria-label={`Reset password of ${a.username}…`}
                        aria-expanded={resetting === a.username}
                        onClick={() => {
                          setMessage(undefined);
                          setResetting(a.username);
                        }}
                      >
                        Reset password…
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {accounts && !accounts.length ? <p className="hint">No accounts.</p> : null}
        </div>
        {resetting ? (
          <form
            className="account-form reset-form"
            aria-label={`New password for ${resetting}`}
            onSubmit={(e) => void resetPassword(e)}
          >
            <h3>New password for {resetting}</h3>
            <label>
              New password
              <input
                name="password"
                type="password"
                autoComplete="new-password"
                required
                autoFocus
              />
            </label>
            <label>
              Confirm new password
              <input name="confirm" type="password" autoComplete="new-password" required />
            </label>
            <div className="form-actions">
              <button type="button" onClick={() => setResetting(undefined)}>
                Cancel
              </button>
              <button type="submit">Set password</button>
            </div>
          </form>
        ) : null}
        <form
          className="account-form create-form"
          aria-label="New account"
          onSubmit={(e) => void create(e)}
        >
          <h3>New account</h3>
          <label>
            User name
            <input name="username" autoComplete="off" required />
          </label>
          <label>
            Full name
            <input name="displayName" autoComplete="off" required maxLength={128} />
          </label>
          <label>
            Role
            <select name="role" defaultValue="ophthalmologist">
              {ROLE_OPTIONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="new-password" required />
          </label>
          <label>
            Confirm password
            <input name="confirm" type="password" autoComplete="new-password" required />
          </label>
          <div className="form-actions">
            <button type="submit">Create account</button>
          </div>
        </form>
        <p className="hint">
          User names: 2–32 lower-case letters, digits, dots, dashes or underscores. Passwords: at
          least 10 characters, letters and at least one digit or symbol. A disabled account cannot
          sign in or sign reports; a password reset also lifts a lock after wrong passwords.
        </p>
        <div aria-live="polite">
          {message ? (
            <p
              className={
                message.kind === 'error'
                  ? 'message-error accounts-message'
                  : 'exchange-result accounts-message'
              }
              role={message.kind === 'error' ? 'alert' : 'status'}
            >
              {message.text}
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
