/**
 * Account management: disable and enable (a disabled account cannot sign in or sign off;
 * never yourself, never the last enabled admin), password reset (strength checked, lock
 * cleared), the list an admin sees, and an audit entry for every change without the password.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { Accounts, LOCK_MINUTES, MAX_FAILED_ATTEMPTS } from './accounts.ts';

const code = (expected: string, message?: RegExp) => (e: Error & { code?: string }) =>
  e.code === expected && (!message || message.test(e.message));

async function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-accounts-'));
  const data = await openDataFolder(folder);
  let now = new Date('2026-11-30T08:00:00Z');
  const accounts = new Accounts(data.db, data.audit, () => now);
  await accounts.create(
    { username: 'admin', displayName: 'Site Admin', role: 'admin', password: 'admin-pass-1' },
    'first-run',
  );
  await accounts.create(
    {
      username: 'ada',
      displayName: 'Ada Reader',
      role: 'ophthalmologist',
      password: 'retina-2026!',
    },
    'admin',
  );
  await accounts.create(
    { username: 'rad', displayName: 'Rad Reader', role: 'radiologist', password: 'chest-2026!' },
    'admin',
  );
  return {
    data,
    accounts,
    folder,
    advance: (ms: number) => void (now = new Date(now.getTime() + ms)),
  };
}

test('a disabled account cannot sign in or sign off; enabled again it can', async () => {
  const { data, accounts } = await setup();
  try {
    assert.deepEqual(accounts.get('rad'), {
      username: 'rad',
      displayName: 'Rad Reader',
      role: 'radiologist',
      disabled: false,
    });
    const disabled = await accounts.disable('rad', 'admin');
    assert.equal(disabled.disabled, true);
    assert.equal(disabled.disabledAt, '2026-11-30T08:00:00.000Z');
    await assert.rejects(
      accounts.authenticate('rad', 'chest-2026!', 'login'),
      code('AUTH_DISABLED', /account rad is disabled; an admin can enable it again/),
    );
    await assert.rejects(
      accounts.authenticate('rad', 'chest-2026!', 'sign-off'),
      code('AUTH_DISABLED'),
    );
    // Without the right password nobody learns that the account exists or is disabled.
    await assert.rejects(
      accounts.authenticate('rad', 'wrong-password', 'login'),
      code('AUTH_INVALID'),
    );
    const again = await accounts.disable('rad', 'admin');
    assert.equal(again.disabledAt, disabled.disabledAt, 'disabling twice changes nothing');
    assert.equal((await accounts.enable('rad', 'admin')).disabled, false);
    assert.equal((await accounts.authenticate('rad', 'chest-2026!', 'login')).role, 'radiologist');
    await assert.rejects(
      accounts.disable('nobody', 'admin'),
      code('NOT_FOUND', /no account named "nobody"/),
    );
  } finally {
    data.close();
  }
});

test('nobody disables their own account, nor the last enabled admin', async () => {
  const { data, accounts } = await setup();
  try {
    await assert.rejects(
      accounts.disable('admin', 'admin'),
      code('AUTH_FORBIDDEN', /your own account/),
    );
    await assert.rejects(
      accounts.disable('admin', 'cli:root'),
      code('AUTH_FORBIDDEN', /admin is the last enabled admin/),
    );
    await accounts.create(
      { username: 'second', displayName: 'Second Admin', role: 'admin', password: 'admin-pass-2' },
      'admin',
    );
    await accounts.disable('admin', 'second');
    await assert.rejects(
      accounts.disable('second', 'cli:root'),
      code('AUTH_FORBIDDEN', /second is the last enabled admin/),
      'a disabled admin does not count',
    );
    await accounts.enable('admin', 'cli:root');
    await accounts.disable('second', 'admin');
    assert.deepEqual(
      accounts.list().map((a) => [a.username, a.disabled]),
      [
        ['ada', false],
        ['admin', false],
        ['rad', false],
        ['second', true],
      ],
    );
  } finally {
    data.close();
  }
});

test('a password reset checks strength, lets the new password in and clears a lock', async () => {
  const { data, accounts, advance } = await setup();
  try {
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++)
      await assert.rejects(accounts.authenticate('ada', 'wrong', 'login'), code('AUTH_INVALID'));
    await assert.rejects(accounts.authenticate('ada', 'wrong', 'login'), code('AUTH_LOCKED'));
    const locked = accounts.get('ada');
    assert.equal(
      locked.lockedUntil,
      new Date(Date.parse('2026-11-30T08:00:00Z') + LOCK_MINUTES * 60_000).toISOString(),
    );
    await assert.rejects(
      accounts.resetPassword('ada', 'short', 'admin'),
      code('AUTH_WEAK_PASSWORD', /at least 10 characters/),
    );
    await assert.rejects(
      accounts.resetPassword('ada', 'onlyletterslong', 'admin'),
      code('AUTH_WEAK_PASSWORD', /digit or symbol/),
    );
    const reset = await accounts.resetPassword('ada', 'new-retina-2027', 'admin');
    assert.equal(reset.lockedUntil, undefined, 'the lock is cleared');
    await assert.rejects(
      accounts.authenticate('ada', 'retina-2026!', 'login'),
      code('AUTH_INVALID'),
      'the old password no longer works',
    );
    // The failed attempt just made is cleared by the next success; four more do not lock.
    assert.equal((await accounts.authenticate('ada', 'new-retina-2027', 'login')).username, 'ada');
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++)
      await assert.rejects(accounts.authenticate('ada', 'wrong', 'login'), code('AUTH_INVALID'));
    await accounts.resetPassword('ada', 'newer-retina-2028', 'admin');
    await assert.rejects(
      accounts.authenticate('ada', 'wrong', 'login'),
      code('AUTH_INVALID'),
      'failed attempts were reset with the password',
    );
    // An expired lock is not listed as one.
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++)
      await accounts.authenticate('rad', 'wrong', 'login').catch(() => undefined);
    assert.ok(accounts.get('rad').lockedUntil);
    advance((LOCK_MINUTES + 1) * 60_000);
    assert.equal(accounts.get('rad').lockedUntil, undefined);
    await assert.rejects(
      accounts.resetPassword('nobody', 'long-enough-1', 'admin'),
      code('NOT_FOUND'),
    );
  } finally {
    data.close();
  }
});

test('every account change is an audited edit naming what changed, never the password', async () => {
  const { data, accounts, folder } = await setup();
  try {
    await accounts.disable('rad', 'admin');
    await accounts.disable('rad', 'admin'); // no change, no entry
    await accounts.enable('rad', 'cli:ops');
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++)
      await accounts.authenticate('ada', 'wrong', 'login').catch(() => undefined);
    await accounts.resetPassword('ada', 'secret-reset-99', 'admin');
    await accounts.resetPassword('rad', 'secret-reset-98', 'admin');
    const edits = (await readAuditEntries(data.audit.path))
      .filter((e) => e.action === 'edit')
      .map((e) => ({ actor: e.actor, subject: e.subject, details: e.details }));
    assert.deepEqual(edits, [
      { actor: 'first-run', subject: 'user:admin', details: { created: true, role: 'admin' } },
      { actor: 'admin', subject: 'user:ada', details: { created: true, role: 'ophthalmologist' } },
      { actor: 'admin', subject: 'user:rad', details: { created: true, role: 'radiologist' } },
      { actor: 'admin', subject: 'user:rad', details: { disabled: true } },
      { actor: 'cli:ops', subject: 'user:rad', details: { disabled: false } },
      { actor: 'admin', subject: 'user:ada', details: { passwordReset: true, unlocked: true } },
      { actor: 'admin', subject: 'user:rad', details: { passwordReset: true } },
    ]);
    const log = readFileSync(join(folder, 'audit.log'), 'utf8');
    assert.ok(
      !log.includes('secret-reset') && !log.includes('scrypt$'),
      'no password or hash in the audit log',
    );
  } finally {
    data.close();
  }
});
