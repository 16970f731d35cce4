/**
 * Is Electron's binary here? Electron ≥ 42 installs no binary with `npm install`; it
 * downloads one on first run (node_modules/electron/install.js), which fails on machines
 * without internet. This answers without triggering that download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export function findElectronBinary(root: string): ElectronBinary {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json')))
    return { ok: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = join(pkg, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron';
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return existsSync(path)
      ? { ok: true, path }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron at ${path}` };
  }
  if (!existsSync(pathFile))
    return {
      ok: false,
      reason:
        "Electron's binary has not been downloaded (node_modules/electron/path.txt is missing)",
    };
  const path = join(pkg, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(path)
    ? { ok: true, path }
    : { ok: false, reason: `Electron's binary is missing at ${path}` };
}

/** A window needs a display on Linux; headless machines get the browser host. */
export function displayAvailable(): boolean {
  return (
    process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
  );
}
