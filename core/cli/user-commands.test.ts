/**
 * `neoscope user …` on a temporary data folder: the first admin and the readers from the
 * command line, list (text and JSON), disable/enable, reset-password, audited as
 * cli:<os user>; usage errors exit 2, refusals by the account rules exit 3. One run is a
 * real process reading the password from a pipe, as CI does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { Accounts } from '../users/accounts.ts';
import { runCli } from './commands.ts';
import { userCommand, type PasswordInput } from './user-commands.ts';

async function user(args: string[], input: Partial<PasswordInput> = {}) {
  let out = '';
  let err = '';
  const code = await userCommand(
    args,
    { out: (t) => void (out += t), err: (t) => void (err += t) },
    { readLine: async () => undefined, osUser: 'tester', ...input },
  );
  return { code, out, err };
}
const stdin = (line: string): Partial<PasswordInput> => ({ readLine: async () => line });

test(
  'user add, list, disable, enable and reset-password on a data folder, audited as cli:<os user>',
  { timeout: 120_000 },
  async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'neoscope-cli-users-')), 'data');
    const reader = await user(
      [
        'add',
        '--data',
        data,
        '--username',
        'ada',
        '--name',
        'Ada Reader',
        '--role',
        'ophthalmologist',
        '--password-stdin',
      ],
      stdin('retina-2026!'),
    );
    assert.equal(reader.code, 3, 'the first account must be an admin');
    assert.match(reader.err, /REFUSED: the first account must be an admin/);
    const admin = await user(
      [
        'add',
        '--data',
        data,
        '--username',
        'admin',
        '--name',
        'Site Admin',
        '--role',
        'admin',
        '--password-stdin',
      ],
      stdin('admin-pass-1'),
    );
    assert.equal(admin.code, 0, admin.err);
    assert.equal(admin.out, 'created admin (Site Admin, admin)\n');
    // Asked twice on a terminal, unechoed.
    const questions: string[] = [];
    const prompted = await user(
      [
        'add',
        '--data',
        data,
        '--username',
        'ada',
        '--name',
        'Ada Reader',
        '--role',
        'ophthalmologist',
      ],
      { prompt: async (q) => (questions.push(q), 'retina-2026!') },
    );
    assert.equal(prompted.code, 0, prompted.err);
    assert.deepEqual(questions, ['New password for ada: ', 'Again: ']);
    assert.equal(
      (
        await user(
          [
            'add',
            '--data',
            data,
            '--username',
            'rad',
            '--name',
            'Rad Reader',
            '--role',
            'radiologist',
            '--password-stdin',
          ],
          stdin('chest-2026!'),
        )
      ).code,
      0,
    );

    const weak = await user(
      [
        'add',
        '--data',
        data,
        '--username',
        'tech',
        '--name',
        'T',
        '--role',
        'technician',
        '--password-stdin',
      ],
      stdin('short'),
    );
    assert.equal(weak.code, 3);
    assert.match(weak.err, /REFUSED: AUTH_WEAK_PASSWORD: a password needs at least 10 characters/);
    const exists = await user(
      [
        'add',
        '--data',
        data,
        '--username',
        'ada',
        '--name',
        'Ada',
        '--role',
        'ophthalmologist',
        '--password-stdin',
      ],
      stdin('retina-2026!'),
    );
    assert.equal(exists.code, 3);
    assert.match(exists.err, /AUTH_USER_EXISTS: user ada already exists/);

    assert.equal(
      (await user(['disable', '--data', data, '--username', 'rad'])).out,
      'rad disabled\n',
    );
    assert.equal(
      (await user(['disable', '--data', data, '--username', 'rad'])).out,
      'rad was already disabled; nothing changed\n',
    );
    const lastAdmin = await user(['disable', '--data', data, '--username', 'admin']);
    assert.equal(lastAdmin.code, 3);
    assert.match(lastAdmin.err, /REFUSED: AUTH_FORBIDDEN: admin is the last enabled admin/);
    const unknown = await user(['enable', '--data', data, '--username', 'nobody']);
    assert.equal(unknown.code, 3);
    assert.match(unknown.err, /NOT_FOUND: there is no account named "nobody"/);
    const mismatch = await user(['reset-password', '--data', data, '--username', 'ada'], {
      prompt: async (q) => (q.startsWith('Again') ? 'other-pass-2' : 'retina-2027!'),
    });
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.err, /the two passwords differ; nothing was changed/);
    const reset = await user(
      ['reset-password', '--data', data, '--username', 'ada', '--password-stdin'],
      stdin('retina-2027!'),
    );
    assert.equal(reset.code, 0, reset.err);
    assert.match(reset.out, /password of ada reset/);

    const table = await user(['list', '--data', data]);
    assert.equal(table.code, 0);
    assert.match(table.out, /^USER\s+NAME\s+ROLE\s+STATUS\n/);
    assert.match(table.out, /\nada\s+Ada Reader\s+ophthalmologist\s+active\n/);
    assert.match(table.out, /\nrad\s+Rad Reader\s+radiologist\s+disabled since 20\d\d-/);
    const json = JSON.parse((await user(['list', '--data', data, '--json'])).out) as {
      username: string;
      role: string;
      disabled: boolean;
    }[];
    assert.deepEqual(
      json.map((a) => [a.username, a.role, a.disabled]),
      [
        ['ada', 'ophthalmologist', false],
        ['admin', 'admin', false],
        ['rad', 'radiologist', true],
      ],
    );
    assert.equal(
      (await user(['enable', '--data', data, '--username', 'rad'])).out,
      'rad enabled\n',
    );

    const folder = await openDataFolder(data);
    try {
      const accounts = new Accounts(folder.db, folder.audit);
      assert.equal(
        (await accounts.authenticate('ada', 'retina-2027!', 'login')).role,
        'ophthalmologist',
        'the reset password works',
      );
      const edits = (await readAuditEntries(folder.audit.path)).filter((e) => e.action === 'edit');
      assert.ok(
        edits.every((e) => e.actor === 'cli:tester'),
        JSON.stringify(edits.map((e) => e.actor)),
      );
      assert.deepEqual(
        edits.map((e) => `${e.subject} ${JSON.stringify(e.details)}`),
        [
          'user:admin {"created":true,"role":"admin"}',
          'user:ada {"created":true,"role":"ophthalmologist"}',
          'user:rad {"created":true,"role":"radiologist"}',
          'user:rad {"disabled":true}',
          'user:ada {"passwordReset":true}',
          'user:rad {"disabled":false}',
        ],
      );
    } finally {
      folder.close();
    }
  },
);

test('usage errors exit 2 with the reason; without a terminal the password must come on stdin', async () => {
  const data = mkdtempSync(join(tmpdir(), 'neoscope-cli-users-usage-'));
  const cases: [string[], RegExp][] = [
    [[], /add \| list \| disable \| enable \| reset-password/],
    [['list'], /--data DIR is required/],
    [['disable', '--data', data], /--username U is required/],
    [
      ['add', '--data', data, '--username', 'x1', '--role', 'admin'],
      /--name "Full Name" is required/,
    ],
    [
      ['add', '--data', data, '--username', 'x1', '--name', 'X', '--role', 'surgeon'],
      /--role is one of technician, ophthalmologist, radiologist, admin/,
    ],
    [
      ['add', '--data', data, '--username', 'x1', '--name', 'X', '--role', 'admin'],
      /no terminal to ask for the password on: pass it on stdin with --password-stdin/,
    ],
    [
      [
        'add',
        '--data',
        data,
        '--username',
        'x1',
        '--name',
        'X',
        '--role',
        'admin',
        '--password-stdin',
      ],
      /stdin held no password line/,
    ],
    [
      [
        'add',
        '--data',
        data,
        '--username',
        'x1',
        '--name',
        'X',
        '--role',
        'admin',
        '--password',
        'on-the-command-line',
      ],
      /unexpected "--password"/,
    ],
    [['list', '--data', join(data, 'missing')], /is not a NeoScope data folder/],
  ];
  for (const [args, message] of cases) {
    const result = await user(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.err, message, args.join(' '));
  }
  let out = '';
  assert.equal(await runCli(['help'], { out: (t) => void (out += t), err: () => {} }), 0);
  assert.match(out, /neoscope user add --data DIR --username U --name "Full Name" --role ROLE/);
});

test(
  'a real `neoscope user` process reads the password from a pipe (CI has no terminal)',
  { timeout: 120_000 },
  () => {
    const data = mkdtempSync(join(tmpdir(), 'neoscope-cli-users-pipe-'));
    const run = (args: string[], input?: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(projectRoot, 'core/cli/main.ts'), 'user', ...args],
        { input, encoding: 'utf8', cwd: projectRoot },
      );
    const added = run(
      [
        'add',
        '--data',
        data,
        '--username',
        'admin',
        '--name',
        'Site Admin',
        '--role',
        'admin',
        '--password-stdin',
      ],
      'admin-pass-1\r\nignored second line\n',
    );
    assert.equal(added.status, 0, added.stderr);
    assert.equal(added.stdout, 'created admin (Site Admin, admin)\n');
    const noTty = run(['reset-password', '--data', data, '--username', 'admin'], '');
    assert.equal(noTty.status, 2);
    assert.match(noTty.stderr, /no terminal to ask for the password on/);
    const listed = run(['list', '--data', data, '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout)[0].username, 'admin');
  },
);
