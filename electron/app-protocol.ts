/**
 * Serves the renderer from app://neoscope/ instead of file://, so the page has a real
 * origin ('self' in the CSP means something) and gets the COOP/COEP headers that make
 * it cross-origin isolated, exactly as the browser host serves it.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_TYPES, RENDERER_SECURITY_HEADERS } from '../core/security/content-policy.ts';
import { resolveStaticPath, type StaticMount } from '../host/static-files.ts';
import { APP_HOST, APP_SCHEME } from './window-options.ts';

/** Must run before the app is ready (Electron requirement for privileged schemes). */
export function registerAppSchemePrivileges(
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>,
): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        stream: true,
        codeCache: true,
      },
    },
  ]);
}

export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, mounts: StaticMount[]): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    let path: string | undefined;
    try {
      path = url.host === APP_HOST ? resolveStaticPath(mounts, url.pathname) : undefined;
    } catch (error) {
      // A %-escape that does not decode: the address is wrong, nothing failed here.
      if (error instanceof URIError)
        return new Response('Bad request', { status: 400, headers: RENDERER_SECURITY_HEADERS });
      throw error;
    }
    const type = path ? CONTENT_TYPES[extname(path)] : undefined;
    const bytes = path && type ? await readFile(path).catch(() => undefined) : undefined;
    if (!bytes || !type)
      return new Response('Not found', { status: 404, headers: RENDERER_SECURITY_HEADERS });
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: { ...RENDERER_SECURITY_HEADERS, 'Content-Type': type },
    });
  });
}
