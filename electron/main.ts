/**
 * Electron main process: windows, menu, dialogs, security settings and IPC wiring only.
 * Everything the workstation does lives in core/ and is reached through the API.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { join } from 'node:path';
import { readImportPath } from '../core/library/read-import-path.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { findProjectRoot } from '../core/workstation/paths.ts';
import { registerAppSchemePrivileges, serveAppProtocol } from './app-protocol.ts';
import { EVENT_CHANNELS, registerApiIpc } from './ipc-transport.ts';
import { workstationMenuTemplate } from './menu.ts';
import { hardenSession, hardenWebContents } from './security.ts';
import { APP_ENTRY_URL, workstationWindowOptions } from './window-options.ts';

const log = (line: string) => console.log(`[neoscope] ${line}`);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // WebGPU for inference: on by default on Windows/macOS; Linux needs the switches.
  if (process.platform === 'linux') {
    app.commandLine.appendSwitch('enable-unsafe-webgpu');
    app.commandLine.appendSwitch('enable-features', 'Vulkan');
  }
  registerAppSchemePrivileges(protocol);
  app.whenReady().then(start, (error: unknown) => {
    console.error(error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const root = findProjectRoot(app.getAppPath());
  const workstation = await createWorkstation(root, 'electron', log, { dataFolder: join(app.getPath('userData'), 'data') });
  // The bundled samples are listed from the first moment, as in the browser host.
  const samples = await workstation.library.importFiles(await readImportPath(workstation.samplesFolder));
  log(`bundled samples: ${samples.imported.length} imported, ${samples.failed.length} not readable`);
  hardenSession(session.defaultSession);
  serveAppProtocol(protocol, [{ prefix: '/', folder: workstation.rendererFolder }, { prefix: '/vendor/ort/', folder: workstation.ortFolder }]);
  registerApiIpc(ipcMain, workstation.dispatch);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));

  const window = new BrowserWindow(workstationWindowOptions(join(__dirname, 'preload.cjs')));
  window.once('ready-to-show', () => window.show());
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  const importChosen = async (properties: Array<'openFile' | 'openDirectory' | 'multiSelections'>) => {
    const choice = await dialog.showOpenDialog(window, { title: 'Import images', properties });
    if (choice.canceled) return;
    for (const path of choice.filePaths) {
      const files = await readImportPath(path);
      const report = await workstation.library.importFiles(files);
      log(`imported ${report.imported.length}, duplicates ${report.duplicates.length}, failed ${report.failed.length} from ${path}`);
    }
    window.webContents.send(EVENT_CHANNELS['library-changed']);
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      workstationMenuTemplate(
        {
          importFiles: () => void importChosen(['openFile', 'multiSelections']),
          importFolder: () => void importChosen(['openDirectory']),
          showShortcuts: () => window.webContents.send(EVENT_CHANNELS['show-shortcuts']),
        },
        process.platform === 'darwin',
      ),
    ),
  );
  await window.loadURL(APP_ENTRY_URL);
  app.on('window-all-closed', () => app.quit());
}
