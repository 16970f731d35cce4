/**
 * The inference worker in Electron's service role, under plain Node (Electron's binary is not
 * available to tests): main.ts bundled as CommonJS as scripts/build.ts bundles it, with the
 * worker's inference-worker.mjs beside it, run as the workstation service. `inference.run`
 * must be answered from a worker_threads worker found beside the bundle — the only way to run
 * Node code off the service's thread with the RunAsNode fuse off (a forked Electron binary
 * would not run as Node). The fork below only stands in for Electron's utilityProcess.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startUtilityService, writeUtilityShim } from './testing/utility-service.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the project (dist/ is ignored), so the ES-module worker resolves its packages.
mkdirSync(join(root, 'dist'), { recursive: true });
const work = mkdtempSync(join(root, 'dist', 'inference-bundle-test-'));
const bundle = join(work, 'main.cjs');
const env = { ...process.env, NODE_PATH: join(root, 'node_modules') };

before(async () => {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    packages: 'external' as const,
    logLevel: 'error' as const,
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: bundle,
      format: 'cjs',
      external: ['electron'],
    }),
    build({
      ...common,
      entryPoints: ['core/inference/worker/inference-worker.ts'],
      outfile: join(work, 'inference-worker.mjs'),
      format: 'esm',
    }),
  ]);
  writeUtilityShim(work);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the service bundle runs a shipped model in its inference worker and names the engine', async () => {
  const running = startUtilityService({ bundle, shim: join(work, 'as-utility.cjs'), root, env });
  const { service } = running;
  try {
    await service.ready;
    const admin = { username: 'admin', password: 'admin-pass-1' };
    await service.call('users.create', { ...admin, displayName: 'Admin', role: 'admin' });
    assert.ok((await service.call('auth.login', admin)).ok, running.output());
    const listed = await service.call('library.list', {});
    const film = (
      listed as { value: { instances: { instanceId: string; domain: string }[] } }
    ).value.instances.find((i) => i.domain === 'chest');
    assert.ok(film, 'a bundled chest film');
    const run = await service.call('inference.run', {
      instanceId: film.instanceId,
      modelId: 'chest-pneumonia',
      version: await chestModelVersion(service),
    });
    assert.ok(run.ok, `${JSON.stringify(run)}\n${running.output()}`);
    const value = run.value as { engine: string; engineReason: string; findings: unknown[] };
    assert.ok(['native', 'wasm'].includes(value.engine));
    assert.match(value.engineReason, /in the service's inference worker/);
    assert.ok(value.findings.length > 0);
    assert.equal(await service.stop(10_000), true, running.output());
  } finally {
    running.close();
  }
});

async function chestModelVersion(service: {
  call(operation: string, args: unknown): Promise<{ ok: boolean; value?: unknown }>;
}): Promise<string> {
  const { value } = await service.call('models.list', {});
  const entry = (
    value as { models: { ok: boolean; manifest?: { id: string; version: string } }[] }
  ).models.find((m) => m.ok && m.manifest?.id === 'chest-pneumonia');
  assert.ok(entry?.manifest, 'the shipped chest-pneumonia model is installed');
  return entry.manifest.version;
}
