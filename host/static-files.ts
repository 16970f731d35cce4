/** Serves the built renderer (dist/renderer) with the same security headers as Electron. */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES, RENDERER_SECURITY_HEADERS } from '../core/security/content-policy.ts';

export interface StaticMount {
  /** URL prefix, e.g. "/" or "/vendor/ort/". */
  prefix: string;
  folder: string;
}

export function resolveStaticPath(mounts: StaticMount[], urlPath: string): string | undefined {
  const decoded = decodeURIComponent(urlPath);
  if (decoded.includes('\0')) return undefined;
  for (const mount of [...mounts].sort((a, b) => b.prefix.length - a.prefix.length)) {
    if (!decoded.startsWith(mount.prefix)) continue;
    const relativePath = decoded.slice(mount.prefix.length) || 'index.html';
    const full = normalize(join(mount.folder, relativePath));
    // Refuse anything that escapes the mounted folder (../ and encoded variants).
    if (!full.startsWith(normalize(mount.folder) + sep)) return undefined;
    return full;
  }
  return undefined;
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  mounts: StaticMount[],
): Promise<void> {
  const path = resolveStaticPath(mounts, new URL(req.url ?? '/', 'http://x').pathname);
  const type = path ? CONTENT_TYPES[extname(path)] : undefined;
  let bytes: Buffer | undefined;
  if (path && type && (req.method === 'GET' || req.method === 'HEAD')) {
    bytes = await readFile(path).catch(() => undefined);
  }
  if (!bytes || !type) {
    res.writeHead(404, {
      ...RENDERER_SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
    });
    res.end('Not found');
    return;
  }
  res.writeHead(200, {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': bytes.length,
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
