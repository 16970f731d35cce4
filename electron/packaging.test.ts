/**
 * What the packaged app may do before any of our code runs: the Electron fuses
 * (build/electron-builder.yml). The config is read through
 * electron-builder's own loader and schema, and turned into the fuse wire the way
 * electron-builder writes it into the binary, so a typo or a fuse left at its default
 * fails here rather than shipping.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const CONFIG = 'build/electron-builder.yml';

/** Every fuse @electron/fuses (V1) knows, with the value NeoScope ships and why. */
const EXPECTED_FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node for anyone.
  runAsNode: false,
  // Chromium's cookie store encrypted with the OS keychain (we keep no cookies; free hardening).
  enableCookieEncryption: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could inject code or trust into main.
  enableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk / SIGUSR1 would open a debugger into main.
  enableNodeCliInspectArguments: false,
  // app.asar checked against the hash embedded at build time (macOS, Windows).
  enableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded: no app/ folder or default_app.asar planted beside it.
  onlyLoadAppFromAsar: true,
  // We ship no browser-process-specific V8 snapshot; on would make Electron look for one.
  loadBrowserProcessSpecificV8Snapshot: false,
  // Pages come from app://, never file://: file:// gets no extra privileges.
  grantFileProtocolExtraPrivileges: false,
} as const;

interface BuilderConfig {
  electronFuses?: Record<string, unknown>;
  asar?: unknown;
}

async function loadBuilderConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const config = (await getConfig(root, CONFIG, null)) as BuilderConfig;
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

test('every Electron fuse is set explicitly to its reviewed value', async () => {
  const config = await loadBuilderConfig();
  assert.deepEqual(config.electronFuses, EXPECTED_FUSES, `${CONFIG} electronFuses`);
  assert.notEqual(
    config.asar,
    false,
    'onlyLoadAppFromAsar and asar integrity need the app packed into app.asar',
  );
});

test('electron-builder writes a wire with every fuse @electron/fuses knows', async () => {
  const config = await loadBuilderConfig();
  const { PlatformPackager } = require('app-builder-lib');
  const { FuseV1Options, FuseVersion } = require('@electron/fuses');
  // generateFuseConfig does not use `this`: it is the exact mapping used before signing.
  const wire = (await PlatformPackager.prototype.generateFuseConfig.call(
    {},
    config.electronFuses,
  )) as Record<string, unknown>;
  assert.equal(wire.version, FuseVersion.V1);
  const options = Object.entries(FuseV1Options as Record<string, string | number>).filter(
    ([, value]) => typeof value === 'number',
  );
  assert.ok(options.length >= 8, 'the fuse list was read');
  for (const [name, index] of options) {
    assert.equal(
      typeof wire[index],
      'boolean',
      `fuse ${name} (${index}) is left at Electron's default`,
    );
  }
  assert.equal(wire[FuseV1Options.RunAsNode], false);
  assert.equal(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable], false);
  assert.equal(wire[FuseV1Options.EnableNodeCliInspectArguments], false);
  assert.equal(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], true);
  assert.equal(wire[FuseV1Options.OnlyLoadAppFromAsar], true);
  assert.equal(wire[FuseV1Options.GrantFileProtocolExtraPrivileges], false);
});
