/**
 * The workstation's events for the page over HTTP: a server-sent event stream,
 *   GET /events   Authorization: Bearer <per-launch token>
 * checked like an API call (this server's Host, its Origin when sent, the token), so only
 * the page that holds the token hears anything. The page reads it with fetch (EventSource
 * cannot send the header). Each event is `event: <name>` and `data: <payload as JSON>`; a
 * comment every HEARTBEAT_MS keeps idle proxies and the page's reader from giving up.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, type ApiErrorBody } from '../core/api/errors.ts';
import { RENDERER_SECURITY_HEADERS } from '../core/security/content-policy.ts';
import type { PageEvents } from '../core/workstation/page-events.ts';
import { allowedOrigins, hostIsAllowed, tokensMatch } from './http-transport.ts';

export const EVENTS_PATH = '/events';
export const HEARTBEAT_MS = 25_000;

export interface EventStreamOptions {
  events: PageEvents;
  token: string;
  port: () => number;
  heartbeatMs?: number;
}

function refuse(res: ServerResponse, error: ApiErrorBody): void {
  res.writeHead(httpStatusFor(error.code), {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify({ ok: false, error }));
}

export function handleEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  options: EventStreamOptions,
): void {
  const port = options.port();
  if (!hostIsAllowed(req, port))
    return refuse(res, {
      code: 'API_FORBIDDEN_HOST',
      message: `Host "${req.headers.host ?? ''}" is not this workstation's address.`,
    });
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin))
    return refuse(res, {
      code: 'API_FORBIDDEN_ORIGIN',
      message: `Requests from ${origin} are not accepted.`,
    });
  const auth = req.headers.authorization ?? '';
  const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!presented || !tokensMatch(presented, options.token))
    return refuse(res, {
      code: 'API_UNAUTHORIZED',
      message: 'Missing or wrong session token; open the address printed at start-up.',
    });
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    return refuse(res, {
      code: 'API_MALFORMED_REQUEST',
      message: `The event stream is read with GET, not ${req.method}.`,
    });
  }
  res.writeHead(200, {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write('retry: 3000\n\n');
  const unsubscribe = options.events((name, payload) => {
    res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  });
  const heartbeat = setInterval(
    () => res.write(': still here\n\n'),
    options.heartbeatMs ?? HEARTBEAT_MS,
  );
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}
