import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BinaryMask } from '../binary-mask.ts';
import { distanceToBackground } from './distance-transform.ts';
import { skeletonize } from './skeleton.ts';
import { centreLineShape } from './tortuosity.ts';
import { tortuosityOverlay, vascularMetrics } from './vascular-metrics.ts';
import { vesselSegments } from './vessel-segments.ts';

function blank(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Paints a curve of the given thickness by stamping discs along finely sampled points. */
function drawCurve(mask: BinaryMask, curve: (t: number) => { x: number; y: number }, thickness: number): void {
  const r = thickness / 2;
  for (let i = 0; i <= 4000; i++) {
    const { x, y } = curve(i / 4000);
    for (let yy = Math.floor(y - r); yy <= Math.ceil(y + r); yy++) {
      for (let xx = Math.floor(x - r); xx <= Math.ceil(x + r); xx++) {
        if (xx >= 0 && yy >= 0 && xx < mask.width && yy < mask.height && (xx - x) ** 2 + (yy - y) ** 2 <= r * r) mask.data[yy * mask.width + xx] = 1;
      }
    }
  }
}

function pixelsOf(mask: BinaryMask): number {
  return mask.data.reduce((s, v) => s + v, 0);
}

test('skeleton of a thick bar is a one-pixel centre line; distance transform gives its width', () => {
  const bar = blank(120, 40);
  for (let y = 15; y <= 21; y++) for (let x = 10; x <= 109; x++) bar.data[y * 120 + x] = 1; // 7 px wide
  const skeleton = skeletonize(bar);
  const rows = new Set<number>();
  for (let i = 0; i < skeleton.data.length; i++) if (skeleton.data[i]) rows.add(Math.floor(i / 120));
  assert.deepEqual([...rows], [18]);
  assert.ok(pixelsOf(skeleton) >= 90, `centre line ${pixelsOf(skeleton)} px for a 100 px bar`);
  const distance = distanceToBackground(bar);
  assert.equal(2 * distance[18 * 120 + 60]! - 1, 7);
  assert.equal(distance[0], 0);
});

test('a T splits into three segments traced end to end', () => {
  const t = blank(60, 60);
  for (let x = 5; x <= 54; x++) t.data[10 * 60 + x] = 1;
  for (let y = 11; y <= 50; y++) t.data[y * 60 + 30] = 1;
  const segments = vesselSegments(t);
  assert.equal(segments.length, 3);
  const lengths = segments.map((s) => s.pixels.length).sort((a, b) => a - b);
  assert.ok(lengths[0]! >= 20 && lengths[2]! <= 40, `lengths ${lengths}`);
});

test('tortuosity index: 1 for a slanted straight line, the analytic arc/chord for a sine wave', () => {
  const line = Array.from({ length: 200 }, (_, i) => ({ x: i, y: Math.round(i * Math.tan(Math.PI / 8)) }));
  const straight = centreLineShape(line, 5);
  assert.ok(straight.tortuosityIndex < 1.01, `staircase TI ${straight.tortuosityIndex}`);

  // y = A sin(2πx / P) over two periods; the exact arc length by fine summation.
  const A = 12;
  const P = 100;
  let exact = 0;
  for (let i = 1; i <= 20000; i++) {
    const x0 = ((i - 1) / 20000) * 2 * P;
    const x1 = (i / 20000) * 2 * P;
    exact += Math.hypot(x1 - x0, A * (Math.sin((2 * Math.PI * x1) / P) - Math.sin((2 * Math.PI * x0) / P)));
  }
  const wave = Array.from({ length: 2 * P + 1 }, (_, x) => ({ x, y: Math.round(50 + A * Math.sin((2 * Math.PI * x) / P)) }));
  const shape = centreLineShape(wave, 5);
  const expected = exact / (2 * P);
  assert.ok(Math.abs(shape.tortuosityIndex - expected) / expected < 0.03, `TI ${shape.tortuosityIndex} vs ${expected}`);
  assert.ok(shape.curvaturePerPixel > straight.curvaturePerPixel * 5);
});

test('synthetic fundus: finds the disc, and only the wiggly quadrant scores as plus-range', () => {
  const size = 800;
  const luma = new Uint8Array(size * size).fill(60);
  const field = blank(size, size);
  const vessels = blank(size, size);
  const cx = 430;
  const cy = 380;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x - 400) ** 2 + (y - 400) ** 2 < 390 ** 2) field.data[y * size + x] = 1;
      if ((x - cx) ** 2 + (y - cy) ** 2 < 45 ** 2) luma[y * size + x] = 220; // the bright disc
    }
  }
  const dd = 100; // the field spans 780 px → estimated disc diameter 97.5 px
  // Four vessels leave the disc diagonally; the upper-left one meanders.
  for (const [ux, uy, wiggle] of [[-1, -1, true], [1, -1, false], [-1, 1, false], [1, 1, false]] as const) {
    const length = 3.2 * dd;
    const nx = -uy / Math.SQRT2;
    const ny = ux / Math.SQRT2;
    drawCurve(vessels, (t) => {
      const s = 0.55 * dd + t * length;
      const off = wiggle ? 14 * Math.sin((2 * Math.PI * s) / 70) : 0;
      return { x: cx + (ux / Math.SQRT2) * s + nx * off, y: cy + (uy / Math.SQRT2) * s + ny * off };
    }, 7);
  }
  const metrics = vascularMetrics(luma, field, vessels, { laterality: 'OD' });
  assert.ok(Math.hypot(metrics.opticDisc.x - cx, metrics.opticDisc.y - cy) < dd / 4, `disc at ${metrics.opticDisc.x},${metrics.opticDisc.y}`);
  const byName = Object.fromEntries(metrics.quadrants.map((q) => [q.quadrant, q]));
  // OD: temporal is image-left, so the meandering upper-left vessel is superotemporal.
  assert.equal(byName.superotemporal!.score, 2);
  assert.ok(byName.superotemporal!.meanTortuosityIndex! > 1.3);
  for (const q of ['inferotemporal', 'superonasal', 'inferonasal']) {
    assert.equal(byName[q]!.score, 0, `${q} TI ${byName[q]!.meanTortuosityIndex}`);
    assert.ok(Math.abs(byName[q]!.meanWidthPx! - 7) <= 1.5, `${q} width ${byName[q]!.meanWidthPx}`);
  }
  assert.equal(metrics.severity.quadrantScoreSum, 2);
  assert.equal(metrics.severity.quadrantsMeasured, 4);
  const overlay = tortuosityOverlay(metrics, size, size);
  // The meandering vessel is painted red, a straight one green.
  const at = (x: number, y: number) => Array.from(overlay.subarray((y * size + x) * 4, (y * size + x) * 4 + 4));
  const straightPixel = metrics.vessels.find((v) => v.quadrant === 'inferonasal')!.pixels[10]!;
  assert.deepEqual(at(straightPixel % size, Math.floor(straightPixel / size)).slice(0, 3), [40, 200, 80]);
  const wigglyPixel = metrics.vessels.find((v) => v.quadrant === 'superotemporal')!.pixels[10]!;
  assert.deepEqual(at(wigglyPixel % size, Math.floor(wigglyPixel / size)).slice(0, 3), [230, 40, 40]);
});

test('without enough vessels the indicator says so instead of scoring', () => {
  const size = 300;
  const field = blank(size, size);
  field.data.fill(1);
  const metrics = vascularMetrics(new Uint8Array(size * size).fill(100), field, blank(size, size));
  assert.equal(metrics.severity.category, 'insufficient vessels');
  assert.equal(metrics.laterality, 'unknown');
});
