/**
 * The utility process's side of the workstation service: waits for `start`, opens the
 * workstation (data folder, library, models), then answers main's calls by id through
 * the same dispatcher the browser host uses, which validates every call against the
 * contract. Messages that arrive before start-up has finished wait for it. Takes a
 * structural parent port so tests can drive it without Electron.
 */
import type { ApiDispatcher, ApiResponse } from '../core/api/dispatch.ts';
import { toApiErrorBody } from '../core/api/errors.ts';
import type { PageEvents } from '../core/workstation/page-events.ts';
import { isServiceRequest, type ImportSummary, type ServiceMessage } from './service-protocol.ts';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: ServiceMessage): void;
}

export interface ServiceBackend {
  samples: ImportSummary;
  dispatch: ApiDispatcher;
  importPath(path: string): Promise<ImportSummary>;
  /** The events the page may hear, forwarded to main as they happen. */
  events?: PageEvents;
  close(): void | Promise<void>;
}

export function serveWorkstation(
  port: ParentPortLike,
  open: (start: { root: string; dataFolder: string }) => Promise<ServiceBackend>,
  log: (line: string) => void,
  exit: (code: number) => void,
): void {
  let backend: Promise<ServiceBackend> | undefined;

  const reply = (id: number, response: ApiResponse) => {
    try {
      port.postMessage({ kind: 'reply', id, response });
    } catch (error) {
      log(`reply ${id} could not be sent: ${(error as Error).message}`);
      port.postMessage({
        kind: 'reply',
        id,
        response: {
          ok: false,
          error: {
            code: 'API_INTERNAL',
            message: 'The result could not be passed back from the workstation service.',
          },
        },
      });
    }
  };
  const notStarted: ApiResponse = {
    ok: false,
    error: { code: 'API_INTERNAL', message: 'The workstation service has not been started.' },
  };

  port.on('message', ({ data }) => {
    if (!isServiceRequest(data)) {
      log('ignored a malformed message from main');
      return;
    }
    switch (data.kind) {
      case 'start': {
        if (backend) {
          log('ignored a second start');
          return;
        }
        backend = open({ root: data.root, dataFolder: data.dataFolder });
        void backend.then(
          (opened) => {
            opened.events?.((name, payload) => {
              try {
                port.postMessage({ kind: 'event', name, payload: { ...payload } });
              } catch (error) {
                log(`event ${name} could not be sent: ${(error as Error).message}`);
              }
            });
            port.postMessage({ kind: 'ready', samples: opened.samples });
          },
          (error: unknown) => {
            log(
              `start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            );
            port.postMessage({
              kind: 'start-failed',
              message: error instanceof Error ? error.message : String(error),
            });
          },
        );
        return;
      }
      case 'call':
      case 'import-path': {
        const started = backend;
        if (!started) return reply(data.id, notStarted);
        void (async () => {
          let opened: ServiceBackend;
          try {
            opened = await started;
          } catch {
            return reply(data.id, notStarted);
          }
          try {
            reply(
              data.id,
              data.kind === 'call'
                ? await opened.dispatch(data.operation, data.args)
                : { ok: true, value: await opened.importPath(data.path) },
            );
          } catch (error) {
            reply(data.id, { ok: false, error: toApiErrorBody(error) });
          }
        })();
        return;
      }
      case 'stop': {
        void (async () => {
          try {
            await (await backend)?.close();
          } catch (error) {
            log(`closing on stop: ${(error as Error).message}`);
          }
          port.postMessage({ kind: 'stopped' });
          exit(0);
        })();
        return;
      }
    }
  });
}
