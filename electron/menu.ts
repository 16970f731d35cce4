/** The application menu: import, view and help, with the usual accelerators. */
import type { MenuItemConstructorOptions } from 'electron';
import { devToolsAllowed } from './window-options.ts';

export interface MenuActions {
  importFiles(): void;
  importFolder(): void;
  showShortcuts(): void;
}

/** `app.isPackaged` decides whether View offers DevTools (only when running from source). */
export function workstationMenuTemplate(
  actions: MenuActions,
  isMac: boolean,
  app: { isPackaged: boolean },
): MenuItemConstructorOptions[] {
  const devTools: MenuItemConstructorOptions[] = devToolsAllowed(app)
    ? [{ role: 'toggleDevTools' }]
    : [];
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFiles() },
        {
          label: 'Import Folder…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => actions.importFolder(),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...devTools,
      ],
    },
    {
      label: '&Help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'F1', click: () => actions.showShortcuts() },
      ],
    },
  ];
}
