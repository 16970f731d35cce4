import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POINTS_PER_KIND } from '../../../core/api/contract-worklist.ts';
import {
  angleDegrees,
  lengthReading,
  MEASUREMENT_TOOLS,
  toolFor,
  zoneOneRadius,
} from './measurement-tools.ts';

test('length uses row and column spacing separately and flags detector spacing as uncalibrated', () => {
  assert.equal(lengthReading({ x: 0, y: 0 }, { x: 30, y: 40 }, undefined), '50.0 px');
  assert.equal(
    lengthReading(
      { x: 0, y: 0 },
      { x: 30, y: 40 },
      { row: 0.2, column: 0.1, source: 'PixelSpacing' },
    ),
    `${Math.hypot(3, 8).toFixed(1)} mm`,
  );
  assert.match(
    lengthReading(
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { row: 0.1, column: 0.1, source: 'ImagerPixelSpacing' },
    ),
    /^1\.0 mm \(uncalibrated\)$/,
  );
});

test('angle at the vertex', () => {
  assert.ok(Math.abs(angleDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 10 }) - 90) < 1e-9);
  assert.ok(Math.abs(angleDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: 10, y: 10 }) - 45) < 1e-9);
  assert.ok(Math.abs(angleDegrees({ x: 10, y: 0 }, { x: 0, y: 0 }, { x: -10, y: 0 }) - 180) < 1e-9);
});

test('zone I circle: centred on the disc, radius twice the disc–fovea distance', () => {
  const disc = { x: 100, y: 100 };
  const fovea = { x: 130, y: 140 };
  assert.equal(zoneOneRadius(disc, fovea), 100);
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
    assert.equal(tool.read(points.slice(0, -1), undefined), undefined, tool.kind);
    assert.ok(tool.read(points, undefined), tool.kind);
  }
});
