/**
 * Main ⇄ workstation service without Electron: the page's IPC call goes through main's
 * listener and service client, over a fake utility-process channel that copies every
 * message with structuredClone (as utilityProcess.postMessage does), into the service
 * host and a real dispatcher, and back. Also: a service that lies or dies never leaves
 * a call hanging, and messages out of shape are refused on both sides.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDispatcher, type ApiResponse } from '../core/api/dispatch.ts';
import { readImportPath } from '../core/library/read-import-path.ts';
import { createLibrary } from '../core/library/library.ts';
import { readAuditEntries } from '../core/audit/audit-log.ts';
import { projectRoot, samplePath } from '../core/testing/shared-data.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { createApiHandlers } from '../core/workstation/handlers.ts';
import { fixedModelCatalogue } from '../core/workstation/model-catalogue.ts';
import { createServices } from '../core/workstation/services.ts';
import { API_CHANNEL, registerApiIpc, type IpcSenderEvent } from './ipc-transport.ts';
import { createServiceClient } from './service-client.ts';
import { serveWorkstation, type ServiceBackend } from './service-host.ts';
import { importThroughDispatcher } from './workstation-service.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Access control is the dispatcher's business (tested in core/); here every call is let through. */
const allowAll = () => {};

function realBackend(): ServiceBackend {
  const library = createLibrary();
  const dispatch = createDispatcher(
    createApiHandlers(
      createServices({
        product: {
          version: '0.0.0-test',
          host: 'electron',
          samplesFolder: '/s',
          modelsFolder: '/m',
        },
        library,
        models: fixedModelCatalogue('/m'),
      }),
    ),
    () => {},
    allowAll,
  );
  return {
    samples: { imported: 0, duplicates: 0, failed: 0 },
    dispatch,
    importPath: async (path) => {
      const report = await library.importFiles(await readImportPath(path));
      return {
        imported: report.imported.length,
        duplicates: report.duplicates.length,
        failed: report.failed.length,
      };
    },
    close: () => {},
  };
}

/** Main and the service joined by a fake utility process; `service: false` leaves the other end to the test. */
function wire(
  open: (start: { root: string; dataFolder: string }) => Promise<ServiceBackend> = async () =>
    realBackend(),
  options: { service?: boolean } = {},
) {
  const toService: Array<(event: { data: unknown }) => void> = [];
  const toMain: Array<(message: unknown) => void> = [];
  const exitListeners: Array<(code: number) => void> = [];
  const sentToService: unknown[] = [];
  const logged: string[] = [];
  const exits: number[] = [];
  const exit = (code: number) => {
    exits.push(code);
    setImmediate(() => exitListeners.forEach((listener) => listener(code)));
  };
  if (options.service !== false) {
    serveWorkstation(
      {
        on: (_event, listener) => toService.push(listener),
        postMessage: (message) => {
          const copy = structuredClone(message);
          setImmediate(() => toMain.forEach((listener) => listener(copy)));
        },
      },
      open,
      (line) => logged.push(`service: ${line}`),
      exit,
    );
  }
  const client = createServiceClient(
    {
      post: (message) => {
        const copy = structuredClone(message);
        sentToService.push(copy);
        setImmediate(() => toService.forEach((listener) => listener({ data: copy })));
      },
      onMessage: (listener) => void toMain.push(listener),
      onExit: (listener) => void exitListeners.push(listener),
    },
    { root: '/app', dataFolder: '/data' },
    (line) => logged.push(`main: ${line}`),
  );
  const registered = new Map<
    string,
    (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>
  >();
  registerApiIpc(
    { handle: (channel, listener) => void registered.set(channel, listener) },
    client.call,
  );
  const fromPage = (operation: unknown, args: unknown, url = 'app://neoscope/index.html') =>
    registered.get(API_CHANNEL)!({ senderFrame: { url } }, operation, args) as Promise<ApiResponse>;
  return {
    client,
    fromPage,
    logged,
    exits,
    sentToService,
    fromService: (message: unknown) => toMain.forEach((listener) => listener(message)),
    crash: (code: number) => exitListeners.forEach((listener) => listener(code)),
  };
}

test('a page call crosses main into the service and back; decoded pixels arrive as typed arrays', async () => {
  const { client, fromPage } = wire();
  assert.deepEqual(await client.ready, { imported: 0, duplicates: 0, failed: 0 });
  const info = await fromPage('app.info', {});
  assert.equal(info.ok, true);
  assert.equal((info as { value: { host: string } }).value.host, 'electron');

  const bytes = new Uint8Array(readFileSync(samplePath('chest-dx-lateral-highdicom.dcm')));
  const imported = await fromPage('library.importFiles', { files: [{ name: 'chest.dcm', bytes }] });
  assert.equal(imported.ok, true, JSON.stringify(imported));
  const instanceId = (imported as { value: { imported: Array<{ instanceId: string }> } }).value
    .imported[0]!.instanceId;
  const frame = await fromPage('image.frame', { instanceId, frame: 0 });
  assert.equal(frame.ok, true);
  const pixels = (frame as { value: { pixels: unknown } }).value.pixels;
  assert.ok(
    ArrayBuffer.isView(pixels),
    'pixel data is still a typed array after two structured clones',
  );
});

test('the service, not main, reads and parses what the Import dialog chose', async () => {
  const { client, sentToService } = wire();
  await client.ready;
  const summary = await client.importPath(samplePath('chest-dx-lateral-highdicom.dcm'));
  assert.deepEqual(summary, { imported: 1, duplicates: 0, failed: 0 });
  assert.deepEqual(
    sentToService.at(-1),
    { kind: 'import-path', id: 1, path: samplePath('chest-dx-lateral-highdicom.dcm') },
    'main sent only the path',
  );
  await assert.rejects(client.importPath('/no/such/file.dcm'), /ENOENT/);
});

test('frames from other origins are still refused in main, before anything reaches the service', async () => {
  const { fromPage, sentToService } = wire();
  const before = sentToService.length;
  const reply = await fromPage('app.info', {}, 'app://neoscope.evil/index.html');
  assert.equal(reply.ok, false);
  assert.equal((reply as { error: { code: string } }).error.code, 'API_FORBIDDEN_SENDER');
  assert.equal(sentToService.length, before);
});

test('contract errors come back from the service unchanged; non-string operations never leave main', async () => {
  const { fromPage, sentToService } = wire();
  assert.equal(
    ((await fromPage('no.such.op', {})) as { error: { code: string } }).error.code,
    'API_UNKNOWN_OPERATION',
  );
  assert.equal(
    ((await fromPage('image.frame', { instanceId: 3 })) as { error: { code: string } }).error.code,
    'API_INVALID_ARGUMENTS',
  );
  const count = sentToService.length;
  assert.equal(
    ((await fromPage({ op: 1 }, {})) as { error: { code: string } }).error.code,
    'API_UNKNOWN_OPERATION',
  );
  assert.equal(sentToService.length, count);
});

test('calls made while the service is still starting wait for it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { fromPage } = wire(async () => {
    await gate;
    return realBackend();
  });
  const early = fromPage('app.info', {});
  await tick();
  release();
  assert.equal((await early).ok, true);
});

test('a service that fails to start rejects ready with its reason', async () => {
  const { client, fromPage } = wire(async () => {
    throw new Error('data folder locked');
  });
  await assert.rejects(client.ready, /data folder locked/);
  const reply = await fromPage('app.info', {});
  assert.equal((reply as { error: { code: string } }).error.code, 'API_INTERNAL');
});

test('a service that dies answers every pending and later call with API_INTERNAL', async () => {
  const { client, fromPage, crash } = wire(async () => ({
    ...realBackend(),
    dispatch: () => new Promise<ApiResponse>(() => {}),
  }));
  await client.ready;
  const pending = fromPage('app.info', {});
  await tick();
  crash(139);
  assert.deepEqual(await pending, {
    ok: false,
    error: {
      code: 'API_INTERNAL',
      message: 'The workstation service has stopped (exit code 139); restart NeoScope.',
    },
  });
  assert.equal(
    ((await fromPage('app.info', {})) as { error: { code: string } }).error.code,
    'API_INTERNAL',
  );
  assert.equal(await client.exited, 139);
});

test('replies out of shape from the service are refused; the call they claim to answer gets API_INVALID_RESULT', async () => {
  // No service behind the channel: the test plays a compromised one.
  const { fromPage, fromService, logged, sentToService } = wire(undefined, { service: false });
  fromService({ kind: 'ready', samples: { imported: 0, duplicates: 0, failed: 0 } });
  const call = fromPage('app.info', {});
  await tick();
  const { id } = sentToService.at(-1) as { id: number };
  fromService({ kind: 'reply', id: 999, response: { ok: true, value: 1 } }); // nobody asked
  fromService({
    kind: 'reply',
    id,
    response: { ok: false, error: { code: '<script>', message: 1 } },
  });
  fromService({ kind: 'reply', id, response: { ok: true, value: 'late second answer' } });
  fromService('a string');
  fromService({ kind: 'run-this', code: 'process.exit()' });
  assert.deepEqual(await call, {
    ok: false,
    error: {
      code: 'API_INVALID_RESULT',
      message: 'The workstation service sent a reply that is not a valid API response.',
    },
  });
  assert.ok(logged.some((line) => line.includes('ignored a malformed message')));
  assert.ok(logged.some((line) => line.includes('no pending call')));
});

test('stop closes the data folder and exits the service', async () => {
  let closed = false;
  const { client, exits } = wire(async () => ({
    ...realBackend(),
    close: () => void (closed = true),
  }));
  await client.ready;
  assert.equal(await client.stop(1000), true);
  assert.equal(closed, true);
  assert.deepEqual(exits, [0]);
});

test("the service's events reach main with their names checked; unknown ones are dropped", async () => {
  let push: Parameters<NonNullable<ServiceBackend['events']>>[0] | undefined;
  const { client, fromService, logged } = wire(async () => ({
    ...realBackend(),
    events: (listener) => {
      push = listener;
      return () => {};
    },
  }));
  await client.ready;
  const heard: unknown[] = [];
  client.onEvent((name, payload) => heard.push([name, payload]));
  push!('library.changed', { imported: 2 });
  fromService({ kind: 'event', name: 'run.this', payload: {} });
  fromService({ kind: 'event', name: 'session.changed', payload: { state: () => 0 } });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(heard, [['library.changed', { imported: 2 }]]);
  assert.equal(logged.filter((line) => line.includes('ignored a malformed message')).length, 2);
});

test('the Import menu imports through the dispatcher, as the signed-in user', async () => {
  const data = mkdtempSync(join(tmpdir(), 'neoscope-menu-import-'));
  const workstation = await createWorkstation(projectRoot, 'electron', () => {}, {
    dataFolder: data,
  });
  try {
    const files = await readImportPath(samplePath('chest-dx-lateral-highdicom.dcm'));
    await assert.rejects(importThroughDispatcher(workstation.dispatch, files), /sign in first/);
    const admin = { username: 'root', password: 'menu import admin passphrase' };
    await workstation.dispatch('users.create', { ...admin, displayName: 'Root', role: 'admin' });
    assert.ok((await workstation.dispatch('auth.login', admin)).ok);
    const changed: number[] = [];
    workstation.events((name, payload) => {
      if (name === 'library.changed') changed.push((payload as { imported: number }).imported);
    });
    const report = await importThroughDispatcher(workstation.dispatch, files);
    assert.equal(report.imported.length, 1);
    assert.deepEqual(changed, [1], 'the page hears of it without asking');
    const imports = (await readAuditEntries(join(data, 'audit.log'))).filter(
      (e) => e.action === 'import',
    );
    assert.deepEqual(
      imports.map((e) => e.actor),
      ['root'],
    );
  } finally {
    await workstation.close();
    rmSync(data, { recursive: true, force: true });
  }
});
