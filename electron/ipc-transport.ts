/**
 * The Electron IPC transport of the API contract. One channel carries every operation;
 * the main process answers only frames of exactly our app:// origin (a navigated or
 * injected frame gets API_FORBIDDEN_SENDER) and passes the call to the dispatcher, which
 * validates it against the contract. In the app that dispatcher is the workstation
 * service's, reached through electron/service-client.ts.
 */
import type { ApiDispatcher, ApiResponse } from '../core/api/dispatch.ts';
import { isAppUrl } from './security.ts';

export const API_CHANNEL = 'neoscope:api';
/**
 * The workstation's events (core/api/events.ts), forwarded from the service: one channel
 * carries them all as (name, payload); the preload passes on only known names.
 */
export const WORKSTATION_EVENT_CHANNEL = 'neoscope:event';
/** Events of the window itself (its menu), which main sends on their own channels. */
export const SHELL_EVENT_CHANNELS = {
  'show-shortcuts': 'neoscope:show-shortcuts',
} as const;
export type ShellEvent = keyof typeof SHELL_EVENT_CHANNELS;

export interface IpcSenderEvent {
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
}

export function createIpcApiListener(dispatch: ApiDispatcher) {
  return async (event: IpcSenderEvent, operation: unknown, args: unknown): Promise<ApiResponse> => {
    const url = event.senderFrame?.url ?? '';
    if (!isAppUrl(url)) {
      return {
        ok: false,
        error: {
          code: 'API_FORBIDDEN_SENDER',
          message: `API calls are accepted only from the workstation page, not ${url || 'an unknown frame'}.`,
        },
      };
    }
    return dispatch(operation, args);
  };
}

export function registerApiIpc(ipcMain: IpcMainLike, dispatch: ApiDispatcher): void {
  const listener = createIpcApiListener(dispatch);
  ipcMain.handle(API_CHANNEL, (event, operation, args) => listener(event, operation, args));
}
