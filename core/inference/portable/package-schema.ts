/**
 * The model package manifest (models/<id>/manifest.json), schema version 1. A package is
 * a folder with this manifest and `model.onnx`; it is accepted only when the schema, the
 * ONNX file's SHA-256 and every self-test vector pass (see load-package.ts).
 */
import { z } from 'zod';

export const MANIFEST_SCHEMA_ID = 'neoscope.model-package/1';

const metricSchema = z.strictObject({
  dataset: z.string(),
  split: z.string(),
  metric: z.string(),
  value: z.number(),
  n: z.number().int().positive(),
});

/** Deterministic inputs, so a vector for a 512×512 model stays a few bytes of JSON. */
export const generatedInputSchema = z.strictObject({
  generator: z.enum(['constant', 'ramp', 'checkerboard', 'top-left-bright']),
  value: z.number().optional(),
});

export const selfTestSchema = z.strictObject({
  input: generatedInputSchema,
  expect: z
    .array(
      z.strictObject({
        output: z.string(),
        /** Either the first values of the output, or summary statistics of it. */
        values: z.array(z.number()).optional(),
        mean: z.number().optional(),
        tolerance: z.number().positive().max(0.1),
      }),
    )
    .min(1),
});

/** The patient ages an intended-use scope can be stated in, all in days. */
export const AGE_MEASURES = ['gaAtBirthDays', 'pmaDays', 'chronologicalDays'] as const;

/**
 * The machine-checkable part of a model's intended use (the prose stays in `intendedUse`):
 * which images and which patients the model was made and validated for, and whether an
 * image outside that scope is refused or analysed with a label (core/inference/intended-use.ts).
 * Lists are matched without regard to case; an absent list or bound does not restrict.
 */
export const intendedUseScopeSchema = z.strictObject({
  domain: z.enum(['retina', 'chest']),
  /** DICOM Modality (0008,0060), e.g. CR, DX for chest films; OP, XC for fundus photographs. */
  modality: z.array(z.string().min(1)).min(1).optional(),
  /** Chest: View Position (0018,5101), e.g. AP, PA. */
  view: z.array(z.string().min(1)).min(1).optional(),
  age: z
    .strictObject({
      measure: z.enum(AGE_MEASURES),
      min: z.number().nonnegative().optional(),
      max: z.number().nonnegative().optional(),
    })
    .refine((a) => a.min !== undefined || a.max !== undefined, 'give min, max or both')
    .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, 'min > max')
    .optional(),
  /** Manufacturer's Model Name (0008,1090) of the cameras the model was validated with. */
  cameraModels: z.array(z.string().min(1)).min(1).optional(),
  outsideUse: z.enum(['refuse', 'label']),
});

export type IntendedUseScope = z.infer<typeof intendedUseScopeSchema>;

/** Every field of the manifest; `manifestSchema` adds the checks across fields. */
const manifestFields = z.strictObject({
  schema: z.literal(MANIFEST_SCHEMA_ID),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/, 'semantic version, e.g. 1.0.0'),
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  task: z.enum(['classification', 'segmentation', 'measurement']),
  domain: z.enum(['retina', 'chest']),
  input: z.strictObject({
    name: z.string(),
    height: z.number().int().positive(),
    width: z.number().int().positive(),
    channels: z.union([z.literal(1), z.literal(3)]),
    colour: z.enum(['gray', 'rgb', 'green-channel']),
    scaleTo01: z.boolean(),
    mean: z.array(z.number()),
    std: z.array(z.number().positive()),
    resize: z.enum(['stretch', 'letterbox', 'center-crop']),
  }),
  outputs: z
    .array(
      z.strictObject({
        name: z.string(),
        kind: z.enum(['probability', 'logits', 'probability-map', 'features']),
        labels: z.array(z.string()).optional(),
        activation: z.enum(['none', 'sigmoid', 'softmax']),
        thresholds: z.record(z.string(), z.number()).optional(),
        calibration: z.string().optional(),
      }),
    )
    .min(1),
  saliency: z.strictObject({
    methods: z.array(z.enum(['cam', 'occlusion', 'rise', 'probability-map'])),
    cam: z
      .strictObject({
        featuresOutput: z.string(),
        targetOutput: z.string(),
        headWeights: z.array(z.array(z.number())),
      })
      .optional(),
  }),
  /** The model slot (models/slots/<id>.json) this package fills, if any. */
  slot: z.string().optional(),
  /** Measurements derived from a segmentation's map (core/measurements/derive-measurements.ts). */
  measurements: z.array(z.enum(['cardiothoracic-ratio', 'retinal-vascular-metrics'])).optional(),
  intendedUse: z.string().min(1),
  /** Optional: the scope `intendedUse` describes, checked before each analysis. */
  intendedUseScope: intendedUseScopeSchema.optional(),
  investigational: z.boolean(),
  /**
   * Optional: the largest |difference| of any output between the engines the package is run
   * on at install (onnxruntime-node, WASM); beyond it the package is not activated. Without
   * it the workstation's default applies (core/inference/engine-agreement.ts).
   */
  engineTolerance: z.number().positive().max(0.1).optional(),
  trainingData: z.string().min(1),
  metrics: z.array(metricSchema),
  licence: z.string().min(1),
  selfTest: z.array(selfTestSchema).min(1),
});

export const manifestSchema = manifestFields.refine(
  (m) => !m.intendedUseScope || m.intendedUseScope.domain === m.domain,
  { path: ['intendedUseScope', 'domain'], message: "must be the package's domain" },
);

export type ModelManifest = z.infer<typeof manifestSchema>;
export type GeneratedInput = z.infer<typeof generatedInputSchema>;

/** The input tensor a generator describes, in the model's NCHW layout, values 0..1. */
export function generateInput(
  input: GeneratedInput,
  channels: number,
  height: number,
  width: number,
): Float32Array {
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v: number;
        switch (input.generator) {
          case 'constant':
            v = input.value ?? 0.5;
            break;
          case 'ramp':
            v = (x + y) / Math.max(1, width + height - 2);
            break;
          case 'checkerboard':
            v = (Math.floor(x / 8) + Math.floor(y / 8)) % 2;
            break;
          case 'top-left-bright':
            v = x < width / 2 && y < height / 2 ? (input.value ?? 1) : 0;
            break;
        }
        out[(c * height + y) * width + x] = v;
      }
    }
  }
  return out;
}
