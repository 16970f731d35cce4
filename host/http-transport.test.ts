/**
 * The browser host's HTTP transport against a real server on 127.0.0.1: every kind of
 * malformed or unauthorised call gets its own 4xx status and typed error body.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDispatcher } from '../core/api/dispatch.ts';
import { decodeWire, encodeWire } from '../core/api/wire.ts';
import { createLibrary } from '../core/library/library.ts';
import { samplePath } from '../core/testing/shared-data.ts';
import { createApiHandlers } from '../core/workstation/handlers.ts';
import { fixedModelCatalogue } from '../core/workstation/model-catalogue.ts';
import { createServices } from '../core/workstation/services.ts';
import { WIRE_CONTENT_TYPE } from './http-transport.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

let host: BrowserHost;
const staticFolder = mkdtempSync(join(tmpdir(), 'neoscope-static-'));

before(async () => {
  writeFileSync(join(staticFolder, 'index.html'), '<!doctype html><title>t</title>');
  const handlers = createApiHandlers(
    createServices({
      product: {
        version: '0.0.0-test',
        host: 'browser',
        samplesFolder: '/none',
        modelsFolder: '/none',
      },
      library: createLibrary(),
      models: fixedModelCatalogue('/none'),
    }),
  );
  // Transport behaviour for a signed-in caller; access itself is tested in patient-data-access.test.ts.
  const signedIn = () => {};
  host = await startBrowserHost({
    dispatch: createDispatcher(handlers, () => {}, signedIn),
    mounts: [{ prefix: '/', folder: staticFolder }],
  });
});
after(() => host.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'POST',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function goodHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    Authorization: `Bearer ${host.token}`,
    'Content-Type': WIRE_CONTENT_TYPE,
    Origin: host.origin,
    ...extra,
  };
}

function errorOf(reply: Reply): { code: string; message: string } {
  const decoded = decodeWire(new Uint8Array(reply.body)) as {
    ok: boolean;
    error: { code: string; message: string };
  };
  assert.equal(decoded.ok, false);
  return decoded.error;
}

test('a well-formed call with the token succeeds', async () => {
  const reply = await send('/api/app.info', { headers: goodHeaders(), body: encodeWire({}) });
  assert.equal(reply.status, 200);
  const decoded = decodeWire(new Uint8Array(reply.body)) as {
    ok: true;
    value: { product: string; host: string };
  };
  assert.equal(decoded.value.product, 'NeoScope');
  assert.equal(reply.headers['cache-control'], 'no-store');
});

test('a missing or wrong token is 401 API_UNAUTHORIZED', async () => {
  const { Authorization: _drop, ...noToken } = goodHeaders();
  const missing = await send('/api/app.info', { headers: noToken, body: encodeWire({}) });
  assert.equal(missing.status, 401);
  assert.equal(errorOf(missing).code, 'API_UNAUTHORIZED');
  const wrong = await send('/api/app.info', {
    headers: goodHeaders({ Authorization: `Bearer ${host.token.slice(1)}x` }),
    body: encodeWire({}),
  });
  assert.equal(wrong.status, 401);
  assert.equal(errorOf(wrong).code, 'API_UNAUTHORIZED');
});

test('a foreign Origin is 403 API_FORBIDDEN_ORIGIN even with the token', async () => {
  const reply = await send('/api/app.info', {
    headers: goodHeaders({ Origin: 'http://evil.example' }),
    body: encodeWire({}),
  });
  assert.equal(reply.status, 403);
  assert.equal(errorOf(reply).code, 'API_FORBIDDEN_ORIGIN');
});

test('a foreign Host (DNS rebinding) is 403 API_FORBIDDEN_HOST', async () => {
  const reply = await send('/api/app.info', {
    headers: goodHeaders({ Host: `attacker.example:${host.port}` }),
    body: encodeWire({}),
  });
  assert.equal(reply.status, 403);
  assert.equal(errorOf(reply).code, 'API_FORBIDDEN_HOST');
  const page = await send('/', {
    method: 'GET',
    headers: { Host: `attacker.example:${host.port}` },
  });
  assert.equal(page.status, 403);
});

test('wrong argument types are 400 API_INVALID_ARGUMENTS', async () => {
  const reply = await send('/api/image.frame', {
    headers: goodHeaders(),
    body: encodeWire({ instanceId: 7, frame: 'first' }),
  });
  assert.equal(reply.status, 400);
  assert.equal(errorOf(reply).code, 'API_INVALID_ARGUMENTS');
});

test('an unknown operation is 404 API_UNKNOWN_OPERATION', async () => {
  const reply = await send('/api/library.deleteEverything', {
    headers: goodHeaders(),
    body: encodeWire({}),
  });
  assert.equal(reply.status, 404);
  assert.equal(errorOf(reply).code, 'API_UNKNOWN_OPERATION');
});

test('a body that is not the wire format, or the wrong method or type, is 400 API_MALFORMED_REQUEST', async () => {
  const garbage = await send('/api/app.info', {
    headers: goodHeaders(),
    body: new TextEncoder().encode('{"json":"instead"}'),
  });
  assert.equal(garbage.status, 400);
  assert.equal(errorOf(garbage).code, 'API_MALFORMED_REQUEST');
  const json = await send('/api/app.info', {
    headers: goodHeaders({ 'Content-Type': 'application/json' }),
    body: encodeWire({}),
  });
  assert.equal(errorOf(json).code, 'API_MALFORMED_REQUEST');
  const get = await send('/api/app.info', { method: 'GET', headers: goodHeaders() });
  assert.equal(get.status, 400);
  assert.equal(errorOf(get).code, 'API_MALFORMED_REQUEST');
});

test('a domain failure (a file that is not DICOM) is reported per file, not as a transport error', async () => {
  const files = [
    {
      name: 'notes.dcm',
      bytes: new TextEncoder().encode(
        'this is not a DICOM file at all, just text, long enough to pass 132 bytes '.repeat(3),
      ),
    },
    {
      name: 'chest.dcm',
      bytes: new Uint8Array(readFileSync(samplePath('chest-dx-lateral-highdicom.dcm'))),
    },
  ];
  const reply = await send('/api/library.importFiles', {
    headers: goodHeaders(),
    body: encodeWire({ files }),
  });
  assert.equal(reply.status, 200);
  const { value } = decodeWire(new Uint8Array(reply.body)) as {
    value: { imported: unknown[]; failed: Array<{ fileName: string; code: string }> };
  };
  assert.equal(value.imported.length, 1, JSON.stringify(value.failed));
  assert.deepEqual(
    value.failed.map((f) => [f.fileName, f.code]),
    [['notes.dcm', 'DICOM_NOT_DICOM']],
  );
});

test('static files carry the isolation and CSP headers; traversal is refused', async () => {
  const page = await send('/', { method: 'GET', headers: { Host: `127.0.0.1:${host.port}` } });
  assert.equal(page.status, 200);
  assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
  assert.match(
    String(page.headers['content-security-policy']),
    /script-src 'self' 'wasm-unsafe-eval'/,
  );
  for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2fpackage.json']) {
    const reply = await send(path, { method: 'GET', headers: { Host: `127.0.0.1:${host.port}` } });
    assert.equal(reply.status, 404, path);
  }
});
