/**
 * How far a saliency map can be trusted, measured rather than looked at:
 *  - Spearman rank correlation between two maps (the model-randomisation test of Adebayo
 *    et al., NeurIPS 2018: a map that barely changes when the weights are randomised
 *    explains the image, not the model);
 *  - deletion and insertion curves (Petsiuk et al., BMVC 2018): remove (or reveal) pixels
 *    in the map's order of importance and watch the class score. A faithful map makes the
 *    score fall fast on deletion (low area under the curve) and rise fast on insertion.
 */
import type { ModelSession } from '../engine.ts';

/** Average ranks (ties share their mean rank), 1-based. */
function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => values[a]! - values[b]!,
  );
  const out = new Float64Array(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]!] = rank;
    i = j + 1;
  }
  return out;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2)
    throw new Error('spearman: maps of equal size (≥ 2 values) needed');
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}

export interface CurveTarget {
  session: ModelSession;
  inputName: string;
  outputName: string;
  /** The pre-processed image, 1×C×H×W; pixels "removed" take the value `baseline`. */
  input: Float32Array;
  channels: number;
  height: number;
  width: number;
  /** Turns the raw output value into the class probability (e.g. a sigmoid for logits). */
  toProbability: (raw: number) => number;
  baseline?: number;
}

/**
 * Deletion and insertion AUCs for one map (H×W, input coordinates), with `steps` equal
 * steps from 0 to all pixels; both in 0..1 (trapezoid rule over the fraction of pixels).
 */
export async function deletionInsertionAuc(
  target: CurveTarget,
  map: ArrayLike<number>,
  steps = 16,
): Promise<{ deletion: number; insertion: number }> {
  const { channels, height, width, input } = target;
  const plane = height * width;
  if (map.length !== plane) throw new Error(`map has ${map.length} values, the input ${plane}`);
  const order = Array.from({ length: plane }, (_, i) => i).sort((a, b) => map[b]! - map[a]!);
  const baseline = target.baseline ?? 0;
  const score = async (image: Float32Array) => {
    const out = await target.session.run({
      [target.inputName]: { dims: [1, channels, height, width], data: image },
    });
    return target.toProbability(out[target.outputName]!.data[0]!);
  };
  const curve = async (mode: 'deletion' | 'insertion') => {
    const image =
      mode === 'deletion' ? input.slice() : new Float32Array(input.length).fill(baseline);
    const values = [await score(image)];
    let done = 0;
    for (let s = 1; s <= steps; s++) {
      const until = Math.round((s / steps) * plane);
      for (; done < until; done++) {
        const p = order[done]!;
        for (let c = 0; c < channels; c++)
          image[c * plane + p] = mode === 'deletion' ? baseline : input[c * plane + p]!;
      }
      values.push(await score(image));
    }
    let area = 0;
    for (let i = 1; i < values.length; i++) area += (values[i - 1]! + values[i]!) / 2 / steps;
    return area;
  };
  return { deletion: await curve('deletion'), insertion: await curve('insertion') };
}
