/**
 * Messages between a Node process and its measurement worker thread (measurement-worker.ts),
 * on the same typed request/reply protocol as the inference worker. The frame and the map are
 * copied to the worker (the caller still writes them as PNGs); the overlay comes back
 * transferred.
 */
import type { ReplyOf, RequestOf, WorkerMessage } from '../../base/worker-requests.ts';
import type { DecodedFrame } from '../../base/schemas.ts';
import type {
  DerivedMeasurement,
  MeasurementKind,
  ProbabilityMapOnImage,
} from '../../measurements/derive-measurements.ts';
import type { ReaderDisc } from '../../measurements/vascular/vascular-metrics.ts';

export interface MeasurementContext {
  laterality?: string;
  disc?: ReaderDisc;
}

/**
 * One measurement made, or why it could not be: the thrown error's code (when it had one)
 * and message, so the caller reports it exactly as if it had been thrown on its own thread.
 */
export type MeasurementOutcome =
  | { ok: true; value: DerivedMeasurement }
  | { ok: false; failure: { code?: string; message: string; file?: string } };

type Measure = WorkerMessage<
  'measure',
  {
    kind: MeasurementKind;
    frame: DecodedFrame;
    map: ProbabilityMapOnImage;
    context: MeasurementContext;
  },
  MeasurementOutcome
>;

export type MeasurementWorkerMessage = Measure;
export type ToMeasurementWorker = RequestOf<MeasurementWorkerMessage>;
export type FromMeasurementWorker = { type: 'ready' } | ReplyOf<MeasurementWorkerMessage>;
