/**
 * The Electron IPC transport without Electron: a fake ipcMain and fake sender frames
 * prove that only the app's own page is answered and that malformed calls get typed
 * errors from the contract.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDispatcher } from '../core/api/dispatch.ts';
import { createLibrary } from '../core/library/library.ts';
import { createApiHandlers } from '../core/workstation/handlers.ts';
import { fixedModelCatalogue } from '../core/workstation/model-catalogue.ts';
import { createServices } from '../core/workstation/services.ts';
import { API_CHANNEL, registerApiIpc, type IpcSenderEvent } from './ipc-transport.ts';

type Listener = (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>;

function wire() {
  const registered = new Map<string, Listener>();
  const dispatch = createDispatcher(
    createApiHandlers(
      createServices({
        product: {
          version: '0.0.0-test',
          host: 'electron',
          samplesFolder: '/s',
          modelsFolder: '/m',
        },
        library: createLibrary(),
        models: fixedModelCatalogue('/m'),
      }),
    ),
  );
  registerApiIpc(
    { handle: (channel, listener) => void registered.set(channel, listener) },
    dispatch,
  );
  const listener = registered.get(API_CHANNEL);
  assert.ok(listener, 'the API channel is registered');
  return (url: string | null, operation: unknown, args: unknown) =>
    listener({ senderFrame: url === null ? null : { url } }, operation, args) as Promise<{
      ok: boolean;
      error?: { code: string };
      value?: unknown;
    }>;
}

test('the app page gets answers', async () => {
  const call = wire();
  const reply = await call('app://neoscope/index.html', 'app.info', {});
  assert.equal(reply.ok, true);
  assert.equal((reply.value as { host: string }).host, 'electron');
});

test('frames from other origins, or none, get API_FORBIDDEN_SENDER', async () => {
  const call = wire();
  for (const url of [
    'https://example.com/',
    'file:///etc/passwd',
    'app://other/index.html',
    'app://neoscope.evil/index.html',
    '',
    null,
  ]) {
    const reply = await call(url, 'app.info', {});
    assert.equal(reply.ok, false, String(url));
    assert.equal(reply.error?.code, 'API_FORBIDDEN_SENDER', String(url));
  }
});

test('malformed calls get typed errors', async () => {
  const call = wire();
  assert.equal(
    (await call('app://neoscope/index.html', 'no.such.op', {})).error?.code,
    'API_UNKNOWN_OPERATION',
  );
  assert.equal(
    (await call('app://neoscope/index.html', { op: 1 }, {})).error?.code,
    'API_UNKNOWN_OPERATION',
  );
  assert.equal(
    (await call('app://neoscope/index.html', 'auth.login', { username: 3 })).error?.code,
    'API_INVALID_ARGUMENTS',
  );
  assert.equal(
    (await call('app://neoscope/index.html', 'image.frame', { instanceId: 3 })).error?.code,
    'AUTH_REQUIRED',
    'access is checked before arguments',
  );
  assert.equal(
    (await call('app://neoscope/index.html', 'app.info', { unexpected: 1 })).error?.code,
    'API_INVALID_ARGUMENTS',
  );
  assert.equal(
    (await call('app://neoscope/index.html', 'users.create', { files: 'all' })).error?.code,
    'API_INVALID_ARGUMENTS',
  );
});
