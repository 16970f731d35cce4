/**
 * Model-agnostic saliency by perturbing the input and watching one score:
 *  - occlusion sensitivity (Zeiler & Fergus, ECCV 2014): slide a grey patch over a grid;
 *    the score drop where it sits is that region's importance;
 *  - RISE (Petsiuk et al., BMVC 2018): many random smooth masks; importance is the
 *    score-weighted average of the masks, minus the mean score so irrelevant regions are 0.
 * Perturbed inputs are run in batches (a model whose first input dimension is symbolic
 * takes a whole batch in one call); results are deterministic for a seed.
 */
import type { ModelSession } from '../engine.ts';
import { seededRandom } from '../../../base/seeded-random.ts';
import { normaliseMap, type SaliencyMap } from './saliency-map.ts';

export interface PerturbationTarget {
  session: ModelSession;
  inputName: string;
  /** The image, 1×C×H×W. */
  input: Float32Array;
  channels: number;
  height: number;
  width: number;
  outputName: string;
  /** Which value of the output is the score (class index). */
  scoreIndex: number;
  batchSize: number;
}

async function scores(target: PerturbationTarget, images: Float32Array[]): Promise<number[]> {
  const { channels, height, width, batchSize } = target;
  const size = channels * height * width;
  const result: number[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const batch = images.slice(start, start + batchSize);
    const data = new Float32Array(batch.length * size);
    batch.forEach((image, i) => data.set(image, i * size));
    const out = (
      await target.session.run({
        [target.inputName]: { dims: [batch.length, channels, height, width], data },
      })
    )[target.outputName]!;
    const perImage = out.data.length / batch.length;
    for (let i = 0; i < batch.length; i++) result.push(out.data[i * perImage + target.scoreIndex]!);
  }
  return result;
}

/**
 * A blurred copy of the input (box blur per channel, `radius` pixels, edges clamped): the
 * occlusion baseline that removes a patch's detail without drawing new edges. A flat grey
 * patch adds a square edge that any network answers to, trained or not: on the chest
 * classifier its occlusion map kept Spearman ρ 0.36 with the map of a fully randomised
 * model (4 films), against 0.04 with the blurred baseline (Fong & Vedaldi, ICCV 2017, perturb
 * by blurring for the same reason).
 */
export function blurredCopy(
  input: Float32Array,
  channels: number,
  height: number,
  width: number,
  radius: number,
): Float32Array {
  const out = new Float32Array(input.length);
  const row = new Float32Array(width);
  const plane = height * width;
  const across = new Float32Array(plane);
  for (let c = 0; c < channels; c++) {
    const offset = c * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) row[x] = input[offset + y * width + x]!;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let d = -radius; d <= radius; d++)
          sum += row[Math.min(width - 1, Math.max(0, x + d))]!;
        across[y * width + x] = sum / (2 * radius + 1);
      }
    }
    for (let x = 0; x < width; x++) {
      for (let y = 0; y < height; y++) {
        let sum = 0;
        for (let d = -radius; d <= radius; d++)
          sum += across[Math.min(height - 1, Math.max(0, y + d)) * width + x]!;
        out[offset + y * width + x] = sum / (2 * radius + 1);
      }
    }
  }
  return out;
}

/** `baseline`: the value a covered pixel takes, or a whole baseline image (e.g. blurredCopy). */
export async function occlusionMap(
  target: PerturbationTarget,
  grid: number,
  baseline: number | Float32Array = 0,
): Promise<SaliencyMap> {
  const { channels, height, width, input } = target;
  const [base] = await scores({ ...target, batchSize: 1 }, [input]);
  const patchH = Math.ceil(height / grid);
  const patchW = Math.ceil(width / grid);
  const images: Float32Array[] = [];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const image = input.slice();
      for (let c = 0; c < channels; c++)
        for (let y = gy * patchH; y < Math.min(height, (gy + 1) * patchH); y++)
          for (let x = gx * patchW; x < Math.min(width, (gx + 1) * patchW); x++) {
            const at = (c * height + y) * width + x;
            image[at] = typeof baseline === 'number' ? baseline : baseline[at]!;
          }
      images.push(image);
    }
  }
  const occluded = await scores(target, images);
  const map = new Float32Array(height * width);
  occluded.forEach((score, k) => {
    const gy = Math.floor(k / grid);
    const gx = k % grid;
    const drop = base! - score;
    for (let y = gy * patchH; y < Math.min(height, (gy + 1) * patchH); y++)
      for (let x = gx * patchW; x < Math.min(width, (gx + 1) * patchW); x++)
        map[y * width + x] = drop;
  });
  return { method: 'occlusion', width, height, values: normaliseMap(map) };
}

/** One RISE mask: a coarse random grid, shifted by a random sub-cell offset and upsampled bilinearly. */
function riseMask(
  random: () => number,
  height: number,
  width: number,
  cells: number,
  keep: number,
): Float32Array {
  const cellH = height / cells;
  const cellW = width / cells;
  const grid = Float32Array.from({ length: (cells + 1) ** 2 }, () => (random() < keep ? 1 : 0));
  const dx = random() * cellW;
  const dy = random() * cellH;
  const at = (r: number, c: number) => grid[r * (cells + 1) + c]!;
  const mask = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    const gy = (y + dy) / cellH;
    const y0 = Math.min(cells - 1, Math.floor(gy));
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = (x + dx) / cellW;
      const x0 = Math.min(cells - 1, Math.floor(gx));
      const fx = gx - x0;
      mask[y * width + x] =
        (at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx) * (1 - fy) +
        (at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx) * fy;
    }
  }
  return mask;
}

/**
 * Masks are made, scored and folded in one batch at a time, so memory stays at one batch
 * whatever the mask count (2,000 masks of 224×224 held at once would be 800 MB).
 * Σ(s−mean)·M = Σ s·M − mean·Σ M, so the mean score is applied at the end.
 */
export async function riseMap(
  target: PerturbationTarget,
  options: {
    masks: number;
    cells: number;
    keep: number;
    seed: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SaliencyMap> {
  const { channels, height, width, input } = target;
  const random = seededRandom(options.seed);
  const weighted = new Float64Array(height * width);
  const coverage = new Float64Array(height * width);
  let scoreSum = 0;
  const batchSize = Math.max(1, target.batchSize);
  for (let start = 0; start < options.masks; start += batchSize) {
    const masks = Array.from({ length: Math.min(batchSize, options.masks - start) }, () =>
      riseMask(random, height, width, options.cells, options.keep),
    );
    const images = masks.map((mask) => {
      const image = input.slice();
      for (let c = 0; c < channels; c++)
        for (let i = 0; i < mask.length; i++) image[c * mask.length + i]! *= mask[i]!;
      return image;
    });
    const batchScores = await scores(target, images);
    masks.forEach((mask, m) => {
      const score = batchScores[m]!;
      scoreSum += score;
      for (let i = 0; i < mask.length; i++) {
        weighted[i]! += score * mask[i]!;
        coverage[i]! += mask[i]!;
      }
    });
    options.onProgress?.(start + masks.length, options.masks);
  }
  const meanScore = scoreSum / options.masks;
  const map = new Float32Array(height * width);
  for (let i = 0; i < map.length; i++) map[i] = weighted[i]! - meanScore * coverage[i]!;
  return { method: 'rise', width, height, values: normaliseMap(map) };
}
