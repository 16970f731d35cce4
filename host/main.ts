/**
 * Browser-host entry: the workstation served on 127.0.0.1 with the bundled samples
 * imported, its address (with the session token) printed, and Chromium opened in app
 * mode when a display exists. Ctrl-C closes the server and the browser.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFolderFiles } from '../core/library/read-folder.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { defaultDataFolder } from '../core/store/data-folder.ts';
import { startStoreScp } from '../core/network/store-scp.ts';
import { findProjectRoot } from '../core/workstation/paths.ts';
import { openInChromium, startBrowserHost, type ChromiumLaunch } from './server.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const log = (line: string) => console.log(`[neoscope] ${line}`);

const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const workstation = await createWorkstation(root, 'browser', log, {
  dataFolder: option('--data') ?? defaultDataFolder(),
});
const samples = await workstation.library.importFiles(
  await readFolderFiles(workstation.samplesFolder),
);
log(
  `bundled samples: ${samples.imported.length} imported, ${samples.failed.length} not readable${samples.failed.map((f) => `\n  ${f.fileName}: ${f.message}`).join('')}`,
);

// A modality or PACS can push images in over DICOM when a port is given (loopback unless --dicom-host).
const dicomPort = option('--dicom-port');
const scp = dicomPort
  ? await startStoreScp({
      aeTitle: option('--ae-title') ?? 'NEOSCOPE',
      port: Number(dicomPort),
      host: option('--dicom-host') ?? '127.0.0.1',
      log,
      onInstance: async (bytes, callingAe) => {
        const report = await workstation.library.importFiles(
          [{ name: `c-store-from-${callingAe}.dcm`, bytes }],
          `dicom:${callingAe}`,
        );
        return report.failed.length
          ? { ok: false, message: report.failed[0]!.message }
          : { ok: true };
      },
    })
  : undefined;

const host = await startBrowserHost({
  dispatch: workstation.dispatch,
  events: workstation.events,
  mounts: [
    { prefix: '/', folder: workstation.rendererFolder },
    { prefix: '/vendor/ort/', folder: workstation.ortFolder },
  ],
  port: Number(option('--port') ?? process.env.NEOSCOPE_PORT ?? 0),
  log,
});

const reason = option('--electron-unavailable');
if (reason) log(`Electron did not start: ${reason}.`);
console.log(
  `\nNeoScope is running in browser-host mode. Open:\n\n  ${host.url}\n\nPress Ctrl-C to stop.\n`,
);

let browser: ChromiumLaunch<ChildProcess> | undefined;
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => existsSync(p),
);
if (!flag('--no-open') && chromium && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  // The token reaches Chromium through a private launch page, never its command line (see server.ts).
  browser = openInChromium(host, chromium);
  browser.child.on('error', (error) => log(`could not open Chromium: ${error.message}`));
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  browser?.close();
  await scp?.close();
  await host.close();
  await workstation.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
