/**
 * The only bridge between the sandboxed page and the main process: `call` forwards an
 * operation name and its arguments on one IPC channel; nothing else of Node or Electron
 * is exposed. Validation happens in main against the contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { API_CHANNEL, EVENT_CHANNELS, type WorkstationEvent } from './ipc-transport.ts';

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
  /** Subscribes to a main-process event (menu actions, library changes); returns unsubscribe. */
  on: (event: WorkstationEvent, listener: () => void) => {
    const channel = EVENT_CHANNELS[event];
    if (!channel) return () => {};
    const wrapped = () => listener();
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
});
