/**
 * Picks the transport: inside Electron the preload exposes `neoscopeBridge`; in the
 * browser host the session token arrives in the URL fragment, is kept for this tab in
 * sessionStorage and removed from the address bar.
 */
import type { ApiResponse } from '../../core/api/dispatch.ts';
import { parseEvent } from '../../core/api/events.ts';
import { createApiClient, type ApiClient, type ApiTransport } from './client.ts';
import { createHttpTransport } from './http-transport.ts';

interface NeoscopeBridge {
  call(operation: string, args: unknown): Promise<ApiResponse>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    neoscopeBridge?: NeoscopeBridge;
  }
}

const TOKEN_KEY = 'neoscope.sessionToken';

export function readSessionToken(): string | undefined {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function connectApi(): ApiClient {
  const bridge = window.neoscopeBridge;
  if (bridge) {
    const transport: ApiTransport = {
      kind: 'ipc',
      call: (op, args) => bridge.call(op, args),
      // The preload passes on only known event names; the payload is checked here against
      // the contract like the HTTP transport's.
      on: (event, listener) =>
        bridge.on(event, (payload) => {
          if (event === 'show-shortcuts') return listener(undefined as never);
          const parsed = parseEvent(event, payload);
          if (parsed) listener(parsed.payload as never);
        }),
    };
    return createApiClient(transport);
  }
  const token = readSessionToken();
  if (!token)
    throw new Error(
      'No session token: open the address that `npm start` printed (it ends with #token=…).',
    );
  return createApiClient(createHttpTransport(window.location.origin, token));
}
