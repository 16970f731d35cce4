/**
 * The SCP's worker thread: the TCP listener, the PDU guard and dcmjs-dimse (whose PDU
 * parsing and Part 10 writing are CPU-bound) run here, off the event loop that serves the
 * workstation's API. Each received instance is posted to the main thread, which stores it
 * and answers with the result for the C-STORE response.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromScpWorker, ScpWorkerData, ToScpWorker } from './scp-worker-protocol.ts';
import type { StoreResult } from './store-scp-handler.ts';
import { listenStoreScp, type ListeningScp } from './store-scp-server.ts';

const port = parentPort!;
const config = workerData as ScpWorkerData;
const post = (message: FromScpWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);
const waiting = new Map<number, (result: StoreResult) => void>();
let nextId = 0;
let scp: ListeningScp | undefined;

/** An ArrayBuffer holding exactly these bytes, that this thread can give away. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole =
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
  return whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
}

port.on('message', (message: ToScpWorker) => {
  if (message.type === 'stored') {
    waiting.get(message.id)?.(message.result);
    waiting.delete(message.id);
  } else if (message.type === 'close') {
    for (const resolve of waiting.values()) resolve({ ok: false, message: 'the SCP is closing' });
    waiting.clear();
    void (scp?.close() ?? Promise.resolve()).then(() => post({ type: 'closed' }));
  }
});

try {
  scp = await listenStoreScp({
    ...config,
    log: (line) => post({ type: 'log', line }),
    storeInstance: (bytes, callingAe) =>
      new Promise<StoreResult>((resolve) => {
        const id = ++nextId;
        waiting.set(id, resolve);
        const buffer = ownBuffer(bytes);
        post({ type: 'instance', id, bytes: buffer, callingAe }, [buffer]);
      }),
  });
  post({ type: 'listening', port: scp.port });
} catch (error) {
  post({ type: 'failed', message: (error as Error).message });
}
