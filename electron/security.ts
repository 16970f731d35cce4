/**
 * Hardening of the window's web contents and session: the page may never navigate away
 * from the app origin, open windows, embed webviews, or get device permissions beyond
 * the few the viewer needs. Takes structural types so tests can pass fakes.
 */
import { APP_HOST, APP_SCHEME } from './window-options.ts';

/** Permissions the workstation uses; everything else (camera, geolocation…) is denied. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-sanitized-write',
  'fullscreen',
]);

/**
 * Is this URL (or bare origin) exactly our app://neoscope origin? Compared part by part
 * after parsing, never by prefix: app://neoscope.evil, app://neoscope:8080 and
 * app://neoscope@evil are other origins. (Node's URL gives non-special schemes the
 * origin "null", hence the parts rather than `.origin`.)
 */
export function isAppOrigin(urlOrOrigin: string): boolean {
  let url: URL;
  try {
    url = new URL(urlOrOrigin);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

export function isAllowedPermission(permission: string, requestingOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppOrigin(requestingOrigin);
}

export function isAppUrl(url: string): boolean {
  return isAppOrigin(url);
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface HardenableContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: PreventableEvent, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenWebContents(contents: HardenableContents, log: (line: string) => void): void {
  const blockNavigation = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked new window for ${url}`);
    return { action: 'deny' };
  });
}

export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean,
  ): void;
}

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isAllowedPermission(permission, details.requestingUrl ?? ''));
  });
  session.setPermissionCheckHandler((_contents, permission, origin) =>
    isAllowedPermission(permission, origin),
  );
}
