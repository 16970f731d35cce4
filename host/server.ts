/**
 * The browser host: the renderer and the API over HTTP on 127.0.0.1, for machines where
 * Electron cannot run and for end-to-end tests. Same contract, same handlers.
 */
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApiDispatcher } from '../core/api/dispatch.ts';
import type { PageEvents } from '../core/workstation/page-events.ts';
import { encodeWire } from '../core/api/wire.ts';
import { RENDERER_SECURITY_HEADERS } from '../core/security/content-policy.ts';
import {
  API_PREFIX,
  handleApiRequest,
  hostIsAllowed,
  WIRE_CONTENT_TYPE,
} from './http-transport.ts';
import { EVENTS_PATH, handleEventStream } from './event-stream.ts';
import { serveStatic, type StaticMount } from './static-files.ts';

export interface BrowserHostOptions {
  dispatch: ApiDispatcher;
  /** The workstation's events, streamed to the page at /events (host/event-stream.ts). */
  events?: PageEvents;
  mounts: StaticMount[];
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** Address to open, with the session token in the fragment (never sent to the server). */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Resolves when a request first presents the session token: the page that holds it is running. */
  tokenUsed: Promise<void>;
  close(): Promise<void>;
}

/** A %-escape that does not decode (`/%zz`, `/%E0%A4%A`) is the client's mistake, not a server error. */
function hasMalformedEscape(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

function refuseMalformedPath(res: ServerResponse, api: boolean): void {
  const message = 'The address has a malformed %-escape.';
  if (api) {
    const body = encodeWire({ ok: false, error: { code: 'API_MALFORMED_REQUEST', message } });
    res.writeHead(400, {
      ...RENDERER_SECURITY_HEADERS,
      'Content-Type': WIRE_CONTENT_TYPE,
      'Content-Length': body.byteLength,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  } else {
    res.writeHead(400, {
      ...RENDERER_SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
    });
    res.end(message);
  }
}

function presentsToken(req: IncomingMessage, token: string): boolean {
  const auth = req.headers.authorization ?? '';
  const presented = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  let port = 0;
  let markTokenUsed!: () => void;
  const tokenUsed = new Promise<void>((resolve) => (markTokenUsed = resolve));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const api = path.startsWith(API_PREFIX);
    if (hasMalformedEscape(path)) {
      log(
        `request ${req.method} ${JSON.stringify(path.slice(0, 200))} refused (400): malformed %-escape`,
      );
      return refuseMalformedPath(res, api);
    }
    if (api && presentsToken(req, token)) markTokenUsed();
    if (path === EVENTS_PATH && options.events)
      return handleEventStream(req, res, { events: options.events, token, port: () => port });
    const work = api
      ? handleApiRequest(req, res, { dispatch: options.dispatch, token, port: () => port })
      : hostIsAllowed(req, port)
        ? serveStatic(req, res, options.mounts)
        : Promise.resolve(void res.writeHead(403).end('Forbidden host'));
    work.catch((error: unknown) => {
      if (error instanceof URIError) {
        // Belt and braces for decoding deeper down: still the client's address, still no stack.
        log(
          `request ${req.method} ${JSON.stringify(path.slice(0, 200))} refused (400): ${error.message}`,
        );
        if (!res.headersSent) return refuseMalformedPath(res, api);
        return void res.end();
      }
      log(`request ${req.method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    tokenUsed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ChromiumLaunch<Child> {
  child: Child;
  /** Chromium's private profile folder (0700), removed by close(). */
  profile: string;
  /** The page Chromium opens first; it holds the token and is removed once the token is used. */
  launchPage: string;
  launchPageRemoved: Promise<void>;
  close(): void;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Opens the workstation in Chromium (app mode) without the session token on Chromium's
 * command line, which every local user can read (ps, /proc/<pid>/cmdline). Chromium gets
 * the file:// address of a launch page written into its own profile folder (0700, the
 * page 0600); the page redirects to the address with the token in the fragment, which
 * the renderer reads and removes from the address bar. The launch page is deleted as
 * soon as a request presents the token, and the profile folder on close().
 */
export function openInChromium<Child extends { kill(): unknown }>(
  host: Pick<BrowserHost, 'url' | 'tokenUsed'>,
  chromium: string,
  spawnProcess: (command: string, args: string[]) => Child = (command, args) =>
    spawn(command, args, { stdio: 'ignore' }) as unknown as Child,
): ChromiumLaunch<Child> {
  const profile = mkdtempSync(join(tmpdir(), 'neoscope-chromium-'));
  const launchPage = join(profile, 'open-neoscope.html');
  const target = escapeHtml(host.url);
  writeFileSync(
    launchPage,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${target}"><title>Opening NeoScope</title><p><a href="${target}">Open NeoScope</a></p>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const child = spawnProcess(chromium, [
    `--app=${pathToFileURL(launchPage).href}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ]);
  const launchPageRemoved = host.tokenUsed.then(() => rmSync(launchPage, { force: true }));
  return {
    child,
    profile,
    launchPage,
    launchPageRemoved,
    close() {
      child.kill();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
