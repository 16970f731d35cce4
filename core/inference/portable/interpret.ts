/**
 * From raw model outputs to what a reader sees, by the manifest: scores with their labels
 * and decision thresholds, probability maps on the image, and the saliency map the
 * manifest offers for free (CAM from the model's own features). Shared by the page and the
 * service so both report identical findings.
 */
import type { OutputTensor } from './engine.ts';
import type { ModelManifest } from './package-schema.ts';
import { mapToImage, type InputGeometry } from './preprocess.ts';
import { classActivationMap } from './saliency/cam.ts';
import type { SaliencyMap } from './saliency/saliency-map.ts';

export interface Finding {
  label: string;
  score: number;
  threshold?: number;
  positive?: boolean;
}

export interface ImageMap {
  width: number;
  height: number;
  values: Float32Array;
}

export interface Interpretation {
  findings: Finding[];
  probabilityMap?: ImageMap & { threshold: number };
  cam?: SaliencyMap;
}

function activate(values: Float32Array, activation: string): Float32Array {
  if (activation === 'sigmoid') return values.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === 'softmax') {
    const max = Math.max(...values);
    const exps = values.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((v) => v / sum);
  }
  return values;
}

export function interpretOutputs(
  manifest: ModelManifest,
  outputs: Record<string, OutputTensor>,
  geometry: InputGeometry,
): Interpretation {
  const spec = manifest.input;
  const findings: Finding[] = [];
  let probabilityMap: Interpretation['probabilityMap'];
  for (const output of manifest.outputs) {
    const raw = outputs[output.name];
    if (!raw || output.kind === 'features') continue;
    if (output.kind === 'probability-map') {
      // Values the model already activated are not activated twice.
      const probabilities =
        output.activation === 'sigmoid' ? activate(raw.data, 'sigmoid') : raw.data;
      const threshold = Object.values(output.thresholds ?? {})[0] ?? 0.5;
      probabilityMap = {
        width: geometry.imageWidth,
        height: geometry.imageHeight,
        values: mapToImage(probabilities, spec, geometry),
        threshold,
      };
      continue;
    }
    const scores = output.kind === 'logits' ? activate(raw.data, output.activation) : raw.data;
    (output.labels ?? [...scores].map((_, i) => `${output.name}[${i}]`)).forEach((label, i) => {
      const threshold = output.thresholds?.[label];
      findings.push({
        label,
        score: scores[i]!,
        threshold,
        positive: threshold === undefined ? undefined : scores[i]! >= threshold,
      });
    });
  }
  const camSpec = manifest.saliency.cam;
  const cam =
    camSpec && outputs[camSpec.featuresOutput]
      ? classActivationMap(
          outputs[camSpec.featuresOutput]!,
          camSpec.headWeights[0]!,
          spec.width,
          spec.height,
        )
      : undefined;
  return { findings, probabilityMap, cam };
}
