/**
 * The renderer's only way to privileged code: a typed client over a transport (Electron
 * IPC or HTTP). Errors come back as ApiError with the service's stable code. The transport
 * also carries the workstation's events (core/api/events.ts) and, in Electron, the window's
 * menu events.
 */
import type { ApiResponse } from '../../core/api/dispatch.ts';
import type { OperationArgs, OperationName, OperationResult } from '../../core/api/contract.ts';
import { ApiError, type ApiErrorBody } from '../../core/api/errors.ts';
import type { EventName, WorkstationEventMap } from '../../core/api/events.ts';

/** Events of the window itself: Electron's menu asks for the shortcuts. */
export type ShellEventMap = { 'show-shortcuts': undefined };
export type PageEventMap = WorkstationEventMap & ShellEventMap;
export type PageEventName = keyof PageEventMap;

export interface ApiTransport {
  readonly kind: 'ipc' | 'http';
  call(operation: string, args: unknown): Promise<ApiResponse>;
  /** Subscribes to an event; returns the unsubscribe. */
  on<N extends PageEventName>(event: N, listener: (payload: PageEventMap[N]) => void): () => void;
}

export interface ApiClient {
  readonly transport: ApiTransport;
  call<N extends OperationName>(operation: N, args: OperationArgs<N>): Promise<OperationResult<N>>;
  on<N extends PageEventName>(event: N, listener: (payload: PageEventMap[N]) => void): () => void;
}

export type { EventName };

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    transport,
    async call(operation, args) {
      let response: ApiResponse;
      try {
        response = await transport.call(operation, args);
      } catch (error) {
        throw new ApiError({
          code: 'API_INTERNAL',
          message: `The workstation service did not answer: ${(error as Error).message}`,
        });
      }
      if (!response.ok) throw new ApiError(response.error as ApiErrorBody);
      return response.value as OperationResult<typeof operation>;
    },
    on: (event, listener) => transport.on(event, listener),
  };
}
