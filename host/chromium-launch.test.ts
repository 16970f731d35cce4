/**
 * The session token never appears on Chromium's command line, which every local user
 * can read (ps, /proc/<pid>/cmdline): Chromium opens a launch page in its private
 * profile folder, and that page sends it on to the address with the token.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createDispatcher } from '../core/api/dispatch.ts';
import { encodeWire } from '../core/api/wire.ts';
import { createLibrary } from '../core/library/library.ts';
import { createApiHandlers } from '../core/workstation/handlers.ts';
import { fixedModelCatalogue } from '../core/workstation/model-catalogue.ts';
import { createServices } from '../core/workstation/services.ts';
import { WIRE_CONTENT_TYPE } from './http-transport.ts';
import { openInChromium, startBrowserHost, type BrowserHost } from './server.ts';

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
  host = await startBrowserHost({
    dispatch: createDispatcher(handlers),
    mounts: [{ prefix: '/', folder: staticFolder }],
  });
});
after(() => host.close());

/** What the page does first once it has the token: an API call presenting it. */
function callWithToken(token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = {
      Host: `127.0.0.1:${host.port}`,
      Origin: host.origin,
      Authorization: `Bearer ${token}`,
      'Content-Type': WIRE_CONTENT_TYPE,
    };
    const req = request(
      { host: '127.0.0.1', port: host.port, path: '/api/app.info', method: 'POST', headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(encodeWire({}));
  });
}

test("Chromium's command line carries no session token; a private launch page does", async () => {
  const spawned: Array<{ command: string; args: string[] }> = [];
  const launch = openInChromium(host, '/usr/bin/chromium', (command, args) => {
    spawned.push({ command, args });
    return { kill: () => true };
  });
  try {
    assert.equal(spawned.length, 1);
    const commandLine = [spawned[0]!.command, ...spawned[0]!.args].join(' ');
    assert.ok(!commandLine.includes(host.token), `token on the command line: ${commandLine}`);
    assert.ok(!commandLine.includes('token='), commandLine);
    assert.ok(
      spawned[0]!.args.includes(`--app=${pathToFileURL(launch.launchPage).href}`),
      commandLine,
    );
    assert.ok(spawned[0]!.args.includes(`--user-data-dir=${launch.profile}`), commandLine);
    // The page that carries the token is readable by this user only, in a folder only this user can enter.
    assert.ok(
      readFileSync(launch.launchPage, 'utf8').includes(`${host.origin}/#token=${host.token}`),
    );
    if (process.platform !== 'win32') {
      assert.equal(statSync(launch.launchPage).mode & 0o777, 0o600);
      assert.equal(statSync(launch.profile).mode & 0o777, 0o700);
    }
    // A wrong token does not count; the first call with the right one means the page is running.
    assert.equal(await callWithToken('x'.repeat(host.token.length)), 401);
    assert.equal(existsSync(launch.launchPage), true);
    assert.equal(await callWithToken(host.token), 200);
    await launch.launchPageRemoved;
    assert.equal(existsSync(launch.launchPage), false);
  } finally {
    launch.close();
  }
  assert.equal(existsSync(launch.profile), false, 'the profile folder is removed on close');
});
