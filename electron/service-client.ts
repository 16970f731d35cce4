/**
 * Main's side of the workstation service: an ApiDispatcher that forwards each call to
 * the utility process and waits for the reply with the same id. What comes back is
 * checked before it is passed on (the service parses hostile files, so main does not
 * trust it more than it must); a reply that does not fit, a call the service never
 * answers because it died, and calls after that all get typed API errors, never hang.
 * Takes a structural channel so tests can wire it to a fake utility process.
 */
import type { ApiDispatcher, ApiResponse } from '../core/api/dispatch.ts';
import type { EventName } from '../core/api/event-names.ts';
import {
  isImportSummary,
  isServiceMessage,
  type ImportSummary,
  type ServiceRequest,
} from './service-protocol.ts';

export interface ServiceChannel {
  post(message: ServiceRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
}

export interface ServiceClient {
  /** Resolves once the data folder is open and the bundled samples are imported. */
  ready: Promise<ImportSummary>;
  /** Resolves with the exit code when the utility process ends, expected or not. */
  exited: Promise<number>;
  call: ApiDispatcher;
  /** Reads and imports a file or folder chosen in main's dialog, in the service. */
  importPath(path: string): Promise<ImportSummary>;
  /** Asks the service to close the data folder and exit; resolves true if it did within the time. */
  stop(timeoutMs: number): Promise<boolean>;
  /** Hears the events the service pushes for the page; returns the unsubscribe. */
  onEvent(listener: (name: EventName, payload: Record<string, unknown>) => void): () => void;
}

const stoppedError = (code: number | undefined): ApiResponse => ({
  ok: false,
  error: {
    code: 'API_INTERNAL',
    message: `The workstation service has stopped${code === undefined ? '' : ` (exit code ${code})`}; restart NeoScope.`,
  },
});

export function createServiceClient(
  channel: ServiceChannel,
  start: { root: string; dataFolder: string },
  log: (line: string) => void,
): ServiceClient {
  const pending = new Map<number, (response: ApiResponse) => void>();
  const eventListeners = new Set<(name: EventName, payload: Record<string, unknown>) => void>();
  let nextId = 1;
  let exitCode: number | undefined;
  let hasExited = false;

  let resolveReady!: (samples: ImportSummary) => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<ImportSummary>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Callers may never await `ready` (e.g. a call made before start-up finished): no unhandled rejection.
  ready.catch(() => {});
  let resolveExited!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (resolveExited = resolve));
  let resolveStopped: (() => void) | undefined;

  channel.onMessage((message) => {
    if (!isServiceMessage(message)) {
      // A reply whose id we know but whose body is wrong still answers that call.
      const id =
        (message as { kind?: unknown; id?: unknown } | null)?.kind === 'reply'
          ? (message as { id: unknown }).id
          : undefined;
      const answer = typeof id === 'number' ? pending.get(id) : undefined;
      if (answer && typeof id === 'number') {
        pending.delete(id);
        answer({
          ok: false,
          error: {
            code: 'API_INVALID_RESULT',
            message: 'The workstation service sent a reply that is not a valid API response.',
          },
        });
      }
      log('ignored a malformed message from the workstation service');
      return;
    }
    switch (message.kind) {
      case 'ready':
        resolveReady(message.samples);
        break;
      case 'start-failed':
        rejectReady(new Error(`the workstation service could not start: ${message.message}`));
        break;
      case 'reply': {
        const answer = pending.get(message.id);
        if (!answer) {
          log(`ignored a reply to no pending call (id ${message.id})`);
          break;
        }
        pending.delete(message.id);
        answer(message.response);
        break;
      }
      case 'event':
        for (const listener of [...eventListeners]) listener(message.name, message.payload);
        break;
      case 'stopped':
        resolveStopped?.();
        break;
    }
  });

  channel.onExit((code) => {
    hasExited = true;
    exitCode = code;
    rejectReady(new Error(`the workstation service exited (code ${code}) before it was ready`));
    for (const answer of pending.values()) answer(stoppedError(code));
    pending.clear();
    resolveStopped?.();
    resolveExited(code);
  });

  const request = (build: (id: number) => ServiceRequest): Promise<ApiResponse> => {
    if (hasExited) return Promise.resolve(stoppedError(exitCode));
    const id = nextId++;
    return new Promise<ApiResponse>((resolve) => {
      pending.set(id, resolve);
      try {
        channel.post(build(id));
      } catch (error) {
        // Structured clone refuses functions, symbols and the like: the caller's mistake.
        pending.delete(id);
        resolve({
          ok: false,
          error: {
            code: 'API_MALFORMED_REQUEST',
            message: `The call cannot be passed to the workstation service: ${(error as Error).message}`,
          },
        });
      }
    });
  };

  const call: ApiDispatcher = (operation, args) => {
    if (typeof operation !== 'string' || operation.length > 100) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'API_UNKNOWN_OPERATION',
          message: `Unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}.`,
        },
      });
    }
    return request((id) => ({ kind: 'call', id, operation, args }));
  };

  const importPath = async (path: string): Promise<ImportSummary> => {
    const response = await request((id) => ({ kind: 'import-path', id, path }));
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
    if (!isImportSummary(response.value))
      throw new Error('the workstation service sent an import summary that is not one');
    return response.value;
  };

  const stop = async (timeoutMs: number): Promise<boolean> => {
    if (hasExited) return true;
    const done = new Promise<void>((resolve) => (resolveStopped = resolve));
    try {
      channel.post({ kind: 'stop' });
    } catch {
      return false;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
    );
    const result = await Promise.race([done.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  };

  channel.post({ kind: 'start', root: start.root, dataFolder: start.dataFolder });
  const onEvent: ServiceClient['onEvent'] = (listener) => {
    eventListeners.add(listener);
    return () => void eventListeners.delete(listener);
  };

  return { ready, exited, call, importPath, stop, onEvent };
}
