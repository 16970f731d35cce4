/**
 * Messages between the main thread and the SCP's worker thread (scp-worker.ts). Received
 * instances travel as transferred ArrayBuffers (no copy); the main thread answers each
 * with the library's verdict, which becomes the C-STORE response status.
 */
import type { ScpLimits } from './scp-limits.ts';
import type { StoreResult } from './store-scp-handler.ts';

export interface ScpWorkerData {
  aeTitle: string;
  port: number;
  host: string;
  limits: ScpLimits;
}

export type FromScpWorker =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'log'; line: string }
  | { type: 'instance'; id: number; bytes: ArrayBuffer; callingAe: string }
  | { type: 'closed' };

export type ToScpWorker = { type: 'stored'; id: number; result: StoreResult } | { type: 'close' };
