/** Browser-host transport: POST /api/<operation> with the session token (see host/). */
import type { ApiResponse } from '../../core/api/dispatch.ts';
import { decodeWire, encodeWire } from '../../core/api/wire.ts';
import type { ApiTransport } from './client.ts';

export const WIRE_CONTENT_TYPE = 'application/x-neoscope-wire';

export function createHttpTransport(origin: string, token: string): ApiTransport {
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
  };
}
