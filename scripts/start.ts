/**
 * `npm start`: builds, then opens the workstation in Electron when its binary is here (or
 * can be fetched) and a display exists; otherwise serves it from the browser host and
 * says why. Ctrl-C stops whichever runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.ts';
import { displayAvailable, findElectronBinary } from './electron-binary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildAll();

function electronOrReason(): { path: string } | { reason: string } {
  if (process.env.NEOSCOPE_BROWSER_HOST === '1')
    return { reason: 'NEOSCOPE_BROWSER_HOST=1 asks for the browser host' };
  if (!displayAvailable()) {
    const binary = findElectronBinary(root);
    return {
      reason: `no display (DISPLAY/WAYLAND_DISPLAY unset), so no window can open${binary.ok ? '' : `; also ${binary.reason}`}`,
    };
  }
  let found = findElectronBinary(root);
  if (!found.ok && found.reason.includes('not been downloaded')) {
    console.log('Electron binary not present: trying its first-run download…');
    const attempt = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
      stdio: 'pipe',
      timeout: 120_000,
      encoding: 'utf8',
    });
    found = findElectronBinary(root);
    if (!found.ok) {
      const detail =
        `${attempt.stderr ?? ''}${attempt.stdout ?? ''}`.trim().split('\n').pop() || 'no output';
      return { reason: `${found.reason}; the download failed (${detail})` };
    }
  }
  return found.ok ? { path: found.path } : { reason: found.reason };
}

const choice = electronOrReason();
const child =
  'path' in choice
    ? spawn(choice.path, [root], { stdio: 'inherit' })
    : spawn(
        process.execPath,
        [
          join(root, 'dist/host/main.mjs'),
          '--electron-unavailable',
          choice.reason,
          ...process.argv.slice(2),
        ],
        { stdio: 'inherit' },
      );

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
