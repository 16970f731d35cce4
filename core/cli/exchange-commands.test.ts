import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { samplePath } from '../testing/shared-data.ts';
import { runCli } from './commands.ts';

/** The site passphrase arrives on stdin (--passphrase-stdin), as in CI. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { readLine: async () => 'site-pass-2026', osUser: 'tester' },
  );
  return { code, out: out.join(''), err: err.join('') };
}

test(
  'site and batch commands: identities, a phone-checkable fingerprint, a signed batch in, a tampered one refused',
  { timeout: 120_000 },
  async () => {
    const a = mkdtempSync(join(tmpdir(), 'neoscope-cli-a-'));
    const b = mkdtempSync(join(tmpdir(), 'neoscope-cli-b-'));
    const initA = await cli(
      'site',
      'init',
      '--data',
      a,
      '--site-id',
      'regional-A',
      '--passphrase-stdin',
    );
    assert.equal(initA.code, 0, initA.err);
    const publicKey = /public key\s+(\S+)/.exec(initA.out)![1]!;
    const fingerprint = /fingerprint\s+(.+)/.exec(initA.out)![1]!;
    assert.equal(
      (await cli('site', 'init', '--data', b, '--site-id', 'hub-B', '--passphrase-stdin')).code,
      0,
    );
    const added = await cli(
      'site',
      'add-partner',
      '--data',
      b,
      '--site-id',
      'regional-A',
      '--public-key',
      publicKey,
    );
    assert.match(added.out, new RegExp(`fingerprint ${fingerprint}`));

    const zip = join(a, 'batch.zip');
    const created = await cli(
      'batch',
      'create',
      '--data',
      a,
      '--out',
      zip,
      '--passphrase-stdin',
      '--deidentify',
      '--key',
      'secret-A',
      samplePath('chest-dx-lateral-highdicom.dcm'),
      samplePath('retina-op-heidelberg-dcmjs.dcm'),
    );
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /2 file\(s\).*de-identified \(2 pseudonym\(s\) kept at this site\)/);
    const table = JSON.parse(readFileSync(join(a, 'site', 'reidentification.json'), 'utf8'));
    assert.equal(table.length, 2, 'the re-identification table stays at site A');

    const imported = await cli('batch', 'import', '--data', b, zip);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /from regional-A verified: 2 imported/);

    const entries = unzipSync(new Uint8Array(readFileSync(zip)));
    const first = Object.keys(entries).find((n) => n.startsWith('files/'))!;
    entries[first]![1000] = entries[first]![1000]! ^ 0xff;
    const tampered = join(a, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    const refused = await cli(
      'batch',
      'import',
      '--data',
      mkdtempSync(join(tmpdir(), 'neoscope-cli-c-')),
      tampered,
    );
    assert.equal(refused.code, 5, "a site that never imported A's key refuses");
    assert.match(refused.err, /EXCHANGE_UNKNOWN_SENDER/);
    const refusedAtB = await cli('batch', 'import', '--data', b, tampered);
    assert.equal(refusedAtB.code, 5);
    assert.match(
      refusedAtB.err,
      new RegExp(
        `REFUSED: EXCHANGE_FILE_ALTERED: tampered\\.zip: ${first.replace('.', '\\.')} does not match its SHA-256`,
      ),
    );
    assert.match(refusedAtB.err, /Nothing from this package was stored/);
  },
);
