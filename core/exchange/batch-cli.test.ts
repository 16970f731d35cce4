/**
 * `neoscope batch create` with a 4 GB file, a file over the cap and a path that cannot be
 * read among good ones: each is reported by name and skipped, the rest is packed (exit 3).
 * `neoscope batch import` refuses an old package unless --accept-old is given.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  ftruncateSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { batchCommand } from '../cli/exchange-commands.ts';
import { samplePath } from '../testing/shared-data.ts';
import { createBatch } from './batch-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

/** The site passphrase, as `--passphrase-stdin` reads it. */
const passphrase = { readLine: async () => 'regional-A-pass-1', osUser: 'tester' };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    out,
    err,
  };
}

test('batch create: a 4 GB file, an over-cap file and an unreadable path are reported and skipped; the rest is packed', async () => {
  const data = mkdtempSync(join(tmpdir(), 'neoscope-cli-a-'));
  await SiteIdentity.init(data, 'regional-A', 'regional-A-pass-1');
  const inputs = mkdtempSync(join(tmpdir(), 'neoscope-cli-in-'));
  mkdirSync(join(inputs, 'exam'));
  copyFileSync(samplePath('chest-dx-lateral-highdicom.dcm'), join(inputs, 'exam', 'chest.dcm'));
  copyFileSync(samplePath('retina-op-heidelberg-dcmjs.dcm'), join(inputs, 'exam', 'retina.dcm'));
  // 4 GiB, sparse: no disk is used, but no file this large fits in one read.
  const huge = openSync(join(inputs, 'exam', 'huge.dcm'), 'w');
  ftruncateSync(huge, 4 * 1024 ** 3);
  closeSync(huge);
  symlinkSync(join(inputs, 'gone.dcm'), join(inputs, 'dangling.dcm'));
  const out = join(data, 'batch.zip');
  const { io, out: stdout, err } = capture();
  const code = await batchCommand(
    [
      'create',
      '--data',
      data,
      '--out',
      out,
      '--passphrase-stdin',
      join(inputs, 'exam'),
      join(inputs, 'dangling.dcm'),
    ],
    io,
    passphrase,
  );
  const stderr = err.join('');
  assert.equal(code, 3, stderr);
  assert.match(
    stderr,
    /skipped exam\/huge\.dcm: is 4,294,967,296 bytes, over the 1,073,741,824-byte limit/,
  );
  assert.match(stderr, /skipped .*dangling\.dcm: cannot be read \(ENOENT/);
  assert.match(stdout.join(''), /2 file\(s\)/);
  const names = Object.keys(unzipSync(new Uint8Array(readFileSync(out)))).sort();
  assert.deepEqual(names, [
    'files/00001-chest.dcm',
    'files/00002-retina.dcm',
    'manifest.json',
    'manifest.sig',
  ]);

  // The cap is configurable.
  const capped = capture();
  assert.equal(
    await batchCommand(
      [
        'create',
        '--data',
        data,
        '--out',
        out,
        '--passphrase-stdin',
        '--max-file-bytes',
        '50000',
        join(inputs, 'exam', 'chest.dcm'),
        join(inputs, 'exam', 'retina.dcm'),
      ],
      capped.io,
      passphrase,
    ),
    3,
  );
  assert.match(
    capped.err.join(''),
    /skipped .*retina\.dcm: is 103,430 bytes, over the 50,000-byte limit/,
  );
  assert.deepEqual(
    Object.keys(unzipSync(new Uint8Array(readFileSync(out)))).filter((n) => n.startsWith('files/')),
    ['files/00001-chest.dcm'],
  );
});

test('batch import: an old package is refused with what to do; --accept-old imports it; a replay is refused', async () => {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-cli-a-'));
  const b = mkdtempSync(join(tmpdir(), 'neoscope-cli-b-'));
  const siteA = await SiteIdentity.init(a, 'regional-A');
  await SiteIdentity.init(b, 'hub-B');
  await new PartnerKeys(b).add(siteA.public);
  const file = join(a, 'old.zip');
  const bytes = new Uint8Array(readFileSync(samplePath('chest-dx-lateral-highdicom.dcm')));
  writeFileSync(
    file,
    (
      await createBatch([{ name: 'chest.dcm', bytes }], siteA, {
        softwareVersion: '0.1.0',
        now: new Date(Date.now() - 90 * 24 * 3600 * 1000),
      })
    ).zip,
  );

  const refused = capture();
  assert.equal(await batchCommand(['import', '--data', b, file], refused.io), 5);
  assert.match(
    refused.err.join(''),
    /REFUSED: EXCHANGE_TOO_OLD: old\.zip was created .*90 days ago[^]*run again with --accept-old/,
  );

  const accepted = capture();
  assert.equal(
    await batchCommand(['import', '--data', b, '--accept-old', file], accepted.io),
    0,
    accepted.err.join(''),
  );
  assert.match(accepted.out.join(''), /1 imported/);

  const again = capture();
  assert.equal(await batchCommand(['import', '--data', b, '--accept-old', file], again.io), 5);
  assert.match(again.err.join(''), /REFUSED: EXCHANGE_REPLAYED: .*already imported/);
});
