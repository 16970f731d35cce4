/**
 * Which explanations a model can give, and making one. Shared by the CLI, the service and
 * the page, so a method a model cannot produce is refused the same way everywhere, naming
 * the model, instead of silently writing nothing.
 *  - CAM needs a feature-map output and the classifier head's weights (manifest `saliency.cam`);
 *  - occlusion and RISE need a class score to watch (a `probability` or `logits` output);
 *  - a segmentation model explains itself with its probability map, which is not saliency.
 */
import { CodedError } from '../../../base/errors.ts';
import type { ModelSession } from '../engine.ts';
import type { ModelManifest } from '../package-schema.ts';
import { blurredCopy, occlusionMap, riseMap } from './perturbation.ts';
import type { SaliencyMap } from './saliency-map.ts';

export const SALIENCY_METHODS = ['cam', 'occlusion', 'rise'] as const;
export type SaliencyMethod = (typeof SALIENCY_METHODS)[number];
export type SaliencyChoice = 'auto' | SaliencyMethod | 'none';

export class SaliencyError extends CodedError<'SALIENCY_UNSUPPORTED'> {}

/** The class-score output perturbation methods watch, if the model has one. */
export function classScoreOutput(manifest: ModelManifest) {
  return manifest.outputs.find((o) => o.kind === 'probability' || o.kind === 'logits');
}

/** The saliency methods this model can honour (declared in its manifest and backed by its outputs). */
export function saliencyMethodsOf(manifest: ModelManifest): SaliencyMethod[] {
  const declared = manifest.saliency.methods;
  const scored = Boolean(classScoreOutput(manifest));
  return SALIENCY_METHODS.filter(
    (method) =>
      declared.includes(method) &&
      (method === 'cam' ? Boolean(manifest.saliency.cam) && scored : scored),
  );
}

/**
 * The method to run for a choice: `auto` takes CAM (free with the inference), else
 * occlusion, else none; an explicit method the model cannot produce is an error.
 */
export function resolveSaliency(
  manifest: ModelManifest,
  choice: SaliencyChoice,
): SaliencyMethod | undefined {
  const available = saliencyMethodsOf(manifest);
  if (choice === 'none') return undefined;
  if (choice === 'auto') return available[0];
  if (available.includes(choice)) return choice;
  const offers = available.length
    ? `it offers ${available.join(', ')}`
    : manifest.task === 'segmentation'
      ? 'it is a segmentation model: its overlay is a probability map, not saliency'
      : 'it declares no saliency method';
  throw new SaliencyError(
    'SALIENCY_UNSUPPORTED',
    `model ${manifest.id} ${manifest.version} cannot produce ${choice} saliency: ${offers}`,
  );
}

export interface PerturbationRequest {
  session: ModelSession;
  manifest: ModelManifest;
  /** The pre-processed input, 1×C×H×W. */
  tensor: Float32Array;
  seed?: number;
  /** RISE mask count (Petsiuk et al. used thousands; fewer is faster and noisier). */
  riseMasks?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Occlusion (14×14 grid, each patch replaced by the blurred image: see blurredCopy) or RISE
 * on the model's first class score.
 */
export async function perturbationSaliency(
  method: 'occlusion' | 'rise',
  request: PerturbationRequest,
): Promise<SaliencyMap> {
  const { manifest, session, tensor } = request;
  const output = classScoreOutput(manifest);
  if (!output)
    throw new SaliencyError(
      'SALIENCY_UNSUPPORTED',
      `model ${manifest.id} ${manifest.version} has no class score for ${method} saliency`,
    );
  const spec = manifest.input;
  const target = {
    session,
    inputName: spec.name,
    input: tensor,
    channels: spec.channels,
    height: spec.height,
    width: spec.width,
    outputName: output.name,
    scoreIndex: 0,
    batchSize: request.batchSize ?? 1,
  };
  const grid = 14;
  if (method === 'occlusion')
    return occlusionMap(
      target,
      grid,
      blurredCopy(
        tensor,
        spec.channels,
        spec.height,
        spec.width,
        Math.max(2, Math.round(Math.min(spec.height, spec.width) / grid / 2)),
      ),
    );
  return riseMap(target, {
    masks: request.riseMasks ?? 2000,
    cells: 8,
    keep: 0.5,
    seed: request.seed ?? 1,
    onProgress: request.onProgress,
  });
}

/**
 * How many images the session takes in one run: 16 when the model's batch dimension is
 * symbolic (perturbation maps then need a sixteenth of the calls), else 1.
 */
export async function perturbationBatchSize(
  session: ModelSession,
  manifest: ModelManifest,
): Promise<number> {
  const { name, channels, height, width } = manifest.input;
  try {
    await session.run({
      [name]: {
        dims: [2, channels, height, width],
        data: new Float32Array(2 * channels * height * width),
      },
    });
    return 16;
  } catch {
    return 1;
  }
}
