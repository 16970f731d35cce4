/**
 * Hostile files (DICOM, zip, images, model packages) are parsed in the workstation
 * service, a utilityProcess, never in Electron's main process. dist/electron/main.cjs is
 * one bundle with two roles (process.type 'browser' or 'utility'); esbuild initialises a
 * dynamically imported module only when that import runs, so what main loads is what
 * main.ts reaches through static imports. This test bundles main.ts as the build does
 * and holds that set to a reviewed list: no parser, codec, store or inference code.
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Everything main may load. Adding to this list needs a reason: main holds Electron's privileges. */
const MAIN_PROCESS_MODULES = new Set([
  'electron/main.ts',
  'electron/browser-main.ts',
  'electron/app-protocol.ts',
  'electron/ipc-transport.ts',
  'electron/menu.ts',
  'electron/security.ts',
  'electron/service-client.ts',
  'electron/service-protocol.ts',
  'electron/window-options.ts',
  // The names of the events main forwards from the service to the page (no package, no schema).
  'core/api/event-names.ts',
  'core/security/content-policy.ts',
  'core/workstation/paths.ts',
  'host/static-files.ts',
]);
const SERVICE_ENTRY = 'electron/workstation-service.ts';
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

async function mainMetafile(): Promise<Metafile> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['electron/main.ts'],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    external: ['electron'],
    logLevel: 'silent',
  });
  return result.metafile;
}

function staticallyReached(meta: Metafile, entry: string) {
  const files = new Set<string>();
  const externals = new Set<string>();
  const dynamicTargets = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const edge of meta.inputs[file]?.imports ?? []) {
      if (edge.kind === 'dynamic-import') dynamicTargets.add(edge.path);
      else if (edge.external) externals.add(edge.path);
      else queue.push(edge.path);
    }
  }
  return { files, externals, dynamicTargets };
}

test("Electron's main process statically loads no parser, codec, store or inference code", async () => {
  const { files, externals } = staticallyReached(await mainMetafile(), 'electron/main.ts');
  const unexpected = [...files].filter((file) => !MAIN_PROCESS_MODULES.has(file)).sort();
  assert.deepEqual(unexpected, [], `main would load: ${unexpected.join(', ')}`);
  const packages = [...externals]
    .filter((name) => name !== 'electron' && !nodeBuiltins.has(name))
    .sort();
  assert.deepEqual(packages, [], `main would load packages: ${packages.join(', ')}`);
});

test('the only code main defers is the workstation service, which runs in the utility process', async () => {
  const meta = await mainMetafile();
  const { dynamicTargets } = staticallyReached(meta, 'electron/main.ts');
  assert.deepEqual([...dynamicTargets], [SERVICE_ENTRY]);
  // ...and that is where the parsers are.
  const service = staticallyReached(meta, SERVICE_ENTRY);
  assert.ok(
    [...service.files].some((file) => file.startsWith('core/library/')),
    'the service imports the library',
  );
  assert.ok(
    service.externals.has('dcmjs') || service.externals.has('dicom-parser'),
    'the service loads the DICOM parser',
  );
});
