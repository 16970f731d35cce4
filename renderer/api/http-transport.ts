/**
 * Browser-host transport: POST /api/<operation> with the session token (see host/), and the
 * workstation's events read from GET /events, a server-sent event stream sent only to the
 * holder of the token. The stream is opened with the first subscription and read with fetch
 * (EventSource cannot send the token in a header); when it breaks it is opened again after
 * a pause that grows while the host stays away.
 */
import type { ApiResponse } from '../../core/api/dispatch.ts';
import { parseEvent } from '../../core/api/events.ts';
import { decodeWire, encodeWire } from '../../core/api/wire.ts';
import { Emitter } from '../../core/base/emitter.ts';
import type { ApiTransport, PageEventMap } from './client.ts';

export const WIRE_CONTENT_TYPE = 'application/x-neoscope-wire';
const RETRY_MS = [1_000, 3_000, 10_000, 30_000];

/** Splits a server-sent event stream into (event, data) pairs as the text arrives. */
export function sseParser(onEvent: (name: string, data: string) => void) {
  let buffer = '';
  return (text: string) => {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
  };
}

export function createHttpTransport(origin: string, token: string): ApiTransport {
  const events = new Emitter<PageEventMap>((error) => console.error(error));
  let listening = 0;
  let stream: AbortController | undefined;

  const open = async (attempt: number): Promise<void> => {
    const controller = new AbortController();
    stream = controller;
    try {
      const response = await fetch(`${origin}/events`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) throw new Error(`event stream: ${response.status}`);
      attempt = 0;
      const feed = sseParser((name, data) => {
        const event = parseEvent(name, JSON.parse(data));
        if (event) events.emit(event.name, event.payload as never);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed(value);
      }
    } catch {
      if (controller.signal.aborted) return;
    }
    if (stream !== controller || !listening) return;
    const pause = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
    setTimeout(() => {
      if (stream === controller && listening) void open(attempt + 1);
    }, pause);
  };

  return {
    kind: 'http',
    async call(operation, args) {
      const response = await fetch(`${origin}/api/${encodeURIComponent(operation)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': WIRE_CONTENT_TYPE },
        body: encodeWire(args) as Uint8Array<ArrayBuffer>,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      return decodeWire(bytes) as ApiResponse;
    },
    on(event, listener) {
      const off = events.on(event, listener);
      if (listening++ === 0) void open(0);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        off();
        if (--listening === 0) {
          stream?.abort();
          stream = undefined;
        }
      };
    },
  };
}
