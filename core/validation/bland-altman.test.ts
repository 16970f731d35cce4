/**
 * Bland & Altman (1986) Lancet i:307, the worked example: peak expiratory flow rate (l/min)
 * of 17 subjects, first reading on the Wright and on the mini Wright meter (Table 1).
 * Published: mean difference −2.1, SD 38.8, limits −79.7 and 75.5 (bias ± 2 SD);
 * 95% CI of the bias −22.0 to 17.8 (SE 9.4, t₁₆ = 2.12); SE of each limit
 * √(3·38.8²/17) = 16.3; CIs −114.3 to −45.1 and 40.9 to 110.1. The paper computed the CIs
 * of the limits from the rounded bias and SD, hence the 0.2 tolerance there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blandAltman } from './bland-altman.ts';

const close = (actual: number | null, expected: number, tolerance: number, what: string) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} vs ${expected}`,
  );

const wright = [
  494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427,
];
const mini = [512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451];
const pairs = wright.map((first, i) => ({ first, second: mini[i]! }));

test('Bland & Altman 1986 peak flow example: bias, SD, limits and their CIs', () => {
  const r = blandAltman(pairs, 2);
  assert.equal(r.n, 17);
  close(r.bias, -36 / 17, 1e-12, 'bias'); // the differences sum to −36
  assert.equal(r.bias.toFixed(1), '-2.1');
  assert.equal(r.sd!.toFixed(1), '38.8');
  assert.equal(r.lower!.toFixed(1), '-79.6'); // the paper's −79.7 = −2.1 − 2·38.8 from rounded values
  close(r.lower, -79.7, 0.06, 'lower limit');
  close(r.upper, 75.5, 0.09, 'upper limit');
  close(r.biasCi95![0], -22.0, 0.05, 'bias CI low');
  close(r.biasCi95![1], 17.8, 0.05, 'bias CI high');
  close(r.lowerCi95![0], -114.3, 0.2, 'lower limit CI low');
  close(r.lowerCi95![1], -45.1, 0.2, 'lower limit CI high');
  close(r.upperCi95![0], 40.9, 0.2, 'upper limit CI low');
  close(r.upperCi95![1], 110.1, 0.2, 'upper limit CI high');
});

test('the default multiplier is 1.96; one pair has a bias but no spread', () => {
  const r = blandAltman(pairs);
  assert.equal(r.multiplier, 1.96);
  close(r.upper! - r.bias, 1.96 * r.sd!, 1e-9, 'half-width');
  const one = blandAltman([{ first: 0.52, second: 0.5 }]);
  close(one.bias, 0.02, 1e-12, 'bias');
  assert.deepEqual([one.sd, one.lower, one.biasCi95], [null, null, null]);
  assert.throws(() => blandAltman([]), RangeError);
});
