import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANNOTATION_KINDS, POINTS_PER_KIND } from './annotation-kinds.ts';
import { angleDegrees, measureAnnotation, zoneOneRadius } from './measure.ts';
import type { FrameSpacing, MeasuredValue } from './units.ts';

const patient: FrameSpacing = { row: 0.2, column: 0.1, source: 'PixelSpacing' };
const detector: FrameSpacing = { row: 0.15, column: 0.15, source: 'ImagerPixelSpacing' };
const digitiser: FrameSpacing = { row: 0.5, column: 0.5, source: 'NominalScannedPixelSpacing' };
const near = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
const only = (values: MeasuredValue[] | undefined) => {
  assert.equal(values?.length, 1);
  return values![0]!;
};

test('length: pixels without a spacing; mm with row and column spacing taken separately', () => {
  const line = [
    { x: 0, y: 0 },
    { x: 30, y: 40 },
  ];
  assert.deepEqual(only(measureAnnotation('length', line, undefined)), {
    quantity: 'length',
    value: 50,
    unit: 'px',
    calibration: 'uncalibrated',
  });
  const mm = only(measureAnnotation('length', line, patient));
  near(mm.value, Math.hypot(30 * 0.1, 40 * 0.2));
  assert.deepEqual([mm.unit, mm.calibration], ['mm', 'calibrated']);
});

test('length: detector and digitiser spacing give millimetres marked uncalibrated', () => {
  const line = [
    { x: 10, y: 10 },
    { x: 110, y: 10 },
  ];
  for (const [spacing, mm] of [
    [detector, 15],
    [digitiser, 50],
  ] as const) {
    const v = only(measureAnnotation('length', line, spacing));
    near(v.value, mm);
    assert.deepEqual([v.unit, v.calibration], ['mm', 'uncalibrated']);
  }
});

test('angle: at the vertex, 0–180°, in the patient proportions where pixels are not square', () => {
  const at = (a: number, b: number, c: number, d: number, spacing?: FrameSpacing) =>
    angleDegrees({ x: a, y: b }, { x: 0, y: 0 }, { x: c, y: d }, spacing)!;
  near(at(10, 0, 0, 10), 90);
  near(at(10, 0, 10, 10), 45);
  near(at(10, 0, -10, 0), 180);
  // 10 × 10 pixels of 0.1 mm wide and 0.2 mm high: the diagonal rises at atan(2).
  near(at(10, 0, 10, 10, patient), (Math.atan(2) * 180) / Math.PI);
  const angle = only(
    measureAnnotation(
      'angle',
      [
        { x: 10, y: 0 },
        { x: 0, y: 0 },
        { x: 0, y: 10 },
      ],
      detector,
    ),
  );
  assert.deepEqual(angle, {
    quantity: 'angle',
    value: 90,
    unit: 'deg',
    calibration: 'not-applicable',
  });
  assert.equal(
    measureAnnotation(
      'angle',
      [
        { x: 5, y: 5 },
        { x: 5, y: 5 },
        { x: 9, y: 1 },
      ],
      undefined,
    ),
    undefined,
    'an arm of no length has no angle',
  );
});

test('CTR: ratio of the horizontal widths in either click order, widths in mm where spacing exists', () => {
  const points = [
    { x: 900, y: 700 },
    { x: 100, y: 705 },
    { x: 380, y: 650 },
    { x: 640, y: 690 },
  ];
  const [ratio, cardiac, thoracic] = measureAnnotation('ctr', points, detector)!;
  assert.deepEqual(ratio, {
    quantity: 'cardiothoracic-ratio',
    value: 260 / 800,
    unit: 'ratio',
    calibration: 'not-applicable',
  });
  assert.equal(cardiac!.quantity, 'cardiac-width');
  near(cardiac!.value, 260 * 0.15);
  assert.equal(thoracic!.quantity, 'thoracic-width');
  near(thoracic!.value, 800 * 0.15);
  assert.deepEqual([thoracic!.unit, thoracic!.calibration], ['mm', 'uncalibrated']);
  const px = measureAnnotation('ctr', points, undefined)!;
  assert.deepEqual(
    px.slice(1).map((v) => [v.value, v.unit]),
    [
      [260, 'px'],
      [800, 'px'],
    ],
  );
  assert.equal(
    measureAnnotation(
      'ctr',
      [
        { x: 5, y: 0 },
        { x: 5, y: 9 },
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ],
      undefined,
    ),
    undefined,
    'a vertical thoracic line has no width',
  );
});

test('disc ruler and zone I stay in pixels, whatever the spacing', () => {
  const disc = { x: 100, y: 100 };
  const fovea = { x: 130, y: 140 };
  assert.equal(zoneOneRadius(disc, fovea), 100);
  assert.deepEqual(measureAnnotation('zone-i', [disc, fovea], patient), [
    { quantity: 'zone-i-radius', value: 100, unit: 'px', calibration: 'uncalibrated' },
    { quantity: 'disc-fovea-distance', value: 50, unit: 'px', calibration: 'uncalibrated' },
  ]);
  assert.deepEqual(
    measureAnnotation(
      'disc-ruler',
      [
        { x: 560, y: 470 },
        { x: 640, y: 470 },
      ],
      patient,
    ),
    [{ quantity: 'disc-diameter', value: 80, unit: 'px', calibration: 'uncalibrated' }],
  );
});

test('each kind measures only its own number of points', () => {
  for (const kind of ANNOTATION_KINDS) {
    const points = Array.from({ length: POINTS_PER_KIND[kind] }, (_, i) => ({
      x: 10 + i * 37,
      y: 20 + i * 11,
    }));
    assert.ok(measureAnnotation(kind, points, undefined), kind);
    assert.equal(measureAnnotation(kind, points.slice(0, -1), undefined), undefined, kind);
    assert.equal(
      measureAnnotation(kind, [...points, { x: 1, y: 1 }], undefined),
      undefined,
      `${kind} with a point too many`,
    );
  }
});
