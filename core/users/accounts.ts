/**
 * Local accounts: technician (regional sender), ophthalmologist, radiologist, admin.
 * Five wrong passwords in a row lock an account for 15 minutes; every login, failure and
 * lock is in the audit log. Which domain a role reads and which reports it may sign.
 *
 * An admin (or the `neoscope user` CLI) creates, disables, enables and resets accounts;
 * each change is an `edit` audit entry on `user:<name>` naming what changed, never the
 * password. A disabled account cannot sign in or sign off; the last enabled admin cannot be
 * disabled, and nobody disables their own account.
 *
 * Signing keys (21 CFR 11.70: a signature only that reader could make): every account has an
 * Ed25519 key pair; the public key is recorded in signing_keys and in the audit log
 * (`signing-key` on `user:<name>`), the private key is kept sealed under the account's
 * password (scrypt + AES-256-GCM, core/users/sealed-key.ts). At sign-off the password the
 * reader re-enters unseals it. Accounts made before keys existed get theirs at their first
 * sign-off; a password reset makes a new pair (nobody knows the old password to unseal the
 * old key) and retires the old public key, which stays on record so that earlier signatures
 * still verify.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { CodedError } from '../base/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { newEd25519KeyPair, rawPublicKey, signEd25519, fingerprintOf } from '../audit/ed25519.ts';
import type { ReportSigner } from '../reports/signed-reports.ts';
import type { Database, Row } from '../store/database.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { openSealedSecret, sealSecret } from './sealed-key.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';
import { domainOfRole, type Role } from '../vocabulary/roles.ts';

export { domainOfRole, mayRead, ROLES, type Role } from '../vocabulary/roles.ts';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MINUTES = 15;

export type AuthErrorCode =
  | 'AUTH_INVALID'
  | 'AUTH_LOCKED'
  | 'AUTH_DISABLED'
  | 'AUTH_REQUIRED'
  | 'AUTH_FORBIDDEN'
  | 'AUTH_WEAK_PASSWORD'
  | 'AUTH_USER_EXISTS'
  | 'AUTH_SIGNING_KEY'
  | 'NOT_FOUND';
export class AuthError extends CodedError<AuthErrorCode> {}

export interface User {
  username: string;
  displayName: string;
  role: Role;
}

/** What an admin sees of an account (never the password hash). */
export interface AccountInfo extends User {
  disabled: boolean;
  /** When it was disabled, if it is. */
  disabledAt?: string;
  /** Set while a lock after too many wrong passwords is in force. */
  lockedUntil?: string;
}

/** Only the specialist of the report's domain signs it. */
export function maySign(role: Role, domain: ReadDomain): boolean {
  return domainOfRole(role) === domain;
}

const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;

/** What a sealed signing key is bound to: it opens only as this account's key. */
const keyPurpose = (username: string) => `neoscope signing key of ${username}`;

/** One public key an account has had. */
export interface SigningKeyRecord {
  username: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  retiredAt?: string;
}

export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  count(): number {
    return Number(this.db.get('SELECT count(*) AS n FROM users')!.n);
  }

  /** Every account with its role, display name, whether it is disabled and any lock in force. */
  list(): AccountInfo[] {
    return this.db
      .all(
        'SELECT username, display_name, role, disabled_at, locked_until FROM users ORDER BY username',
      )
      .map((r) => this.info(r));
  }

  /** One account as list() shows it; NOT_FOUND when there is none by that name. */
  get(username: string): AccountInfo {
    const row = this.db.get(
      'SELECT username, display_name, role, disabled_at, locked_until FROM users WHERE username = ?',
      [username],
    );
    if (!row)
      throw new AuthError('NOT_FOUND', `there is no account named ${JSON.stringify(username)}`);
    return this.info(row);
  }

  private info(r: Row): AccountInfo {
    const lockedUntil =
      r.locked_until && new Date(String(r.locked_until)) > this.now()
        ? String(r.locked_until)
        : undefined;
    return {
      username: String(r.username),
      displayName: String(r.display_name),
      role: r.role as Role,
      disabled: r.disabled_at !== null && r.disabled_at !== undefined,
      ...(r.disabled_at ? { disabledAt: String(r.disabled_at) } : {}),
      ...(lockedUntil ? { lockedUntil } : {}),
    };
  }

  /** Disables an account (it can no longer sign in or sign off); `by` is the admin or CLI actor. */
  async disable(username: string, by: string): Promise<AccountInfo> {
    return this.setDisabled(username, true, by);
  }

  async enable(username: string, by: string): Promise<AccountInfo> {
    return this.setDisabled(username, false, by);
  }

  /** Disabling or enabling an account that already is so changes nothing and records nothing. */
  async setDisabled(username: string, disabled: boolean, by: string): Promise<AccountInfo> {
    const before = this.get(username);
    if (before.disabled === disabled) return before;
    if (disabled) {
      if (username === by)
        throw new AuthError(
          'AUTH_FORBIDDEN',
          'you cannot disable your own account; another admin can',
        );
      const otherAdmins = Number(
        this.db.get(
          "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND username <> ?",
          [username],
        )!.n,
      );
      if (before.role === 'admin' && otherAdmins === 0)
        throw new AuthError(
          'AUTH_FORBIDDEN',
          `${username} is the last enabled admin; create or enable another admin first`,
        );
    }
    this.db.transaction(() =>
      this.db.run('UPDATE users SET disabled_at = ? WHERE username = ?', [
        disabled ? this.now().toISOString() : null,
        username,
      ]),
    );
    await this.audit.append({
      actor: by,
      action: 'edit',
      subject: `user:${username}`,
      details: { disabled },
    });
    return this.get(username);
  }

  /** Sets a new password (as strong as create asks) and clears failed attempts and any lock. */
  async resetPassword(username: string, newPassword: string, by: string): Promise<AccountInfo> {
    const before = this.get(username);
    const weak = passwordProblem(newPassword);
    if (weak) throw new AuthError('AUTH_WEAK_PASSWORD', weak);
    const hash = await hashPassword(newPassword);
    const key = await this.sealedKeyPair(username, newPassword);
    const replaced = this.currentKey(username);
    this.db.transaction(() => {
      this.db.run(
        'UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE username = ?',
        [hash, username],
      );
      this.storeKey(username, key);
    });
    await this.audit.append({
      actor: by,
      action: 'edit',
      subject: `user:${username}`,
      details: { passwordReset: true, ...(before.lockedUntil ? { unlocked: true } : {}) },
    });
    await this.recordKey(username, key, by, 'password reset', replaced?.fingerprint);
    return this.get(username);
  }

  /** Every public key the account has had, oldest first (the last without retiredAt is current). */
  keyHistory(username: string): SigningKeyRecord[] {
    return this.db
      .all(
        'SELECT username, public_key, fingerprint, created_at, retired_at FROM signing_keys WHERE username = ? ORDER BY created_at, rowid',
        [username],
      )
      .map((r) => ({
        username: String(r.username),
        publicKey: String(r.public_key),
        fingerprint: String(r.fingerprint),
        createdAt: String(r.created_at),
        ...(r.retired_at ? { retiredAt: String(r.retired_at) } : {}),
      }));
  }

  private currentKey(
    username: string,
  ): { publicKey: string; fingerprint: string; auditSeq: number | null } | undefined {
    const row = this.db.get(
      'SELECT public_key, fingerprint, audit_seq FROM signing_keys WHERE username = ? AND retired_at IS NULL',
      [username],
    );
    return row
      ? {
          publicKey: String(row.public_key),
          fingerprint: String(row.fingerprint),
          auditSeq: row.audit_seq === null ? null : Number(row.audit_seq),
        }
      : undefined;
  }

  private async sealedKeyPair(
    username: string,
    password: string,
  ): Promise<{ publicKey: string; fingerprint: string; sealed: string }> {
    const pair = newEd25519KeyPair();
    return {
      publicKey: pair.publicKey,
      fingerprint: pair.fingerprint,
      sealed: await sealSecret(pair.privateKeyDer, password, keyPurpose(username)),
    };
  }

  /** Inside a transaction: the new key becomes current, the previous one is retired. */
  private storeKey(
    username: string,
    key: { publicKey: string; fingerprint: string; sealed: string },
  ): void {
    const now = this.now().toISOString();
    this.db.run(
      'UPDATE signing_keys SET retired_at = ? WHERE username = ? AND retired_at IS NULL',
      [now, username],
    );
    this.db.run(
      'INSERT INTO signing_keys (username, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?)',
      [username, key.publicKey, key.fingerprint, now],
    );
    this.db.run('UPDATE users SET signing_key_sealed = ? WHERE username = ?', [
      key.sealed,
      username,
    ]);
  }

  /** The key's audit entry (what `audit verify` and every export check signatures against). */
  private async recordKey(
    username: string,
    key: { publicKey: string; fingerprint: string },
    by: string,
    reason: string,
    replaces?: string,
  ): Promise<void> {
    const entry = await this.audit.append({
      actor: by,
      action: 'signing-key',
      subject: `user:${username}`,
      details: {
        publicKey: key.publicKey,
        fingerprint: key.fingerprint,
        reason,
        ...(replaces ? { replaces } : {}),
      },
    });
    this.db.transaction(() =>
      this.db.run('UPDATE signing_keys SET audit_seq = ? WHERE username = ? AND public_key = ?', [
        entry.seq,
        username,
        key.publicKey,
      ]),
    );
  }

  /**
   * The account's signing key, unsealed with the password the signer has just re-entered
   * (call authenticate first). An account without a key gets one now, sealed under it.
   */
  async signingKey(username: string, password: string): Promise<ReportSigner> {
    const row = this.db.get('SELECT signing_key_sealed FROM users WHERE username = ?', [username]);
    if (!row)
      throw new AuthError('NOT_FOUND', `there is no account named ${JSON.stringify(username)}`);
    const current = this.currentKey(username);
    if (!row.signing_key_sealed || !current) {
      const key = await this.sealedKeyPair(username, password);
      this.db.transaction(() => this.storeKey(username, key));
      await this.recordKey(username, key, username, 'first sign-off');
      return this.signingKey(username, password);
    }
    const der = await openSealedSecret(
      String(row.signing_key_sealed),
      password,
      keyPurpose(username),
    );
    if (!der)
      throw new AuthError(
        'AUTH_SIGNING_KEY',
        `the signing key of ${username} cannot be opened with this password: it was altered; an admin resets the password, which makes a new key`,
      );
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const publicKey = rawPublicKey(createPublicKey(privateKey)).toString('base64');
    if (publicKey !== current.publicKey)
      throw new AuthError(
        'AUTH_SIGNING_KEY',
        `the sealed signing key of ${username} is not the account's current key (${current.fingerprint}): the accounts database was altered`,
      );
    // Interrupted between the database and the audit log when it was made: record it now.
    if (current.auditSeq === null)
      await this.recordKey(
        username,
        current,
        username,
        'recorded at sign-off (interrupted when made)',
      );
    return {
      username,
      publicKey,
      fingerprint: fingerprintOf(publicKey),
      sign: (bytes) => signEd25519(privateKey, bytes),
    };
  }

  async create(
    fields: { username: string; displayName: string; role: Role; password: string },
    by: string,
  ): Promise<User> {
    if (!USERNAME.test(fields.username))
      throw new AuthError(
        'AUTH_INVALID',
        'a user name is 2–32 lower-case letters, digits, dots, dashes or underscores, starting with a letter',
      );
    const weak = passwordProblem(fields.password);
    if (weak) throw new AuthError('AUTH_WEAK_PASSWORD', weak);
    if (this.db.get('SELECT 1 AS x FROM users WHERE username = ?', [fields.username]))
      throw new AuthError('AUTH_USER_EXISTS', `user ${fields.username} already exists`);
    const hash = await hashPassword(fields.password);
    const key = await this.sealedKeyPair(fields.username, fields.password);
    this.db.transaction(() => {
      this.db.run(
        'INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
        [fields.username, fields.displayName, fields.role, hash, this.now().toISOString()],
      );
      this.storeKey(fields.username, key);
    });
    await this.audit.append({
      actor: by,
      action: 'edit',
      subject: `user:${fields.username}`,
      details: { created: true, role: fields.role },
    });
    await this.recordKey(fields.username, key, by, 'account created');
    return { username: fields.username, displayName: fields.displayName, role: fields.role };
  }

  /** Checks a password (login, or re-entry at sign-off); counts failures and locks. */
  async authenticate(
    username: string,
    password: string,
    purpose: 'login' | 'sign-off',
  ): Promise<User> {
    const row = this.db.get('SELECT * FROM users WHERE username = ?', [username]);
    const now = this.now();
    if (!row) {
      await this.audit.append({
        actor: username,
        action: 'login-failed',
        subject: `user:${username}`,
        details: { purpose, reason: 'unknown user' },
      });
      throw new AuthError('AUTH_INVALID', 'user name or password is wrong');
    }
    if (row.locked_until && new Date(String(row.locked_until)) > now) {
      throw new AuthError(
        'AUTH_LOCKED',
        `account ${username} is locked after ${MAX_FAILED_ATTEMPTS} wrong passwords until ${new Date(String(row.locked_until)).toLocaleTimeString('en-GB')}; an admin can unlock it`,
      );
    }
    if (!(await verifyPassword(password, String(row.password_hash)))) {
      const failures = Number(row.failed_attempts) + 1;
      const lock =
        failures >= MAX_FAILED_ATTEMPTS
          ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString()
          : null;
      this.db.transaction(() =>
        this.db.run('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE username = ?', [
          lock ? 0 : failures,
          lock,
          username,
        ]),
      );
      await this.audit.append({
        actor: username,
        action: 'login-failed',
        subject: `user:${username}`,
        details: { purpose, failures, locked: Boolean(lock) },
      });
      if (lock)
        throw new AuthError(
          'AUTH_LOCKED',
          `wrong password ${MAX_FAILED_ATTEMPTS} times: account ${username} is locked for ${LOCK_MINUTES} minutes`,
        );
      throw new AuthError('AUTH_INVALID', 'user name or password is wrong');
    }
    // Checked after the password, so only someone who knows it learns that the account is disabled.
    if (row.disabled_at) {
      await this.audit.append({
        actor: username,
        action: 'login-failed',
        subject: `user:${username}`,
        details: { purpose, reason: 'disabled' },
      });
      throw new AuthError(
        'AUTH_DISABLED',
        `account ${username} is disabled; an admin can enable it again`,
      );
    }
    this.db.transaction(() =>
      this.db.run('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE username = ?', [
        username,
      ]),
    );
    if (purpose === 'login')
      await this.audit.append({ actor: username, action: 'login', subject: `user:${username}` });
    return { username, displayName: String(row.display_name), role: row.role as Role };
  }
}
