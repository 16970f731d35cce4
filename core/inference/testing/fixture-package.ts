/**
 * Writes a complete model package around the quadrant-detector fixture, with self-test
 * expectations computed from the model's definition (an oracle independent of ONNX
 * Runtime): p = sigmoid(w · mean(ReLU(x · mask_TL)) + b).
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateInput,
  MANIFEST_SCHEMA_ID,
  type GeneratedInput,
  type ModelManifest,
} from '../portable/package-schema.ts';
import { quadrantDetectorModel, thresholdSegmenterModel } from './onnx-builder.ts';

export const FIXTURE_SIZE = 32;

export function quadrantProbability(
  input: Float32Array,
  size: number,
  weight: number,
  bias: number,
): number {
  let sum = 0;
  for (let y = 0; y < size / 2; y++)
    for (let x = 0; x < size / 2; x++) sum += Math.max(0, input[y * size + x]!);
  return 1 / (1 + Math.exp(-(weight * (sum / (size * size)) + bias)));
}

export function fixtureManifest(
  sha256: string,
  weight: number,
  bias: number,
  overrides: Partial<ModelManifest> = {},
): ModelManifest {
  const vectors: GeneratedInput[] = [
    { generator: 'top-left-bright', value: 1 },
    { generator: 'ramp' },
    { generator: 'checkerboard' },
  ];
  return {
    schema: MANIFEST_SCHEMA_ID,
    id: 'test-quadrant',
    version: '1.0.0',
    name: 'Top-left quadrant detector (test fixture)',
    sha256,
    task: 'classification',
    domain: 'retina',
    input: {
      name: 'image',
      height: FIXTURE_SIZE,
      width: FIXTURE_SIZE,
      channels: 1,
      colour: 'gray',
      scaleTo01: true,
      mean: [0],
      std: [1],
      resize: 'stretch',
    },
    outputs: [
      {
        name: 'probability',
        kind: 'probability',
        labels: ['top-left bright'],
        activation: 'sigmoid',
        thresholds: { 'top-left bright': 0.5 },
      },
      { name: 'features', kind: 'features', activation: 'none' },
    ],
    saliency: {
      methods: ['cam', 'occlusion', 'rise'],
      cam: { featuresOutput: 'features', targetOutput: 'probability', headWeights: [[weight]] },
    },
    intendedUse: 'Test fixture: responds only to brightness in the top-left quadrant.',
    investigational: true,
    trainingData: 'None: weights set by construction.',
    metrics: [],
    licence: 'Test fixture, no licence needed',
    selfTest: vectors.map((input) => ({
      input,
      expect: [
        {
          output: 'probability',
          values: [
            quadrantProbability(
              generateInput(input, 1, FIXTURE_SIZE, FIXTURE_SIZE),
              FIXTURE_SIZE,
              weight,
              bias,
            ),
          ],
          tolerance: 1e-5,
        },
      ],
    })),
    ...overrides,
  };
}

/** A package folder; `mutate` may break it on purpose (manifest or ONNX bytes). */
export function writeFixturePackage(
  mutate?: (parts: { manifest: ModelManifest; onnx: Uint8Array }) => {
    manifest: unknown;
    onnx: Uint8Array;
  },
): string {
  const { bytes, headWeight, headBias } = quadrantDetectorModel(FIXTURE_SIZE);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let parts: { manifest: unknown; onnx: Uint8Array } = {
    manifest: fixtureManifest(sha256, headWeight, headBias),
    onnx: bytes,
  };
  if (mutate) parts = mutate(parts as { manifest: ModelManifest; onnx: Uint8Array });
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-model-'));
  writeFileSync(
    join(folder, 'manifest.json'),
    typeof parts.manifest === 'string' ? parts.manifest : JSON.stringify(parts.manifest, null, 2),
  );
  writeFileSync(join(folder, 'model.onnx'), parts.onnx);
  return folder;
}

/** A segmentation package around thresholdSegmenterModel, self-tests from its definition. */
export function writeSegmenterPackage(gain = 10): string {
  const bytes = thresholdSegmenterModel(FIXTURE_SIZE, gain);
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const meanOf = (input: GeneratedInput) => {
    const x = generateInput(input, 1, FIXTURE_SIZE, FIXTURE_SIZE);
    return x.reduce((sum, v) => sum + sigmoid(gain * (v - 0.5)), 0) / x.length;
  };
  const vectors: GeneratedInput[] = [
    { generator: 'constant', value: 0.5 },
    { generator: 'top-left-bright', value: 1 },
    { generator: 'ramp' },
  ];
  const manifest: ModelManifest = {
    ...fixtureManifest(createHash('sha256').update(bytes).digest('hex'), 0, 0),
    id: 'test-segmenter',
    name: 'Bright-pixel segmenter (test fixture)',
    task: 'segmentation',
    outputs: [
      {
        name: 'probability_map',
        kind: 'probability-map',
        labels: ['foreground'],
        activation: 'none',
        thresholds: { foreground: 0.5 },
      },
    ],
    saliency: { methods: ['probability-map'] },
    intendedUse: 'Test fixture: marks pixels brighter than mid-grey.',
    selfTest: vectors.map((input) => ({
      input,
      expect: [{ output: 'probability_map', mean: meanOf(input), tolerance: 1e-5 }],
    })),
  };
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-segmenter-'));
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(folder, 'model.onnx'), bytes);
  return folder;
}

/** A models folder holding both fixtures, as the registry expects (models/<id>/...). */
export function writeFixtureModelsFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'neoscope-models-'));
  cpSync(writeFixturePackage(), join(root, 'test-quadrant'), { recursive: true });
  cpSync(writeSegmenterPackage(), join(root, 'test-segmenter'), { recursive: true });
  return root;
}
