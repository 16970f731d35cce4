import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMeasurement, NOT_MEASURABLE } from './format.ts';
import { measureAnnotation } from './measure.ts';
import type { FrameSpacing } from './units.ts';

const patient: FrameSpacing = { row: 0.1, column: 0.1, source: 'PixelSpacing' };
const detector: FrameSpacing = { row: 0.1, column: 0.1, source: 'ImagerPixelSpacing' };

test('readings are rendered from the numbers, with the unit and the calibration note', () => {
  const text = (
    kind: Parameters<typeof formatMeasurement>[0],
    points: { x: number; y: number }[],
    spacing?: FrameSpacing,
  ) => formatMeasurement(kind, measureAnnotation(kind, points, spacing)!);
  const line = [
    { x: 0, y: 0 },
    { x: 123, y: 0 },
  ];
  assert.equal(text('length', line), '123.0 px');
  assert.equal(text('length', line, patient), '12.3 mm');
  assert.equal(text('length', line, detector), '12.3 mm (uncalibrated)');
  assert.equal(
    text('angle', [
      { x: 0, y: 0 },
      { x: 50, y: 50 },
      { x: 100, y: 0 },
    ]),
    '90.0°',
  );
  const ctr = [
    { x: 100, y: 0 },
    { x: 900, y: 0 },
    { x: 380, y: 0 },
    { x: 640, y: 0 },
  ];
  assert.equal(text('ctr', ctr), 'CTR 0.33 · heart 260 px / thorax 800 px');
  assert.equal(text('ctr', ctr, patient), 'CTR 0.33 · heart 26 mm / thorax 80 mm');
  assert.equal(text('ctr', ctr, detector), 'CTR 0.33 · heart 26 mm / thorax 80 mm (uncalibrated)');
  assert.equal(
    text('disc-ruler', [
      { x: 560, y: 470 },
      { x: 640, y: 470 },
    ]),
    '1 DD = 80 px',
  );
  assert.equal(
    text('zone-i', [
      { x: 100, y: 100 },
      { x: 130, y: 140 },
    ]),
    'zone I radius 100 px (2 × disc–fovea 50 px)',
  );
});

test('a measurement missing a number it needs says so instead of printing a partial reading', () => {
  assert.equal(formatMeasurement('length', []), NOT_MEASURABLE);
  assert.equal(
    formatMeasurement('ctr', [
      {
        quantity: 'cardiothoracic-ratio',
        value: 0.5,
        unit: 'ratio',
        calibration: 'not-applicable',
      },
    ]),
    NOT_MEASURABLE,
  );
});
