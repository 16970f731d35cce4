/**
 * `neoscope user …`: local accounts from the command line, for setting up a workstation
 * (the first admin, the readers) and for when nobody who can sign in is at hand.
 *   add             --data DIR --username U --name "Full Name" --role ROLE (--password-stdin | prompt)
 *   list            --data DIR [--json]
 *   disable|enable  --data DIR --username U
 *   reset-password  --data DIR --username U (--password-stdin | prompt)
 * Passwords never go on the command line: --password-stdin reads one line from stdin (CI, a
 * pipe); without it the password is asked for twice, unechoed, on a terminal. The audit log
 * names the actor `cli:<operating-system user>`. The workstation must not be running on the
 * same data folder (it holds it exclusively; the error says which process does).
 * Exit codes: 0 done, 2 usage error or the data folder cannot be opened, 3 the account rules
 * refused the change (weak password, existing or unknown user, the last admin…).
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { openDataFolder } from '../store/data-folder.ts';
import { isDataFolder } from '../store/data-layout.ts';
import { Accounts, ROLES, type AccountInfo, type Role } from '../users/accounts.ts';
import type { CliStreams } from './commands.ts';
import { parseOptions } from './parse-options.ts';

/** Where a password comes from: stdin (one line), or a prompt when stdin is a terminal. */
export interface PasswordInput {
  /** The first line of stdin without its line ending; undefined when stdin is empty. */
  readLine(): Promise<string | undefined>;
  /** Asks on the terminal without echoing; undefined when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
  /** Who runs the command, for the audit log. */
  osUser: string;
}

export const USER_USAGE = `neoscope user add --data DIR --username U --name "Full Name" --role ROLE (--password-stdin | prompt)
neoscope user list --data DIR [--json]
neoscope user disable|enable --data DIR --username U
neoscope user reset-password --data DIR --username U (--password-stdin | prompt)
  ROLE: ${ROLES.join(', ')}; exit 3 = refused by the account rules
`;

const USER_OPTIONS = {
  data: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  json: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
} as const;

function osUserName(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

function readFirstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity, terminal: false });
    let first: string | undefined;
    lines.once('line', (line) => {
      first = line;
      lines.close();
    });
    lines.once('close', () => resolve(first));
    stream.once('error', reject);
  });
}

/** Reads a line from a terminal in raw mode, echoing nothing; Ctrl+C or Ctrl+D abandon it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004')
          return done(Object.assign(new Error('cancelled'), { code: 'CLI_CANCELLED' }));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** This process's stdin and terminal. */
export function processPasswordInput(): PasswordInput {
  return {
    readLine: () => readFirstLine(process.stdin),
    ...(process.stdin.isTTY ? { prompt: promptHidden } : {}),
    osUser: osUserName(),
  };
}

function statusOf(account: AccountInfo): string {
  if (account.disabled) return `disabled since ${account.disabledAt}`;
  if (account.lockedUntil) return `locked until ${account.lockedUntil}`;
  return 'active';
}

class UsageError extends Error {}

export async function userCommand(
  args: string[],
  io: CliStreams,
  input: PasswordInput = processPasswordInput(),
): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem: string) => (
    io.err(`user${sub ? ` ${sub}` : ''}: ${problem}\n${USER_USAGE}`),
    2
  );
  if (!sub || !['add', 'list', 'disable', 'enable', 'reset-password'].includes(sub))
    return usage('add | list | disable | enable | reset-password');
  const o = parseOptions(rest, USER_OPTIONS);
  if (o.problem !== undefined) return usage(o.problem);
  if (o.positionals.length) return usage(`unexpected ${JSON.stringify(o.positionals[0])}`);
  const { data, username, name, role } = o.values;
  if (!data) return usage('--data DIR is required');
  if (sub !== 'list' && !username) return usage('--username U is required');
  if (sub === 'add') {
    if (!name) return usage('--name "Full Name" is required');
    if (!role || !ROLES.includes(role as Role))
      return usage(`--role is one of ${ROLES.join(', ')}`);
  }
  // Only `add` may start a new data folder (its first admin); the others need an existing one.
  if (sub !== 'add' && !isDataFolder(data))
    return (io.err(`user ${sub}: ${data} is not a NeoScope data folder (no neoscope.sqlite)\n`), 2);

  const password = async (): Promise<string> => {
    if (o.values['password-stdin']) {
      const line = await input.readLine();
      if (!line) throw new UsageError('--password-stdin: stdin held no password line');
      return line;
    }
    if (!input.prompt)
      throw new UsageError(
        'no terminal to ask for the password on: pass it on stdin with --password-stdin',
      );
    const first = await input.prompt(`New password for ${username}: `);
    const again = await input.prompt('Again: ');
    if (first !== again) throw new UsageError('the two passwords differ; nothing was changed');
    return first;
  };

  let folder: Awaited<ReturnType<typeof openDataFolder>> | undefined;
  try {
    // Ask for the password before opening the folder, so a typo costs nothing.
    const secret = sub === 'add' || sub === 'reset-password' ? await password() : undefined;
    folder = await openDataFolder(data);
    for (const line of folder.recovered) io.err(`recovered after an interruption: ${line}\n`);
    const accounts = new Accounts(folder.db, folder.audit);
    const actor = `cli:${input.osUser}`;
    switch (sub) {
      case 'add': {
        if (accounts.count() === 0 && role !== 'admin')
          return (
            io.err(
              'user add: REFUSED: the first account must be an admin, who then creates the readers\n',
            ),
            3
          );
        const user = await accounts.create(
          { username: username!, displayName: name!, role: role as Role, password: secret! },
          actor,
        );
        io.out(`created ${user.username} (${user.displayName}, ${user.role})\n`);
        return 0;
      }
      case 'list': {
        const list = accounts.list();
        if (o.values.json) io.out(`${JSON.stringify(list, null, 2)}\n`);
        else {
          const rows = [
            ['USER', 'NAME', 'ROLE', 'STATUS'],
            ...list.map((a) => [a.username, a.displayName, a.role, statusOf(a)]),
          ];
          const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
          io.out(
            rows
              .map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  '))
              .join('\n') + '\n',
          );
          if (!list.length)
            io.out('(no accounts yet: neoscope user add … --role admin creates the first)\n');
        }
        return 0;
      }
      case 'disable':
      case 'enable': {
        const before = accounts.get(username!);
        const after = await accounts.setDisabled(username!, sub === 'disable', actor);
        io.out(
          before.disabled === after.disabled
            ? `${username} was already ${sub}d; nothing changed\n`
            : `${username} ${sub}d\n`,
        );
        return 0;
      }
      case 'reset-password': {
        const after = await accounts.resetPassword(username!, secret!, actor);
        io.out(`password of ${after.username} reset; failed attempts and any lock cleared\n`);
        return 0;
      }
    }
    return 2;
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'CLI_CANCELLED')
      return (io.err(`user ${sub}: cancelled; nothing was changed\n`), 2);
    if (code && (code.startsWith('AUTH_') || code === 'NOT_FOUND'))
      return (io.err(`user ${sub}: REFUSED: ${code}: ${message}\n`), 3);
    io.err(`user ${sub}: ${code ? `${code}: ` : ''}${message ?? String(error)}\n`);
    return 2;
  } finally {
    folder?.close();
  }
}
