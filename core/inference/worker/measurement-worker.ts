/**
 * The measurement worker thread: the measurements a segmentation package declares (vascular
 * metrics, the cardiothoracic ratio) computed from a model's map, off the calling thread. The
 * vascular metrics of a fundus photograph cost more than the model that made the map, so in a
 * batch they run here while the inference worker runs the next image and the calling thread
 * decodes and writes: each of the three has its own thread, and both cores stay busy.
 */
import { parentPort } from 'node:worker_threads';
import { deriveMeasurement } from '../../measurements/derive-measurements.ts';
import type {
  FromMeasurementWorker,
  MeasurementOutcome,
  ToMeasurementWorker,
} from './measurement-worker-protocol.ts';

const port = parentPort!;

function measure(request: ToMeasurementWorker): MeasurementOutcome {
  try {
    return {
      ok: true,
      value: deriveMeasurement(request.kind, request.frame, request.map, request.context),
    };
  } catch (error) {
    const { code, message, file } = error as { code?: unknown; message?: unknown; file?: unknown };
    return {
      ok: false,
      failure: {
        code: typeof code === 'string' ? code : undefined,
        message: typeof message === 'string' ? message : String(error),
        file: typeof file === 'string' ? file : undefined,
      },
    };
  }
}

port.on('message', (request: ToMeasurementWorker) => {
  const value = measure(request);
  const transfer =
    value.ok && value.value.kind === 'retinal-vascular-metrics'
      ? [value.value.overlay.rgba.buffer as ArrayBuffer]
      : [];
  const reply: FromMeasurementWorker = { id: request.id, type: request.type, ok: true, value };
  port.postMessage(reply, transfer);
});
port.postMessage({ type: 'ready' } satisfies FromMeasurementWorker);
