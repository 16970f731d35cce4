import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ctrReading } from './ctr-tool.ts';

test('the CTR is the ratio of the horizontal widths drawn, in either click order, with mm where spacing exists', () => {
  assert.equal(
    ctrReading([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 2, y: 5 },
    ]),
    undefined,
    'four points are needed',
  );
  const r = ctrReading(
    [
      { x: 900, y: 700 },
      { x: 100, y: 705 },
      { x: 380, y: 650 },
      { x: 640, y: 690 },
    ],
    0.2,
  )!;
  assert.equal(r.thoracicPx, 800);
  assert.equal(r.cardiacPx, 260);
  assert.equal(r.ratio, 260 / 800);
  assert.ok(Math.abs(r.thoracicMm! - 160) < 1e-9 && Math.abs(r.cardiacMm! - 52) < 1e-9);
  assert.equal(
    ctrReading([
      { x: 5, y: 0 },
      { x: 5, y: 9 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]),
    undefined,
    'a vertical thoracic line has no width',
  );
});
