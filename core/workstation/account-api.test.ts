/**
 * Account management through the workstation's dispatcher: only a signed-in admin lists,
 * disables, enables and resets (the access declared in the contract, checked before the
 * handler); the admin is the actor in the audit log; a disabled reader's sign-in is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';

test(
  'an admin lists, disables, enables and resets accounts; nobody else can',
  { timeout: 120_000 },
  async () => {
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-accounts-api-')),
    });
    const { call, fails } = apiCalls(workstation);
    try {
      await fails('users.list', {}, 'AUTH_REQUIRED');
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('users.create', {
        username: 'rad',
        displayName: 'Rad Reader',
        role: 'radiologist',
        password: 'chest-2026!',
      });

      const listed = (await call('users.list', {})) as {
        users: { username: string; role: string; disabled: boolean }[];
      };
      assert.deepEqual(
        listed.users.map((u) => [u.username, u.role, u.disabled]),
        [
          ['ada', 'ophthalmologist', false],
          ['admin', 'admin', false],
          ['rad', 'radiologist', false],
        ],
      );
      await fails(
        'users.setDisabled',
        { username: 'admin', disabled: true },
        'AUTH_FORBIDDEN',
        /your own account/,
      );
      await fails('users.setDisabled', { username: 'nobody', disabled: true }, 'NOT_FOUND');
      await fails(
        'users.resetPassword',
        { username: 'ada', password: 'short' },
        'AUTH_WEAK_PASSWORD',
      );
      assert.equal(
        (
          (await call('users.resetPassword', { username: 'ada', password: 'retina-2027!' })) as {
            username: string;
          }
        ).username,
        'ada',
      );
      assert.equal(
        (
          (await call('users.setDisabled', { username: 'rad', disabled: true })) as {
            disabled: boolean;
          }
        ).disabled,
        true,
      );

      await call('auth.logout', {});
      await fails(
        'auth.login',
        { username: 'rad', password: 'chest-2026!' },
        'AUTH_DISABLED',
        /disabled/,
      );
      await fails('auth.login', { username: 'ada', password: 'retina-2026!' }, 'AUTH_INVALID');
      await call('auth.login', { username: 'ada', password: 'retina-2027!' });
      for (const [op, args] of [
        ['users.list', {}],
        ['users.setDisabled', { username: 'rad', disabled: false }],
        ['users.resetPassword', { username: 'admin', password: 'taken-over-1' }],
      ] as const) {
        await fails(op, args, 'AUTH_FORBIDDEN', /is for admins/);
      }
      await call('auth.logout', {});
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.setDisabled', { username: 'rad', disabled: false });
      await call('auth.logout', {});
      await call('auth.login', { username: 'rad', password: 'chest-2026!' });

      const edits = (await readAuditEntries(workstation.data!.audit.path)).filter(
        (e) => e.action === 'edit' && e.subject !== 'user:admin',
      );
      assert.deepEqual(
        edits.map((e) => [e.actor, e.subject, JSON.stringify(e.details)]),
        [
          ['admin', 'user:ada', '{"created":true,"role":"ophthalmologist"}'],
          ['admin', 'user:rad', '{"created":true,"role":"radiologist"}'],
          ['admin', 'user:ada', '{"passwordReset":true}'],
          ['admin', 'user:rad', '{"disabled":true}'],
          ['admin', 'user:rad', '{"disabled":false}'],
        ],
      );
    } finally {
      workstation.data?.close();
    }
  },
);
