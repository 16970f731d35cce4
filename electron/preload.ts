/**
 * The only bridge between the sandboxed page and the main process: `call` forwards an
 * operation name and its arguments on one IPC channel; `on` subscribes to the workstation's
 * events and the window's menu events; nothing else of Node or Electron is exposed.
 * Validation happens in main against the contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isEventName } from '../core/api/event-names.ts';
import {
  API_CHANNEL,
  SHELL_EVENT_CHANNELS,
  WORKSTATION_EVENT_CHANNEL,
  type ShellEvent,
} from './ipc-transport.ts';

contextBridge.exposeInMainWorld('neoscopeBridge', {
  call: (operation: string, args: unknown) => {
    if (typeof operation !== 'string' || operation.length > 100) {
      return Promise.resolve({
        ok: false,
        error: { code: 'API_MALFORMED_REQUEST', message: 'operation must be a short string' },
      });
    }
    return ipcRenderer.invoke(API_CHANNEL, operation, args);
  },
  /** Subscribes to a workstation event or a menu event; returns the unsubscribe. */
  on: (event: string, listener: (payload: unknown) => void) => {
    if (Object.hasOwn(SHELL_EVENT_CHANNELS, event)) {
      const channel = SHELL_EVENT_CHANNELS[event as ShellEvent];
      const wrapped = () => listener(undefined);
      ipcRenderer.on(channel, wrapped);
      return () => void ipcRenderer.removeListener(channel, wrapped);
    }
    if (!isEventName(event)) return () => {};
    const wrapped = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(WORKSTATION_EVENT_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(WORKSTATION_EVENT_CHANNEL, wrapped);
  },
});
