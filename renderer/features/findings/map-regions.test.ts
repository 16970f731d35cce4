import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapRegion } from './map-regions.ts';

test('region share and confidence count only the pixels at or above the threshold', () => {
  const region = mapRegion(
    'lung',
    Float32Array.from([0.1, 0.5, 0.9, 0.7, 0.2, 0.3, 0.8, 0.0]),
    0.5,
  );
  assert.equal(region.areaFraction, 4 / 8);
  assert.ok(Math.abs(region.meanProbability - (0.5 + 0.9 + 0.7 + 0.8) / 4) < 1e-6);
  assert.deepEqual(mapRegion('lung', Float32Array.from([0.1, 0.2]), 0.5), {
    label: 'lung',
    areaFraction: 0,
    meanProbability: 0,
  });
});
