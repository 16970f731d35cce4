/** The window's security settings, the CSP, and the navigation/permission guards. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_SECURITY_HEADERS,
} from '../core/security/content-policy.ts';
import { hardenSession, hardenWebContents, isAllowedPermission } from './security.ts';
import { workstationWindowOptions } from './window-options.ts';

test('the workstation window is context-isolated, sandboxed and has no Node', () => {
  const prefs = workstationWindowOptions('/app/preload.cjs', { isPackaged: true }).webPreferences!;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.preload, '/app/preload.cjs');
  assert.equal(prefs.devTools, false, 'no DevTools in a packaged app');
});

test('the CSP allows only our own scripts and WebAssembly, nothing inline or remote', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(directives.get('connect-src'), ["'self'"]);
  assert.ok(!CONTENT_SECURITY_POLICY.includes("'unsafe-inline'"));
  assert.ok(!/'unsafe-eval'/.test(CONTENT_SECURITY_POLICY));
  assert.ok(!/https?:/.test(CONTENT_SECURITY_POLICY), 'no remote origins');
  assert.equal(RENDERER_SECURITY_HEADERS['Cross-Origin-Opener-Policy'], 'same-origin');
  assert.equal(RENDERER_SECURITY_HEADERS['Cross-Origin-Embedder-Policy'], 'require-corp');
});

test('the page cannot navigate away, open windows or attach webviews', () => {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const logged: string[] = [];
  hardenWebContents(
    {
      on: (name: string, fn: (event: { preventDefault(): void }, url?: string) => void) =>
        listeners.set(name, fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) =>
        void (openHandler = fn),
    } as never,
    (line) => logged.push(line),
  );
  const navigate = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)!({ preventDefault: () => void (prevented = true) }, url);
    return prevented;
  };
  assert.equal(navigate('will-navigate', 'https://example.com/'), true);
  assert.equal(navigate('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(navigate('will-redirect', 'http://127.0.0.1:9/'), true);
  assert.equal(navigate('will-navigate', 'app://neoscope/index.html'), false);
  assert.equal(openHandler!({ url: 'https://example.com' }).action, 'deny');
  let webviewPrevented = false;
  listeners.get('will-attach-webview')!({ preventDefault: () => void (webviewPrevented = true) });
  assert.equal(webviewPrevented, true);
  assert.ok(logged.some((l) => l.includes('example.com')));
});

test('permissions are denied except the few the viewer needs, from our origin', () => {
  let requestHandler:
    | ((c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void)
    | undefined;
  let checkHandler: ((c: unknown, p: string, o: string) => boolean) | undefined;
  hardenSession({
    setPermissionRequestHandler: (h) => void (requestHandler = h),
    setPermissionCheckHandler: (h) => void (checkHandler = h),
  });
  const ask = (permission: string, url: string) => {
    let granted: boolean | undefined;
    requestHandler!(null, permission, (g) => void (granted = g), { requestingUrl: url });
    return granted;
  };
  for (const permission of [
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'midi',
    'hid',
    'serial',
    'usb',
  ]) {
    assert.equal(ask(permission, 'app://neoscope/index.html'), false, permission);
  }
  assert.equal(ask('fullscreen', 'app://neoscope/index.html'), true);
  assert.equal(ask('fullscreen', 'https://example.com/'), false);
  assert.equal(checkHandler!(null, 'media', 'app://neoscope'), false);
  assert.equal(isAllowedPermission('clipboard-sanitized-write', 'app://neoscope'), true);
});

test('the permission origin check is exact: look-alike hosts, ports, users and schemes are refused', () => {
  for (const origin of [
    'app://neoscope.evil',
    'app://neoscope.evil/index.html',
    'app://neoscopex',
    'app://neoscope:8080',
    'app://neoscope@evil',
    'app://user@neoscope',
    'https://neoscope',
    'app://other',
    'null',
    '',
  ]) {
    assert.equal(isAllowedPermission('fullscreen', origin), false, origin);
  }
  for (const origin of ['app://neoscope', 'app://neoscope/', 'app://neoscope/index.html']) {
    assert.equal(isAllowedPermission('fullscreen', origin), true, origin);
  }
  let requestHandler:
    | ((c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void)
    | undefined;
  let checkHandler: ((c: unknown, p: string, o: string) => boolean) | undefined;
  hardenSession({
    setPermissionRequestHandler: (h) => void (requestHandler = h),
    setPermissionCheckHandler: (h) => void (checkHandler = h),
  });
  let granted: boolean | undefined;
  requestHandler!(null, 'fullscreen', (g) => void (granted = g), {
    requestingUrl: 'app://neoscope.evil/index.html',
  });
  assert.equal(granted, false, 'request handler');
  assert.equal(checkHandler!(null, 'fullscreen', 'app://neoscope.evil'), false, 'check handler');
});
