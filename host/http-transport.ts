/**
 * The HTTP transport of the API contract for the browser host. A call is
 *   POST /api/<operation>   Authorization: Bearer <per-launch token>
 * with the arguments in the wire format (core/api/wire.ts). Before anything is read:
 *   - Host must be this server's loopback address (stops DNS-rebinding pages);
 *   - Origin, when sent, must be this server's origin (stops other local pages);
 *   - the token must match (stops other local processes and users).
 * Every refusal is an ApiErrorBody with a 4xx status, never a bare string.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiDispatcher } from '../core/api/dispatch.ts';
import { httpStatusFor, type ApiErrorBody } from '../core/api/errors.ts';
import { decodeWire, encodeWire } from '../core/api/wire.ts';
import { RENDERER_SECURITY_HEADERS } from '../core/security/content-policy.ts';

export const API_PREFIX = '/api/';
export const WIRE_CONTENT_TYPE = 'application/x-neoscope-wire';
export const MAX_REQUEST_BYTES = 512 * 1024 * 1024;

export interface HttpTransportOptions {
  dispatch: ApiDispatcher;
  token: string;
  /** Loopback port the server listens on; read at request time (known after listen). */
  port: () => number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const bytes = encodeWire(body);
  res.writeHead(status, {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': WIRE_CONTENT_TYPE,
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function refuse(res: ServerResponse, error: ApiErrorBody): void {
  send(res, httpStatusFor(error.code), { ok: false, error });
}

export function tokensMatch(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Checks shared by the API and static files: a request must be addressed to us. */
export function hostIsAllowed(req: IncomingMessage, port: number): boolean {
  return allowedOrigins(port).some((origin) => origin === `http://${req.headers.host ?? ''}`);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) return 'too-large';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_REQUEST_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: HttpTransportOptions,
): Promise<void> {
  const port = options.port();
  if (!hostIsAllowed(req, port)) {
    return refuse(res, {
      code: 'API_FORBIDDEN_HOST',
      message: `Host "${req.headers.host ?? ''}" is not this workstation's address.`,
    });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin)) {
    return refuse(res, {
      code: 'API_FORBIDDEN_ORIGIN',
      message: `Requests from ${origin} are not accepted.`,
    });
  }
  const auth = req.headers.authorization ?? '';
  const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!presented || !tokensMatch(presented, options.token)) {
    return refuse(res, {
      code: 'API_UNAUTHORIZED',
      message: 'Missing or wrong session token; open the address printed at start-up.',
    });
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return refuse(res, {
      code: 'API_MALFORMED_REQUEST',
      message: `API calls use POST, not ${req.method}.`,
    });
  }
  if (!(req.headers['content-type'] ?? '').startsWith(WIRE_CONTENT_TYPE)) {
    return refuse(res, {
      code: 'API_MALFORMED_REQUEST',
      message: `API calls send ${WIRE_CONTENT_TYPE}.`,
    });
  }
  const body = await readBody(req);
  if (body === 'too-large') {
    return refuse(res, {
      code: 'API_PAYLOAD_TOO_LARGE',
      message: `A call may carry at most ${MAX_REQUEST_BYTES / 1024 / 1024} MiB; send fewer files at once.`,
    });
  }
  let args: unknown;
  try {
    args = decodeWire(body);
  } catch (error) {
    return refuse(res, {
      code: 'API_MALFORMED_REQUEST',
      message: `Unreadable request body: ${(error as Error).message}.`,
    });
  }
  const operation = decodeURIComponent(
    new URL(req.url ?? '/', 'http://x').pathname.slice(API_PREFIX.length),
  );
  const response = await options.dispatch(operation, args);
  send(res, response.ok ? 200 : httpStatusFor(response.error.code), response);
}
