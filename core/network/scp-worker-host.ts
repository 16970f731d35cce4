/**
 * The main thread's side of the SCP worker (scp-worker.ts): finds the worker's entry,
 * starts it, relays its log lines, passes each instance it receives to storeInstance and
 * sends the result back. A worker_threads Worker, not a child process: Electron's
 * RunAsNode fuse is off, so a forked Electron binary would not run as Node.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../inference/worker/worker-entry.ts';
import type { FromScpWorker, ScpWorkerData, ToScpWorker } from './scp-worker-protocol.ts';
import type { StoreInstance } from './store-scp-handler.ts';
import type { ListeningScp } from './store-scp-server.ts';

const CLOSE_WAIT_MS = 5_000;

/**
 * Where the worker's code is: a built scp-worker.mjs next to this module (when bundled, the
 * build must emit it beside the bundle), or scp-worker.ts run through tsx (development and
 * tests; Node 20 workers do not inherit `--import tsx`, so a small bootstrap registers it).
 * Undefined when neither is found: the SCP then runs on the calling thread.
 */
export function scpWorkerEntry(): URL | undefined {
  return workerEntry('scp-worker.mjs', () => new URL('./scp-worker.ts', import.meta.url));
}

export function startScpWorker(
  entry: URL,
  data: ScpWorkerData,
  storeInstance: StoreInstance,
  log: (line: string) => void,
): Promise<ListeningScp> {
  const worker = new Worker(entry, { workerData: data, name: 'dicom-scp' });
  const send = (message: ToScpWorker) => worker.postMessage(message);
  let closing = false;
  let closed: (() => void) | undefined;

  return new Promise<ListeningScp>((resolve, reject) => {
    let started = false;
    const close = () =>
      new Promise<void>((done) => {
        closing = true;
        const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
        closed = () => {
          clearTimeout(timer);
          void worker.terminate().then(() => done());
        };
        worker.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        send({ type: 'close' });
      });

    worker.on('message', (message: FromScpWorker) => {
      switch (message.type) {
        case 'listening':
          started = true;
          resolve({ port: message.port, close });
          break;
        case 'failed':
          void worker.terminate();
          reject(new Error(message.message));
          break;
        case 'log':
          log(message.line);
          break;
        case 'instance':
          void storeInstance(new Uint8Array(message.bytes), message.callingAe).then((result) =>
            send({ type: 'stored', id: message.id, result }),
          );
          break;
        case 'closed':
          closed?.();
          break;
      }
    });
    worker.on('error', (error) => {
      log(`DICOM SCP worker failed: ${error.stack ?? error.message}`);
      if (!started) reject(error);
    });
    worker.on('exit', (code) => {
      if (!closing)
        log(`DICOM SCP worker stopped (exit code ${code}); no more DICOM transfers are received`);
      if (!started)
        reject(new Error(`the DICOM SCP worker stopped before listening (exit code ${code})`));
    });
  });
}
