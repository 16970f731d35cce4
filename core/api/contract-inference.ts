/**
 * API operations of inference in the service (spread into the contract): a model run on an
 * image by the service's inference worker — onnxruntime-node where it is installed, else WASM
 * — with the same pre- and post-processing the page uses (core/inference/portable), so the
 * result has the page's shape. The page sends work here unless it has a hardware WebGPU
 * adapter (renderer/features/inference/backend-choice.ts).
 */
import { z } from 'zod';
import { instanceIdSchema } from '../vocabulary/ids.ts';

const engineName = z.enum(['native', 'wasm']);

const imageMap = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Row-major, one value per image pixel, 0..1. */
  values: z.custom<Float32Array>(
    (value) => value instanceof Float32Array,
    'expected a Float32Array',
  ),
});

export const inferenceOperations = {
  'inference.engine': {
    access: 'signed-in',
    summary:
      "The engine the service's inference worker runs models on (onnxruntime-node, else WASM) and why; null engine when the service cannot run models.",
    args: z.strictObject({}),
    result: z.object({ engine: engineName.nullable(), reason: z.string() }),
  },
  'inference.run': {
    access: 'signed-in',
    summary:
      "One installed model on the first frame of an image, in the service's inference worker: findings, the probability map (segmentation) and the saliency map asked for (auto: CAM when the model has one), with the engine used and why.",
    args: z.strictObject({
      instanceId: instanceIdSchema,
      modelId: z.string().min(1).max(100),
      version: z.string().min(1).max(40),
      saliency: z.enum(['auto', 'cam', 'occlusion', 'rise', 'none']).optional(),
    }),
    result: z.object({
      instanceId: z.string(),
      model: z.object({
        id: z.string(),
        version: z.string(),
        sha256: z.string(),
        investigational: z.boolean(),
      }),
      engine: engineName,
      engineReason: z.string(),
      timingsMs: z.object({
        preprocess: z.number(),
        inference: z.number(),
        saliency: z.number().optional(),
        total: z.number(),
      }),
      findings: z.array(
        z.object({
          label: z.string(),
          score: z.number(),
          threshold: z.number().optional(),
          positive: z.boolean().optional(),
        }),
      ),
      probabilityMap: imageMap.extend({ threshold: z.number() }).optional(),
      saliency: imageMap.extend({ method: z.enum(['cam', 'occlusion', 'rise']) }).optional(),
    }),
  },
} as const;
