/**
 * The renderer's only way to privileged code: a typed client over a transport (Electron
 * IPC or HTTP). Errors come back as ApiError with the service's stable code.
 */
import type { ApiResponse } from '../../core/api/dispatch.ts';
import type { OperationArgs, OperationName, OperationResult } from '../../core/api/contract.ts';
import { ApiError, type ApiErrorBody } from '../../core/api/errors.ts';

export interface ApiTransport {
  readonly kind: 'ipc' | 'http';
  call(operation: string, args: unknown): Promise<ApiResponse>;
  on?(event: 'library-changed' | 'show-shortcuts', listener: () => void): () => void;
}

export interface ApiClient {
  readonly transport: ApiTransport;
  call<N extends OperationName>(operation: N, args: OperationArgs<N>): Promise<OperationResult<N>>;
}

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
  };
}
