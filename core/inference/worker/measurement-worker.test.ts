/**
 * The measurement worker thread: the same measurements as the calling thread, to the bit; a
 * measurement that cannot be made fails with the code it had; without the worker's file the
 * measurements still run, on the calling thread, and say so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedFrame } from '../../base/schemas.ts';
import {
  deriveMeasurement,
  type ProbabilityMapOnImage,
} from '../../measurements/derive-measurements.ts';
import { lazyMeasurer, measurementWorkerEntry, startMeasurer } from './measurement-worker-host.ts';

const SIZE = 160;

/** A fundus-like photograph: a round field, a bright disc, dark vessels radiating from it. */
function syntheticFundus(): { frame: DecodedFrame; map: ProbabilityMapOnImage } {
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  const values = new Float32Array(SIZE * SIZE);
  const disc = { x: 56, y: 80 };
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const i = y * SIZE + x;
      if (Math.hypot(x - SIZE / 2, y - SIZE / 2) > SIZE / 2 - 2) continue; // dark surround
      const toDisc = Math.hypot(x - disc.x, y - disc.y);
      const angle = Math.atan2(y - disc.y, x - disc.x);
      // Six vessels, gently wavy, so tortuosity has something to measure.
      const wave = 0.12 * Math.sin(toDisc / 6);
      const onVessel = [0, 1, 2, 3, 4, 5].some((k) => {
        const d = Math.abs(
          ((angle - (k * Math.PI) / 3 - wave + 3 * Math.PI) % (2 * Math.PI)) - Math.PI,
        );
        return d * toDisc < 1.6;
      });
      const bright = toDisc < 9 ? 230 : 150;
      pixels.set([onVessel ? 90 : bright, onVessel ? 40 : bright / 2, 30], i * 3);
      values[i] = onVessel && toDisc > 4 ? 0.95 : 0.02;
    }
  const frame: DecodedFrame = {
    instanceId: 'synthetic',
    frame: 0,
    rows: SIZE,
    columns: SIZE,
    samplesPerPixel: 3,
    photometric: 'RGB',
    bitsStored: 8,
    pixels,
    minValue: 0,
    maxValue: 255,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    windows: [],
    voiLuts: [],
    voiFunction: 'LINEAR',
    inverted: false,
  };
  return { frame, map: { width: SIZE, height: SIZE, values, threshold: 0.5 } };
}

test('vascular metrics on the worker equal those made on this thread, overlay included', async () => {
  assert.ok(measurementWorkerEntry(), 'the worker entry is found (tsx in development)');
  const measurer = await startMeasurer();
  assert.equal(measurer.where, 'in a worker thread');
  const { frame, map } = syntheticFundus();
  try {
    for (const laterality of ['R', 'L', undefined]) {
      const here = deriveMeasurement('retinal-vascular-metrics', frame, map, { laterality });
      const there = await measurer.measure('retinal-vascular-metrics', frame, map, { laterality });
      assert.deepEqual(there, here, `laterality ${laterality}`);
      if (laterality === 'R')
        console.log(
          `# ${here.kind === 'retinal-vascular-metrics' && here.metrics.severity.message}`,
        );
    }
  } finally {
    await measurer.close();
  }
});

test('a measurement that cannot be made fails with its code; a closed worker refuses work', async () => {
  const measurer = await startMeasurer();
  const { frame, map } = syntheticFundus();
  const empty = { ...map, values: new Float32Array(SIZE * SIZE) };
  await assert.rejects(measurer.measure('cardiothoracic-ratio', frame, empty), (error: Error) => {
    assert.equal((error as { code?: string }).code, 'CTR_LUNGS_NOT_FOUND');
    return true;
  });
  await measurer.close();
  await assert.rejects(measurer.measure('retinal-vascular-metrics', frame, map), /closed/);
});

test('without the worker file, measurements run on the calling thread and say so', async () => {
  const measurer = await startMeasurer(null);
  assert.match(measurer.where, /calling thread/);
  const { frame, map } = syntheticFundus();
  const result = await measurer.measure('retinal-vascular-metrics', frame, map, {});
  assert.deepEqual(result, deriveMeasurement('retinal-vascular-metrics', frame, map, {}));
  await measurer.close();
});

test('a lazy measurer starts its worker on the first measurement only, once', async () => {
  let starts = 0;
  const heard: string[] = [];
  const measurer = lazyMeasurer(
    (where) => heard.push(where),
    () => (starts++, startMeasurer(null)),
  );
  assert.equal(starts, 0, 'nothing started before a measurement');
  const { frame, map } = syntheticFundus();
  await Promise.all([
    measurer.measure('retinal-vascular-metrics', frame, map, {}),
    measurer.measure('retinal-vascular-metrics', frame, map, {}),
  ]);
  assert.equal(starts, 1);
  assert.deepEqual(heard, ['on the calling thread (measurement-worker.mjs was not found)']);
  await measurer.close();
});
