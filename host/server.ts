/**
 * The browser host: the renderer and the API over HTTP on 127.0.0.1, for machines where
 * Electron cannot run and for end-to-end tests. Same contract, same handlers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDispatcher } from '../core/api/dispatch.ts';
import { API_PREFIX, handleApiRequest, hostIsAllowed } from './http-transport.ts';
import { serveStatic, type StaticMount } from './static-files.ts';

export interface BrowserHostOptions {
  dispatch: ApiDispatcher;
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
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  let port = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const work = path.startsWith(API_PREFIX)
      ? handleApiRequest(req, res, { dispatch: options.dispatch, token, port: () => port })
      : hostIsAllowed(req, port)
        ? serveStatic(req, res, options.mounts)
        : Promise.resolve(void res.writeHead(403).end('Forbidden host'));
    work.catch((error: unknown) => {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
