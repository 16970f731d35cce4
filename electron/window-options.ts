/**
 * The workstation window's options, kept pure so a unit test can assert every security
 * setting (Electron security checklist: context isolation, sandbox, no Node in the page).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'neoscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** DevTools only when running from source (`electron .`); a packaged app has none. */
export function devToolsAllowed(app: { isPackaged: boolean }): boolean {
  return !app.isPackaged;
}

export function workstationWindowOptions(
  preloadPath: string,
  app: { isPackaged: boolean },
): BrowserWindowConstructorOptions {
  return {
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'NeoScope',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: devToolsAllowed(app),
    },
  };
}
