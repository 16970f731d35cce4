/**
 * One model on one image: pre-process, infer, interpret the outputs by the manifest
 * (activations, labels, thresholds), and explain (CAM from the model's features, else
 * occlusion; segmentation models explain themselves with their probability map). Every
 * result names the model (id, version, sha256), the backend used and the time taken.
 */
import type { DecodedFrame } from '../api/schemas.ts';
import type { LoadedModel } from './load-package.ts';
import { interpretOutputs, type Finding, type ImageMap } from './portable/interpret.ts';
import { occlusionMap, riseMap } from './portable/saliency/perturbation.ts';
import type { SaliencyMap } from './portable/saliency/saliency-map.ts';
import { mapToImage, preprocessFrame } from './portable/preprocess.ts';

export type { Finding };

export interface ImageAnalysis {
  model: { id: string; version: string; sha256: string; investigational: boolean };
  backend: string;
  timingsMs: { preprocess: number; inference: number; saliency: number };
  findings: Finding[];
  /** Segmentation: probability per image pixel (0..1) and the manifest's threshold. */
  probabilityMap?: ImageMap & { threshold: number };
  saliency?: SaliencyMap & { imageValues: Float32Array; imageWidth: number; imageHeight: number };
}

export type SaliencyChoice = 'auto' | 'cam' | 'occlusion' | 'rise' | 'none';

export async function analyzeImage(frame: DecodedFrame, loaded: LoadedModel, saliency: SaliencyChoice = 'auto', seed = 1): Promise<ImageAnalysis> {
  const { manifest, session } = loaded;
  const spec = manifest.input;
  const t0 = performance.now();
  const { tensor, geometry } = preprocessFrame(frame, spec);
  const t1 = performance.now();
  const outputs = await session.run({ [spec.name]: { dims: [1, spec.channels, spec.height, spec.width], data: tensor } });
  const t2 = performance.now();

  const { findings, probabilityMap, cam } = interpretOutputs(manifest, outputs, geometry);

  let map: SaliencyMap | undefined;
  const methods = manifest.saliency.methods;
  const method = saliency === 'auto' ? (methods.includes('cam') ? 'cam' : methods.includes('occlusion') ? 'occlusion' : 'none') : saliency;
  const classifier = manifest.outputs.find((o) => o.kind === 'probability' || o.kind === 'logits');
  if (method === 'cam' && cam) {
    map = cam;
  } else if ((method === 'occlusion' || method === 'rise') && classifier) {
    const target = { session, inputName: spec.name, input: tensor, channels: spec.channels, height: spec.height, width: spec.width, outputName: classifier.name, scoreIndex: 0, batchSize: 1 };
    map = method === 'occlusion' ? await occlusionMap(target, 14) : await riseMap(target, { masks: 2000, cells: 8, keep: 0.5, seed });
  }
  const t3 = performance.now();
  return {
    model: { id: manifest.id, version: manifest.version, sha256: manifest.sha256, investigational: manifest.investigational },
    backend: session.backend,
    timingsMs: { preprocess: t1 - t0, inference: t2 - t1, saliency: t3 - t2 },
    findings,
    probabilityMap,
    saliency: map ? { ...map, imageValues: mapToImage(map.values, spec, geometry), imageWidth: geometry.imageWidth, imageHeight: geometry.imageHeight } : undefined,
  };
}
