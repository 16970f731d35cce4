/**
 * Electron's main process: windows, menu, dialogs, security settings and IPC wiring only.
 * Everything the workstation does lives in core/ and runs in the workstation service
 * (a utilityProcess, electron/workstation-service.ts); main forwards the page's API calls
 * to it and never reads or parses an imported file itself.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  utilityProcess,
} from 'electron';
import { join } from 'node:path';
import { bundledFolders, findProjectRoot } from '../core/workstation/paths.ts';
import { registerAppSchemePrivileges, serveAppProtocol } from './app-protocol.ts';
import {
  registerApiIpc,
  SHELL_EVENT_CHANNELS,
  WORKSTATION_EVENT_CHANNEL,
} from './ipc-transport.ts';
import { workstationMenuTemplate } from './menu.ts';
import { hardenSession, hardenWebContents } from './security.ts';
import { createServiceClient, type ServiceClient } from './service-client.ts';
import { SERVICE_NAME } from './service-protocol.ts';
import { APP_ENTRY_URL, workstationWindowOptions } from './window-options.ts';

const log = (line: string) => console.log(`[neoscope] ${line}`);

function fatal(error: unknown): void {
  console.error(error);
  dialog.showErrorBox(
    'NeoScope could not start',
    error instanceof Error ? error.message : String(error),
  );
  app.exit(1);
}

export function runMainProcess(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // WebGPU for inference: on by default on Windows/macOS; Linux needs the switches.
  if (process.platform === 'linux') {
    app.commandLine.appendSwitch('enable-unsafe-webgpu');
    app.commandLine.appendSwitch('enable-features', 'Vulkan');
  }
  registerAppSchemePrivileges(protocol);
  app.whenReady().then(start).catch(fatal);
}

/** The service is this same bundle started as a utility process (main.ts picks the role). */
function startWorkstationService(root: string): ServiceClient {
  const child = utilityProcess.fork(__filename, [], {
    serviceName: SERVICE_NAME,
    stdio: 'inherit',
  });
  return createServiceClient(
    {
      post: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', listener),
    },
    { root, dataFolder: join(app.getPath('userData'), 'data') },
    log,
  );
}

async function start(): Promise<void> {
  const root = findProjectRoot(app.getAppPath());
  const service = startWorkstationService(root);
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    quitting = true;
    // Let the service close the data folder before the app goes.
    event.preventDefault();
    void service.stop(5000).then((stopped) => {
      if (!stopped) log('the workstation service did not stop in time');
      app.quit();
    });
  });
  void service.exited.then((code) => {
    if (quitting) return;
    log(`the workstation service exited unexpectedly (code ${code})`);
    dialog.showErrorBox(
      'NeoScope',
      `The workstation service stopped unexpectedly (exit code ${code}). NeoScope will close; saved work is kept in the data folder.`,
    );
    app.exit(1);
  });

  hardenSession(session.defaultSession);
  // Paths main serves are computed here, not taken from the service.
  const { rendererFolder } = bundledFolders(root);
  serveAppProtocol(protocol, [
    { prefix: '/', folder: rendererFolder },
    { prefix: '/vendor/ort/', folder: join(root, 'node_modules', 'onnxruntime-web', 'dist') },
  ]);
  registerApiIpc(ipcMain, service.call);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));

  const samples = await service.ready;
  log(`bundled samples: ${samples.imported} imported, ${samples.failed} not readable`);

  const window = new BrowserWindow(workstationWindowOptions(join(__dirname, 'preload.cjs'), app));
  window.once('ready-to-show', () => window.show());
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // The service's events reach the page (it checked them; main passed on only their shape).
  service.onEvent((name, payload) =>
    window.webContents.send(WORKSTATION_EVENT_CHANNEL, name, payload),
  );

  // The service reads the chosen files and imports them through the dispatcher as the
  // signed-in user; the library's change reaches the page as an event.
  const importChosen = async (
    properties: Array<'openFile' | 'openDirectory' | 'multiSelections'>,
  ) => {
    const choice = await dialog.showOpenDialog(window, { title: 'Import images', properties });
    if (choice.canceled) return;
    for (const path of choice.filePaths) {
      try {
        const summary = await service.importPath(path);
        log(
          `imported ${summary.imported}, duplicates ${summary.duplicates}, failed ${summary.failed} from ${path}`,
        );
      } catch (error) {
        const message = (error as Error).message;
        log(`import from ${path} failed: ${message}`);
        void dialog.showMessageBox(window, {
          type: 'warning',
          title: 'Import',
          message: /^AUTH_/.test(message)
            ? 'Sign in before importing: every import is recorded with who made it.'
            : `${path} was not imported: ${message}`,
        });
      }
    }
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      workstationMenuTemplate(
        {
          importFiles: () => void importChosen(['openFile', 'multiSelections']),
          importFolder: () => void importChosen(['openDirectory']),
          showShortcuts: () => window.webContents.send(SHELL_EVENT_CHANNELS['show-shortcuts']),
        },
        process.platform === 'darwin',
        app,
      ),
    ),
  );
  await window.loadURL(APP_ENTRY_URL);
  app.on('window-all-closed', () => app.quit());
}
