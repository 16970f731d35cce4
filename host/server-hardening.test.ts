/**
 * A malformed %-escape in the address is the client's mistake: 400, one log line, no
 * stack trace (it used to be a 500 with a URIError stack in the log).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDispatcher } from '../core/api/dispatch.ts';
import { decodeWire, encodeWire } from '../core/api/wire.ts';
import { createLibrary } from '../core/library/library.ts';
import { createApiHandlers } from '../core/workstation/handlers.ts';
import { fixedModelCatalogue } from '../core/workstation/model-catalogue.ts';
import { createServices } from '../core/workstation/services.ts';
import { WIRE_CONTENT_TYPE } from './http-transport.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

let host: BrowserHost;
const logged: string[] = [];
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
  host = await startBrowserHost({
    dispatch: createDispatcher(handlers),
    mounts: [{ prefix: '/', folder: staticFolder }],
    log: (line) => logged.push(line),
  });
});
after(() => host.close());

function send(
  path: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method,
        headers: { Host: `127.0.0.1:${host.port}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('a malformed %-escape in a page address is 400, logged without a stack trace', async () => {
  for (const path of ['/%', '/%zz', '/%E0%A4%A', '/vendor/ort/%C0%AF']) {
    logged.length = 0;
    const reply = await send(path, 'GET');
    assert.equal(reply.status, 400, path);
    assert.ok(
      !logged.some((line) => /\n\s+at /.test(line) || line.includes('URIError')),
      `no stack trace for ${path}: ${logged.join(' | ')}`,
    );
  }
});

test('a malformed %-escape in an API operation is 400 API_MALFORMED_REQUEST, without a stack trace', async () => {
  logged.length = 0;
  const reply = await send(
    '/api/app.%zz',
    'POST',
    {
      Authorization: `Bearer ${host.token}`,
      'Content-Type': WIRE_CONTENT_TYPE,
      Origin: host.origin,
    },
    encodeWire({}),
  );
  assert.equal(reply.status, 400);
  const body = decodeWire(new Uint8Array(reply.body)) as { ok: boolean; error: { code: string } };
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'API_MALFORMED_REQUEST');
  assert.ok(!logged.some((line) => /\n\s+at /.test(line)), logged.join(' | '));
});

test('well-formed escapes still work', async () => {
  assert.equal((await send('/index%2Ehtml', 'GET')).status, 200);
});
