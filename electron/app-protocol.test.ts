/** The app:// handler without Electron: a fake protocol and real Request objects. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serveAppProtocol } from './app-protocol.ts';

function handler(): (request: Request) => Promise<Response> {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-app-'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html>');
  let registered: ((request: Request) => Promise<Response>) | undefined;
  serveAppProtocol(
    {
      handle: (_scheme: string, fn: (request: Request) => Promise<Response>) =>
        void (registered = fn),
    } as never,
    [{ prefix: '/', folder }],
  );
  return registered!;
}

test('our own files are served with the security headers; other hosts and traversal are 404', async () => {
  const serve = handler();
  const page = await serve(new Request('app://neoscope/index.html'));
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal((await serve(new Request('app://neoscope.evil/index.html'))).status, 404);
  assert.equal((await serve(new Request('app://neoscope/%2e%2e/%2e%2e/etc/passwd'))).status, 404);
});

test('a malformed %-escape is 400, not a rejected handler', async () => {
  const serve = handler();
  for (const path of ['/%', '/%zz', '/%E0%A4%A']) {
    const reply = await serve(new Request(`app://neoscope${path}`));
    assert.equal(reply.status, 400, path);
  }
});
