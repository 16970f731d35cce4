/**
 * The calling thread's side of the measurement worker (measurement-worker.ts): a Measurer
 * that computes a package's declared measurements on the worker thread, or on the calling
 * thread when the worker cannot start (its file missing from a build), saying which. Results
 * and failures are the same either way: a failure is rethrown here with the code it had.
 */
import { Worker } from 'node:worker_threads';
import { WorkerRequests } from '../../base/worker-requests.ts';
import type { DecodedFrame } from '../../base/schemas.ts';
import {
  deriveMeasurement,
  type DerivedMeasurement,
  type MeasurementKind,
  type ProbabilityMapOnImage,
} from '../../measurements/derive-measurements.ts';
import type {
  FromMeasurementWorker,
  MeasurementContext,
  MeasurementWorkerMessage,
} from './measurement-worker-protocol.ts';
import { workerEntry } from './worker-entry.ts';

export const MEASUREMENT_WORKER_FILE = 'measurement-worker.mjs';

export interface Measurer {
  measure(
    kind: MeasurementKind,
    frame: DecodedFrame,
    map: ProbabilityMapOnImage,
    context?: MeasurementContext,
  ): Promise<DerivedMeasurement>;
  /** Where the measurements run, and why there. */
  readonly where: string;
  close(): Promise<void>;
}

export function measurementWorkerEntry(): URL | undefined {
  return workerEntry(
    MEASUREMENT_WORKER_FILE,
    () => new URL('./measurement-worker.ts', import.meta.url),
  );
}

/** The failure as if thrown here: its code kept, so callers decide on codes as before. */
function rethrown(failure: { code?: string; message: string; file?: string }): Error {
  return Object.assign(new Error(failure.message), {
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...(failure.file === undefined ? {} : { file: failure.file }),
  });
}

function onThisThread(why: string): Measurer {
  return {
    measure: async (kind, frame, map, context = {}) => deriveMeasurement(kind, frame, map, context),
    where: `on the calling thread (${why})`,
    close: async () => {},
  };
}

/**
 * A measurement worker, or the calling thread when none can start (`entry` null: no worker
 * file). Never rejects.
 */
export async function startMeasurer(
  entry: URL | null = measurementWorkerEntry() ?? null,
): Promise<Measurer> {
  if (!entry) return onThisThread(`${MEASUREMENT_WORKER_FILE} was not found`);
  const worker = new Worker(entry, { name: 'neoscope-measurements' });
  worker.unref();
  const requests = new WorkerRequests<MeasurementWorkerMessage>(
    (request) => worker.postMessage(request),
    (busy) => (busy ? worker.ref() : worker.unref()),
  );
  const stopped = (why: string) => requests.stop(new Error(`the measurement worker ${why}`));
  const ready = await new Promise<boolean>((resolve) => {
    worker.on('message', (message: FromMeasurementWorker) => {
      if ('id' in message) requests.settle(message);
      else resolve(true);
    });
    worker.on('error', (cause) => {
      stopped(`failed: ${cause.message}`);
      resolve(false);
    });
    worker.on('exit', (code) => {
      stopped(`stopped (exit code ${code})`);
      resolve(false);
    });
  });
  if (!ready) return onThisThread('the measurement worker did not start');
  return {
    async measure(kind, frame, map, context = {}) {
      const outcome = await requests.send({ type: 'measure', kind, frame, map, context });
      if (!outcome.ok) throw rethrown(outcome.failure);
      return outcome.value;
    },
    where: 'in a worker thread',
    async close() {
      requests.stop(new Error('the measurement worker was closed'));
      await worker.terminate();
    },
  };
}

/**
 * A measurer that starts its worker on the first measurement, so a batch or a service that
 * never measures never starts one; `onStarted` hears where the measurements run.
 */
export function lazyMeasurer(
  onStarted: (where: string) => void = () => {},
  start: () => Promise<Measurer> = startMeasurer,
): Pick<Measurer, 'measure' | 'close'> {
  let started: Promise<Measurer> | undefined;
  return {
    async measure(kind, frame, map, context) {
      started ??= start().then((measurer) => {
        onStarted(measurer.where);
        return measurer;
      });
      return (await started).measure(kind, frame, map, context);
    },
    async close() {
      await (await started)?.close();
    },
  };
}
