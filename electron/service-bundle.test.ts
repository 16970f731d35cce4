/**
 * The built bundle in both its roles, under plain Node (Electron's binary is not
 * available to tests): main.ts is bundled as scripts/build.ts bundles it, then run
 *  - as the workstation service (process.type 'utility', a parentPort over Node IPC with
 *    structured clone): it opens a real data folder, imports the bundled samples and
 *    answers main's service client, then stops cleanly;
 *  - as main (process.type 'browser', an Electron stub that declines the single-instance
 *    lock): the packages it loads are recorded, and no parser is among them.
 * Electron's own utilityProcess plumbing (fork, serviceName, its MessagePort) is what
 * this cannot exercise; see README "Security".
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startUtilityService, writeUtilityShim } from './testing/utility-service.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'neoscope-bundle-'));
const bundle = join(work, 'main.cjs');
const env = { ...process.env, NODE_PATH: join(root, 'node_modules') };

before(async () => {
  await build({
    absWorkingDir: root,
    entryPoints: ['electron/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    logLevel: 'warning',
  });
  writeUtilityShim(work);
  writeFileSync(
    join(work, 'as-main.cjs'),
    `const Module = require('node:module');
const load = Module.prototype.require;
const required = new Set();
Module.prototype.require = function (id) {
  required.add(id);
  if (id === 'electron') return { app: { requestSingleInstanceLock: () => false, quit: () => {} } };
  return load.apply(this, arguments);
};
process.on('exit', () => console.log(JSON.stringify([...required])));
`,
  );
});
after(() => rmSync(work, { recursive: true, force: true }));

test('in its utility role the bundle is the workstation service: samples, calls, imports, clean stop', async () => {
  const running = startUtilityService({ bundle, shim: join(work, 'as-utility.cjs'), root, env });
  const { service } = running;
  try {
    const samples = await service.ready;
    assert.ok(
      samples.imported > 0,
      `bundled samples imported: ${JSON.stringify(samples)}\n${running.output()}`,
    );
    const info = await service.call('app.info', {});
    assert.ok(
      info.ok && (info.value as { host: string }).host === 'electron',
      JSON.stringify(info),
    );
    assert.equal(
      ((await service.call('library.list', {})) as { error: { code: string } }).error.code,
      'AUTH_REQUIRED',
      'patient data still needs sign-in',
    );
    // The Import menu imports through the dispatcher, as whoever is signed in.
    const chest = join(root, 'dicom-samples', 'chest-dx-lateral-highdicom.dcm');
    await assert.rejects(service.importPath(chest), /AUTH_REQUIRED/);
    const admin = {
      username: 'root',
      displayName: 'Site Admin',
      role: 'admin',
      password: 'service bundle admin passphrase',
    };
    assert.ok((await service.call('users.create', admin)).ok);
    const { username, password } = admin;
    assert.ok((await service.call('auth.login', { username, password })).ok);
    assert.deepEqual(await service.importPath(chest), { imported: 0, duplicates: 1, failed: 0 });
    assert.equal(await service.stop(10_000), true, running.output());
    assert.equal(await service.exited, 0);
  } finally {
    running.close();
  }
});

test('in its main role the bundle loads Electron and Node built-ins only: no parser package', async () => {
  const child = fork(bundle, [], {
    execArgv: ['--require', join(work, 'as-main.cjs')],
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  const required = JSON.parse(output.trim().split('\n').at(-1)!) as string[];
  const packages = required.filter((id) => id !== 'electron' && !id.startsWith('node:'));
  assert.deepEqual(packages, [], `main loaded ${packages.join(', ')}`);
});
