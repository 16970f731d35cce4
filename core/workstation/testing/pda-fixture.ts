/**
 * A chest package that fills the PDA slot, for the upgrade tests: hs_pda logits are
 * w·mean(image) + b for "no" and "yes", so a film's brightness decides its call and two
 * versions with other biases disagree on films of middle brightness. Self-tests are computed
 * from that definition, not from ONNX Runtime.
 */
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import {
  generateInput,
  MANIFEST_SCHEMA_ID,
  type GeneratedInput,
  type IntendedUseScope,
  type ModelManifest,
} from '../../inference/portable/package-schema.ts';
import { buildOnnxModel } from '../../inference/testing/onnx-builder.ts';

const SIZE = 32;

/** Calls "yes" when the film's mean grey (0..1) exceeds `threshold`. */
export function pdaPackage(
  version: string,
  threshold: number,
  scope?: IntendedUseScope,
): { zip: Uint8Array; manifest: ModelManifest } {
  const gain = 10;
  const weights = [-gain, gain];
  const bias = [gain * threshold, -gain * threshold];
  const onnx = buildOnnxModel({
    inputs: [{ name: 'image', dims: ['batch', 1, SIZE, SIZE] }],
    outputs: [{ name: 'hs_pda', dims: ['batch', 2] }],
    initializers: [
      { name: 'w', dims: [1, 2], values: weights },
      { name: 'b', dims: [2], values: bias },
    ],
    nodes: [
      { op: 'GlobalAveragePool', inputs: ['image'], outputs: ['pooled'] },
      { op: 'Flatten', inputs: ['pooled'], outputs: ['flat'], attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['flat', 'w', 'b'], outputs: ['hs_pda'] },
    ],
  });
  const vectors: GeneratedInput[] = [{ generator: 'constant', value: 0.5 }, { generator: 'ramp' }];
  const manifest: ModelManifest = {
    schema: MANIFEST_SCHEMA_ID,
    id: 'pda-site',
    version,
    name: 'PDA from the film (test fixture)',
    sha256: createHash('sha256').update(onnx).digest('hex'),
    task: 'classification',
    domain: 'chest',
    slot: 'pda-significance',
    input: {
      name: 'image',
      height: SIZE,
      width: SIZE,
      channels: 1,
      colour: 'gray',
      scaleTo01: true,
      mean: [0],
      std: [1],
      resize: 'stretch',
    },
    outputs: [{ name: 'hs_pda', kind: 'logits', labels: ['no', 'yes'], activation: 'softmax' }],
    saliency: { methods: ['occlusion'] },
    intendedUse: 'Test fixture: calls a bright film "yes".',
    ...(scope ? { intendedUseScope: scope } : {}),
    investigational: true,
    trainingData: 'None: weights set by construction.',
    metrics: [],
    licence: 'Test fixture, no licence needed',
    selfTest: vectors.map((input) => {
      const x = generateInput(input, 1, SIZE, SIZE);
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      return {
        input,
        expect: [
          {
            output: 'hs_pda',
            values: weights.map((w, i) => w * mean + bias[i]!),
            tolerance: 1e-4,
          },
        ],
      };
    }),
  };
  const zip = zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    'model.onnx': onnx,
  });
  return { zip, manifest };
}
