/**
 * ROC AUC against Hanley & McNeil (1982) Radiology 143:29, Table 1: 109 CT images rated on
 * a 5-point scale (definitely normal … definitely abnormal) — 58 normal: 33, 6, 6, 11, 2;
 * 51 abnormal: 3, 2, 2, 11, 33. The paper gives the trapezoidal area 0.893 with SE 0.032.
 * DeLong's variance is checked against its definition computed pair by pair.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rocAuc } from './roc.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

const expand = (counts: number[]) => counts.flatMap((c, rating) => Array<number>(c).fill(rating));
const normal = expand([33, 6, 6, 11, 2]);
const abnormal = expand([3, 2, 2, 11, 33]);

/** DeLong 1988 by definition: ψ(x, y) = 1 if x > y, ½ if equal, 0 otherwise. */
function delongByDefinition(pos: number[], neg: number[]): { auc: number; se: number } {
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length);
  const v01 = neg.map((y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length);
  const auc = v10.reduce((s, v) => s + v, 0) / pos.length;
  const s2 = (v: number[]) => v.reduce((s, x) => s + (x - auc) ** 2, 0) / (v.length - 1);
  return { auc, se: Math.sqrt(s2(v10) / pos.length + s2(v01) / neg.length) };
}

test('Hanley & McNeil 1982: AUC 0.893, SE 0.032, ties counted half', () => {
  const r = rocAuc(abnormal, normal);
  assert.deepEqual([r.nPositive, r.nNegative], [51, 58]);
  assert.equal(r.auc.toFixed(3), '0.893');
  assert.equal(r.seHanleyMcNeil.toFixed(3), '0.032');
  const reference = delongByDefinition(abnormal, normal);
  close(r.auc, reference.auc, 1e-12, 'AUC');
  close(r.seDeLong!, reference.se, 1e-12, 'DeLong SE');
  close(r.ci95![0], r.auc - 1.959964 * reference.se, 1e-6, 'CI low');
  close(r.ci95![1], r.auc + 1.959964 * reference.se, 1e-6, 'CI high');
});

test('a small example by hand', () => {
  // Positives 0.9, 0.6, 0.4; negatives 0.6, 0.3.
  // Pairs: 0.9 beats both (1, 1); 0.6 ties 0.6 (½) and beats 0.3 (1); 0.4 loses to 0.6 (0)
  // and beats 0.3 (1). AUC = (2 + 1.5 + 1)/6 = 0.75.
  // V10 = (1, 0.75, 0.5): mean 0.75, s² = 0.0625.  V01 = (0.5, 1): s² = 0.125.
  // var = 0.0625/3 + 0.125/2 = 0.083333; SE = 0.288675.
  const r = rocAuc([0.9, 0.6, 0.4], [0.6, 0.3]);
  close(r.auc, 0.75, 1e-12, 'AUC');
  close(r.seDeLong!, Math.sqrt(0.0625 / 3 + 0.125 / 2), 1e-12, 'SE');
  assert.deepEqual(r.ci95![1], 1); // clipped
});

test('perfect separation, all ties and too few cases for a variance', () => {
  const perfect = rocAuc([3, 4, 5], [0, 1, 2]);
  assert.deepEqual([perfect.auc, perfect.seDeLong], [1, 0]);
  assert.equal(rocAuc([1, 1], [1, 1]).auc, 0.5);
  assert.equal(rocAuc([0, 1], [2, 3]).auc, 0);
  const single = rocAuc([0.8], [0.1, 0.2]);
  assert.deepEqual([single.auc, single.seDeLong, single.ci95], [1, null, null]);
  assert.throws(() => rocAuc([], [1]), RangeError);
  assert.throws(() => rocAuc([Number.NaN], [1]), RangeError);
});
