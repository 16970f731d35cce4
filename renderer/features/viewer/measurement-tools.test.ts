import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POINTS_PER_KIND } from '../../../core/api/contract-worklist.ts';
import { MEASUREMENT_TOOLS, readingOf, toolFor } from './measurement-tools.ts';

test('zone I circle: centred on the disc, radius twice the disc–fovea distance', () => {
  const disc = { x: 100, y: 100 };
  const fovea = { x: 130, y: 140 };
  const shapes = toolFor('zone-i').shapes([disc, fovea]);
  assert.deepEqual(shapes.circles[0], { centre: disc, radius: 100, label: 'zone I' });
});

test('disc ruler rings at 1, 2 and 3 disc diameters around the disc centre', () => {
  const rings = toolFor('disc-ruler').shapes([
    { x: 90, y: 50 },
    { x: 110, y: 50 },
  ]).circles;
  assert.deepEqual(
    rings.map((r) => r.radius),
    [10, 20, 40, 60],
  );
  assert.ok(rings.every((r) => r.centre.x === 100 && r.centre.y === 50));
});

test('every tool takes as many clicks as the store expects, and reads nothing before its last click', () => {
  for (const tool of MEASUREMENT_TOOLS) {
    assert.equal(tool.steps.length, POINTS_PER_KIND[tool.kind], tool.kind);
    const points = tool.steps.map((_, i) => ({ x: 10 + i * 37, y: 20 + i * 11 }));
    assert.equal(readingOf(tool.kind, points.slice(0, -1), undefined), undefined, tool.kind);
    assert.ok(readingOf(tool.kind, points, undefined), tool.kind);
  }
});

test('the live reading is the core reading, with the frame spacing and its calibration', () => {
  const line = [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
  ];
  assert.equal(readingOf('length', line, undefined), '10.0 px');
  assert.equal(
    readingOf('length', line, { row: 0.1, column: 0.1, source: 'ImagerPixelSpacing' }),
    '1.0 mm (uncalibrated)',
  );
  assert.equal(
    readingOf('length', line, { row: 0.1, column: 0.1, source: 'PixelSpacing' }),
    '1.0 mm',
  );
});
