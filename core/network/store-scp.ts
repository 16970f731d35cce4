/**
 * A DICOM C-STORE SCP (and C-ECHO), so a modality or PACS can push images in. It listens on
 * loopback unless told otherwise, accepts associations only for its own AE title, accepts
 * any storage SOP class in the transfer syntax the sender proposes first, and hands each
 * received instance (as a Part 10 file) to the library; the C-STORE response reports a
 * refused file as a failure with the library's reason, so the sender knows.
 *
 * The port is reachable before any AE title is checked, so every connection passes a PDU
 * guard (pdu-guard.ts: size caps, ARTIM and idle timers, an association cap; limits in
 * scp-limits.ts), and the DICOM side runs in a worker thread (scp-worker.ts) so that no
 * peer can stall the event loop serving the workstation's API. onInstance still runs on
 * the calling thread.
 */
import { resolveScpLimits, type ScpLimits } from './scp-limits.ts';
import { scpWorkerEntry, startScpWorker } from './scp-worker-host.ts';
import type { StoreInstance, StoreResult } from './store-scp-handler.ts';
import { listenStoreScp } from './store-scp-server.ts';

export interface StoreScpOptions {
  aeTitle: string;
  port: number;
  /** 127.0.0.1 unless the site opens it to its network on purpose. */
  host?: string;
  /** Stores one received instance; resolves with an error message to refuse it. */
  onInstance(bytes: Uint8Array, callingAeTitle: string): Promise<StoreResult>;
  log?: (line: string) => void;
  /** Overrides of DEFAULT_SCP_LIMITS (tests shorten the timers). */
  limits?: Partial<ScpLimits>;
  /**
   * 'worker' (the default, when the worker's code is found) or 'main' (the calling thread;
   * still guarded, but dcmjs-dimse's parsing then shares its event loop).
   */
  thread?: 'worker' | 'main';
}

export interface RunningScp {
  port: number;
  /** Where the DICOM side runs. */
  thread: 'worker' | 'main';
  close(): Promise<void>;
}

export async function startStoreScp(options: StoreScpOptions): Promise<RunningScp> {
  const log = options.log ?? (() => {});
  const limits = resolveScpLimits(options.limits);
  const host = options.host ?? '127.0.0.1';
  const storeInstance: StoreInstance = (bytes, callingAe) =>
    options.onInstance(bytes, callingAe).then(
      (result) => {
        if (!result.ok) log(`C-STORE from ${callingAe} refused: ${result.message}`);
        return result;
      },
      (failure: Error) => {
        log(`C-STORE from ${callingAe} failed: ${failure.message}`);
        return { ok: false, message: failure.message };
      },
    );

  const entry = options.thread === 'main' ? undefined : scpWorkerEntry();
  if (options.thread === 'worker' && !entry)
    throw new Error(
      'the DICOM SCP worker (scp-worker.mjs or scp-worker.ts with tsx) was not found',
    );
  const config = { aeTitle: options.aeTitle, port: options.port, host, limits };
  const running = entry
    ? await startScpWorker(entry, config, storeInstance, log)
    : await listenStoreScp({ ...config, log, storeInstance });
  const thread = entry ? 'worker' : 'main';
  const where = entry
    ? 'worker thread'
    : options.thread === 'main'
      ? 'main thread'
      : 'main thread: no SCP worker entry found';
  log(`C-STORE SCP ${options.aeTitle} listening on ${host}:${running.port} (${where})`);
  return { port: running.port, thread, close: running.close };
}
