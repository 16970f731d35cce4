/**
 * One model on one image: pre-process, infer, interpret the outputs by the manifest
 * (activations, labels, thresholds), and explain (CAM from the model's features, else
 * occlusion; segmentation models explain themselves with their probability map). Every
 * result names the model (id, version, sha256), the backend used and the time taken.
 */
import type { DecodedFrame } from '../base/schemas.ts';
import type { LoadedModel } from './load-package.ts';
import type { EngineInfo } from './portable/engine.ts';
import { interpretOutputs, type Finding, type ImageMap } from './portable/interpret.ts';
import type { SaliencyMap } from './portable/saliency/saliency-map.ts';
import {
  perturbationSaliency,
  resolveSaliency,
  type SaliencyChoice,
} from './portable/saliency/saliency-methods.ts';
import { mapToImage, preprocessFrame } from './portable/preprocess.ts';

export type { Finding };

export interface ImageAnalysis {
  model: { id: string; version: string; sha256: string; investigational: boolean };
  backend: string;
  /** The engine and why, where the session's maker recorded them. */
  engine?: EngineInfo;
  /** `saliency` only when a map was made. */
  timingsMs: { preprocess: number; inference: number; saliency?: number };
  findings: Finding[];
  /** Segmentation: probability per image pixel (0..1) and the manifest's threshold. */
  probabilityMap?: ImageMap & { threshold: number };
  saliency?: SaliencyMap & { imageValues: Float32Array; imageWidth: number; imageHeight: number };
}

export type { SaliencyChoice };

/** How perturbation maps are made: RISE mask count, and images per model run (1: unbatched). */
export interface PerturbationOptions {
  riseMasks?: number;
  batchSize?: number;
}

export async function analyzeImage(
  frame: DecodedFrame,
  loaded: LoadedModel,
  saliency: SaliencyChoice = 'auto',
  seed = 1,
  perturbation: PerturbationOptions = {},
): Promise<ImageAnalysis> {
  const { manifest, session } = loaded;
  const method = resolveSaliency(manifest, saliency); // refused before any work when it cannot be honoured
  const spec = manifest.input;
  const t0 = performance.now();
  const { tensor, geometry } = preprocessFrame(frame, spec);
  const t1 = performance.now();
  const outputs = await session.run({
    [spec.name]: { dims: [1, spec.channels, spec.height, spec.width], data: tensor },
  });
  const t2 = performance.now();

  const { findings, probabilityMap, cam } = interpretOutputs(manifest, outputs, geometry);

  let map: SaliencyMap | undefined;
  if (method === 'cam') map = cam;
  else if (method)
    map = await perturbationSaliency(method, { session, manifest, tensor, seed, ...perturbation });
  const t3 = performance.now();
  return {
    model: {
      id: manifest.id,
      version: manifest.version,
      sha256: manifest.sha256,
      investigational: manifest.investigational,
    },
    backend: session.backend,
    ...(session.engine ? { engine: session.engine } : {}),
    timingsMs: { preprocess: t1 - t0, inference: t2 - t1, ...(map ? { saliency: t3 - t2 } : {}) },
    findings,
    probabilityMap,
    saliency: map
      ? {
          ...map,
          imageValues: mapToImage(map.values, spec, geometry),
          imageWidth: geometry.imageWidth,
          imageHeight: geometry.imageHeight,
        }
      : undefined,
  };
}
