/**
 * Class activation mapping (Zhou et al., CVPR 2016) from a model's own outputs: the last
 * feature maps F (1×C×h×w) weighted by the classifier head's weights for the class,
 * Σc w_c·F_c, then resized to the input. No training framework at run time: the
 * feature maps are a model output and the head weights are in the manifest.
 */
import type { OutputTensor } from '../engine.ts';
import { normaliseMap, resizeMap, type SaliencyMap } from './saliency-map.ts';

export function classActivationMap(
  features: OutputTensor,
  headWeights: number[],
  inputWidth: number,
  inputHeight: number,
): SaliencyMap {
  const [, channels, height, width] = features.dims as [number, number, number, number];
  if (headWeights.length !== channels)
    throw new Error(`CAM needs ${channels} head weights, the manifest gives ${headWeights.length}`);
  const cam = new Float32Array(height * width);
  for (let c = 0; c < channels; c++) {
    const w = headWeights[c]!;
    const offset = c * height * width;
    for (let i = 0; i < cam.length; i++) cam[i]! += w * features.data[offset + i]!;
  }
  return {
    method: 'cam',
    width: inputWidth,
    height: inputHeight,
    values: normaliseMap(resizeMap(cam, width, height, inputWidth, inputHeight)),
  };
}
