/**
 * Who is signed in, in the header: sign in / sign out, and on a fresh installation the
 * form for the first (admin) account. Reading and signing need a signed-in specialist.
 */
import { useState, type FormEvent } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import { useApi } from '../../api/ApiProvider.tsx';

export type AuthStatus = OperationResult<'auth.status'>;

export function AccountBar({ status, onChange }: { status?: AuthStatus; onChange(): void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const firstRun = status?.accounts === 0;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get('username') ?? '');
    const password = String(form.get('password') ?? '');
    setError(undefined);
    try {
      if (firstRun)
        await api.call('users.create', {
          username,
          displayName: String(form.get('displayName') ?? username),
          role: 'admin',
          password,
        });
      await api.call('auth.login', { username, password });
      setOpen(false);
      onChange();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (status?.user) {
    return (
      <span className="account" data-testid="account">
        {status.user.displayName} · {status.user.role}
        <button type="button" onClick={() => void api.call('auth.logout', {}).then(onChange)}>
          Sign out
        </button>
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        {firstRun ? 'Create admin account…' : 'Sign in…'}
      </button>
      {open ? (
        <div
          className="overlay"
          role="dialog"
          aria-label="Sign in"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <form className="overlay-card sign-in" onSubmit={(e) => void submit(e)}>
            <h2>{firstRun ? 'Create the first account (admin)' : 'Sign in'}</h2>
            <label>
              User name
              <input name="username" autoComplete="username" autoFocus required />
            </label>
            {firstRun ? (
              <label>
                Full name
                <input name="displayName" required />
              </label>
            ) : null}
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete={firstRun ? 'new-password' : 'current-password'}
                required
              />
            </label>
            {error ? (
              <p className="message-error" role="alert">
                {error}
              </p>
            ) : null}
            <div className="form-actions">
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit">{firstRun ? 'Create and sign in' : 'Sign in'}</button>
            </div>
          </form>
        </div>
      ) : null}
    </>
  );
}
