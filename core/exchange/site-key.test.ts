/**
 * The site key sealed under an admin passphrase: never on disk in the clear, signing needs
 * it (the CLI asks each time; the workstation keeps it unlocked in memory after an admin
 * enters it, until it closes), a key an earlier version stored unsealed is sealed the first
 * time a passphrase unlocks it, and every package carries the audit checkpoint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import type { OperationName } from '../api/contract.ts';
import { runCli } from '../cli/commands.ts';
import { readFolderFiles } from '../library/read-folder.ts';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { createWorkstation } from '../workstation/create-workstation.ts';
import { SiteIdentity } from './site-identity.ts';

const code = (expected: string) => (e: Error & { code?: string }) => e.code === expected;

async function cli(argv: string[], stdin: string) {
  let out = '';
  let err = '';
  const status = await runCli(
    argv,
    { out: (t) => void (out += t), err: (t) => void (err += t) },
    { readLine: async () => stdin, osUser: 'tester' },
  );
  return { code: status, out, err };
}

test(
  'site init --passphrase-stdin seals the key; batch create needs the passphrase and puts the audit checkpoint in the signed manifest',
  { timeout: 120_000 },
  async () => {
    const data = mkdtempSync(join(tmpdir(), 'neoscope-site-key-'));
    const init = await cli(
      ['site', 'init', '--data', data, '--site-id', 'regional-A', '--passphrase-stdin'],
      'regional-A-pass-1',
    );
    assert.equal(init.code, 0, init.err);
    const stored = readFileSync(join(data, 'site', 'identity.json'), 'utf8');
    assert.doesNotMatch(stored, /PRIVATE KEY|"privateKey"/, 'no private key in the clear on disk');
    assert.match(stored, /"sealedPrivateKey"/);
    assert.match(
      (await cli(['site', 'show', '--data', data], '')).out,
      /key\s+sealed under the site passphrase/,
    );

    const out = join(data, 'batch.zip');
    const wrong = await cli(
      [
        'batch',
        'create',
        '--data',
        data,
        '--out',
        out,
        '--passphrase-stdin',
        samplePath('chest-dx-lateral-highdicom.dcm'),
      ],
      'not-the-pass-1',
    );
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /EXCHANGE_BAD_PASSPHRASE: the site passphrase is wrong/);
    const made = await cli(
      [
        'batch',
        'create',
        '--data',
        data,
        '--out',
        out,
        '--passphrase-stdin',
        samplePath('chest-dx-lateral-highdicom.dcm'),
      ],
      'regional-A-pass-1',
    );
    assert.equal(made.code, 0, made.err);
    const manifest = JSON.parse(
      new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(out)))['manifest.json']),
    );
    assert.equal(
      manifest.auditCheckpoint.entries,
      1,
      'the chain held the site-init entry when the package was made',
    );
    assert.match(manifest.auditCheckpoint.hash, /^[0-9a-f]{64}$/);
    const verified = await cli(
      [
        'audit',
        'verify',
        '--data',
        data,
        '--checkpoint',
        `${manifest.auditCheckpoint.entries}:${manifest.auditCheckpoint.hash}`,
      ],
      '',
    );
    assert.equal(verified.code, 0, verified.err);
  },
);

test('a key an earlier version stored unsealed is sealed under the first passphrase that unlocks it', async () => {
  const data = mkdtempSync(join(tmpdir(), 'neoscope-site-legacy-'));
  const legacy = await SiteIdentity.init(data, 'hub-B'); // no passphrase: the format earlier versions wrote
  assert.match(readFileSync(join(data, 'site', 'identity.json'), 'utf8'), /PRIVATE KEY/);
  await assert.rejects(SiteIdentity.load(data, 'short'), code('EXCHANGE_WEAK_PASSPHRASE'));
  const migrated = await SiteIdentity.load(data, 'hub-B-pass-2026');
  assert.equal(migrated.migrated, true);
  assert.equal(migrated.fingerprint, legacy.fingerprint, 'the same key, now sealed');
  assert.doesNotMatch(readFileSync(join(data, 'site', 'identity.json'), 'utf8'), /PRIVATE KEY/);
  await assert.rejects(SiteIdentity.load(data), code('EXCHANGE_SITE_LOCKED'));
  await assert.rejects(SiteIdentity.load(data, 'hub-B-pass-2027'), code('EXCHANGE_BAD_PASSPHRASE'));
  const again = await SiteIdentity.load(data, 'hub-B-pass-2026');
  assert.equal(again.migrated, false);
  const message = new TextEncoder().encode('manifest');
  const { verifySignature } = await import('./site-identity.ts');
  assert.ok(verifySignature(legacy.publicKey, message, again.sign(message)));
  // A sealed file someone altered does not open as another key.
  const stored = JSON.parse(readFileSync(join(data, 'site', 'identity.json'), 'utf8'));
  writeFileSync(
    join(data, 'site', 'identity.json'),
    JSON.stringify({ ...stored, publicKey: Buffer.alloc(32, 7).toString('base64') }),
  );
  await assert.rejects(SiteIdentity.load(data, 'hub-B-pass-2026'), code('EXCHANGE_BAD_KEY'));
});

test(
  'the workstation keeps the site key unlocked in memory after an admin enters the passphrase; after a restart it is locked until an admin unlocks it',
  { timeout: 120_000 },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'neoscope-site-ws-'));
    const start = async () => {
      const ws = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder: folder });
      const call = async <T = never>(op: OperationName, args: unknown): Promise<T> => {
        const r = await ws.dispatch(op, args);
        if (!r.ok)
          throw Object.assign(new Error(`${op}: ${r.error.code}: ${r.error.message}`), {
            code: r.error.code,
          });
        return r.value as T;
      };
      return { ws, call };
    };
    const first = await start();
    await first.call('users.create', {
      username: 'admin',
      displayName: 'Admin',
      role: 'admin',
      password: 'admin-pass-1',
    });
    await first.call('auth.login', { username: 'admin', password: 'admin-pass-1' });
    await first.call('users.create', {
      username: 'tech',
      displayName: 'Tech',
      role: 'technician',
      password: 'tech-pass-22',
    });
    await assert.rejects(
      first.call('exchange.initSite', { siteId: 'regional-A', passphrase: 'short' }),
      code('EXCHANGE_WEAK_PASSPHRASE'),
    );
    await first.call('exchange.initSite', {
      siteId: 'regional-A',
      passphrase: 'regional-A-pass-1',
    });
    assert.equal(
      (await first.call<{ siteKey?: string }>('exchange.status', {})).siteKey,
      'unlocked',
    );
    const files = (await readFolderFiles(join(projectRoot, 'dicom-samples'))).filter((f) =>
      f.name.endsWith('chest-dx-lateral-highdicom.dcm'),
    );
    const [image] = (await first.ws.library.importFiles(files, 'admin')).imported;
    first.ws.data?.close();

    const second = await start();
    try {
      await second.call('auth.login', { username: 'tech', password: 'tech-pass-22' });
      assert.equal(
        (await second.call<{ siteKey?: string }>('exchange.status', {})).siteKey,
        'locked',
      );
      await assert.rejects(
        second.call('exchange.createBatch', { instanceIds: [image!.instanceId] }),
        code('EXCHANGE_SITE_LOCKED'),
      );
      await assert.rejects(
        second.call('exchange.initSite', { siteId: 'regional-A', passphrase: 'regional-A-pass-1' }),
        code('AUTH_FORBIDDEN'),
      );
      await second.call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await assert.rejects(
        second.call('exchange.initSite', { siteId: 'regional-A', passphrase: 'wrong-pass-123' }),
        code('EXCHANGE_BAD_PASSPHRASE'),
      );
      await second.call('exchange.initSite', {
        siteId: 'regional-A',
        passphrase: 'regional-A-pass-1',
      });
      await second.call('auth.login', { username: 'tech', password: 'tech-pass-22' });
      const batch = await second.call<{ bytes: Uint8Array }>('exchange.createBatch', {
        instanceIds: [image!.instanceId],
      });
      const manifest = JSON.parse(
        new TextDecoder().decode(unzipSync(batch.bytes)['manifest.json']),
      );
      assert.ok(manifest.auditCheckpoint.entries > 5, 'the package carries the audit checkpoint');
    } finally {
      second.ws.data?.close();
    }
  },
);
