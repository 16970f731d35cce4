/**
 * `neoscope analyze`, `site …` and `batch …` read their flags strictly: a flag a command does
 * not declare, or a flag without its value, is a usage error (exit 2) that names the flag,
 * and nothing is read, written or asked for.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from './commands.ts';

async function cli(...argv: string[]) {
  let err = '';
  let asked = false;
  const code = await runCli(
    argv,
    { out: () => {}, err: (t) => void (err += t) },
    {
      readLine: async () => ((asked = true), 'site-pass-2026'),
      prompt: async () => ((asked = true), 'site-pass-2026'),
      osUser: 'tester',
    },
  );
  return { code, err, asked };
}

const data = mkdtempSync(join(tmpdir(), 'neoscope-flags-'));
const out = join(data, 'out');

/** Each converted command with a valid command line to spoil, and a valued flag of it. */
const COMMANDS: { name: string; argv: string[]; valued: string }[] = [
  { name: 'analyze', argv: ['analyze', 'x.dcm', '--out', out], valued: '--model' },
  {
    name: 'site init',
    argv: ['site', 'init', '--data', data, '--site-id', 'A', '--passphrase-stdin'],
    valued: '--site-id',
  },
  { name: 'site show', argv: ['site', 'show', '--data', data], valued: '--data' },
  {
    name: 'site add-partner',
    argv: ['site', 'add-partner', '--data', data, '--site-id', 'B', '--public-key', 'AAAA'],
    valued: '--public-key',
  },
  {
    name: 'batch create',
    argv: ['batch', 'create', '--data', data, '--out', `${out}.zip`, '--passphrase-stdin', 'x'],
    valued: '--key',
  },
  {
    name: 'batch import',
    argv: ['batch', 'import', '--data', data, 'x.zip'],
    valued: '--max-age-days',
  },
];

for (const { name, argv, valued } of COMMANDS) {
  test(`${name}: an undeclared flag and a flag without its value are usage errors`, async () => {
    const unknown = await cli(...argv, '--frobnicate');
    assert.equal(unknown.code, 2, unknown.err);
    assert.match(unknown.err, new RegExp(`^${name}: unexpected "--frobnicate"\\n`));
    assert.match(unknown.err, /Usage|neoscope /, 'the usage follows the problem');

    const missing = await cli(...argv, valued);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, new RegExp(`^${name}: ${valued} needs a value`));

    assert.equal(unknown.asked || missing.asked, false, 'no passphrase is asked for');
    assert.deepEqual(readdirSync(data), [], 'nothing is written');
    assert.equal(existsSync(out), false);
  });
}

test('a flag of another subcommand is refused, not ignored', async () => {
  const refused = await cli('batch', 'import', '--data', data, '--deidentify', 'x.zip');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^batch import: unexpected "--deidentify"/);
  const extra = await cli('batch', 'import', '--data', data, 'a.zip', 'b.zip');
  assert.equal(extra.code, 2);
  assert.match(extra.err, /^batch import: unexpected "b\.zip"/);
  const stray = await cli('site', 'show', '--data', data, 'extra');
  assert.equal(stray.code, 2);
  assert.match(stray.err, /^site show: unexpected "extra"/);
});

test('an unknown subcommand names the known ones', async () => {
  for (const [command, known] of [
    ['site', 'init | show | add-partner'],
    ['batch', 'create | import'],
  ] as const) {
    const { code, err } = await cli(command, 'frobnicate', '--data', data);
    assert.equal(code, 2);
    assert.match(err, new RegExp(`^${command}: ${known.replaceAll('|', '\\|')}\\n`));
  }
});

test('analyze: flag values are checked and the problem named before any file is read', async () => {
  const problems = [
    [['--engine', 'gpu'], /--engine is one of auto, native, wasm/],
    [['--backend', 'gpu'], /--backend is wasm or node/],
    [['--saliency', 'grad'], /--saliency is one of auto, cam, occlusion, rise, none/],
    [['--photo-domain', 'skin'], /--photo-domain is retina or chest/],
  ] as const;
  for (const [flags, problem] of problems) {
    const { code, err } = await cli('analyze', 'x.dcm', '--out', out, ...flags);
    assert.equal(code, 2, flags.join(' '));
    assert.match(err, problem);
  }
  assert.match((await cli('analyze', '--out', out)).err, /at least one PATH is required/);
  assert.match((await cli('analyze', 'x.dcm')).err, /--out DIR is required/);
  assert.equal(existsSync(out), false);
});
