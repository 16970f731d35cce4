/**
 * The one API contract: every privileged operation the UI may call, declared once with
 * its argument and result schemas. Transports (Electron IPC, HTTP) route by operation
 * name and validate with these schemas; adding an operation touches this file and its
 * handler only.
 */
import { z } from 'zod';
import { manifestSchema } from '../inference/portable/package-schema.ts';
import { slotSchema } from '../inference/portable/slot-schema.ts';
import { instanceIdSchema } from '../vocabulary/ids.ts';
import { reviewOperations } from './contract-review.ts';
import { exchangeOperations } from './contract-exchange.ts';
import { worklistOperations } from './contract-worklist.ts';
import { accountOperations } from './contract-accounts.ts';
import { inferenceOperations } from './contract-inference.ts';
import {
  engineCheckSchema,
  modelActivationSchema,
  validationOperations,
} from './contract-validation.ts';
import {
  decodedFrameSchema,
  importReportSchema,
  instanceSummarySchema,
  photoDescriptionSchema,
  photoMetadataSchema,
} from '../base/schemas.ts';

/**
 * Who may call an operation, declared with it and enforced by the dispatcher before the
 * handler runs: `public` (nothing about patients: product info, sign-in, model packages),
 * `signed-in` (any role; handlers add finer rules such as a reader's domain) or `admin`.
 */
export const ACCESS_LEVELS = ['public', 'signed-in', 'admin'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** Files sent from the renderer in one call; the UI splits larger selections. */
export const MAX_FILES_PER_IMPORT_CALL = 64;

export const contract = {
  'app.info': {
    access: 'public',
    summary: 'Product version, which host serves the API, and the bundled content folders.',
    args: z.strictObject({}),
    result: z.object({
      product: z.literal('NeoScope'),
      version: z.string(),
      host: z.enum(['electron', 'browser']),
      samplesFolder: z.string(),
      modelsFolder: z.string(),
    }),
  },
  'library.list': {
    access: 'signed-in',
    summary: 'All images in the local library, newest import first.',
    args: z.strictObject({}),
    result: z.object({ instances: z.array(instanceSummarySchema) }),
  },
  'library.importSamples': {
    access: 'signed-in',
    summary: 'Import the DICOM samples bundled with the workstation (dicom-samples/).',
    args: z.strictObject({}),
    result: importReportSchema,
  },
  'library.importFiles': {
    access: 'signed-in',
    summary:
      'Import files the user chose or dropped (DICOM, zip, DICOMDIR media, JPEG/PNG fundus exports with a sidecar CSV or form metadata); bad files are reported, good ones kept.',
    args: z.strictObject({
      files: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(1024),
            bytes: z.instanceof(Uint8Array),
            photo: photoMetadataSchema.optional(),
          }),
        )
        .min(1)
        .max(MAX_FILES_PER_IMPORT_CALL),
    }),
    result: importReportSchema,
  },
  'library.describePhotos': {
    access: 'signed-in',
    summary:
      'What an import would make of JPEG/PNG/TIFF exports (with any sidecar CSV among the files): patient, eye, date and domain per photo, each with its source, for the user to check before importing. Stores nothing.',
    args: z.strictObject({
      files: z
        .array(
          z.strictObject({ name: z.string().min(1).max(1024), bytes: z.instanceof(Uint8Array) }),
        )
        .min(1)
        .max(MAX_FILES_PER_IMPORT_CALL),
      /** File-name tokens per eye (e.g. `_OD_`, `R.jpg`); the defaults when absent. */
      eyeNamePatterns: z
        .strictObject({
          OD: z.array(z.string().min(1).max(32)).max(32),
          OS: z.array(z.string().min(1).max(32)).max(32),
        })
        .optional(),
    }),
    result: z.strictObject({
      photos: z.array(photoDescriptionSchema),
      /** Files that are not photos or could not be read, and sidecar problems. */
      problems: z.array(z.object({ fileName: z.string(), message: z.string() })),
    }),
  },
  'image.frame': {
    access: 'signed-in',
    summary: 'Decoded stored pixel values of one frame, with what is needed to display them.',
    args: z.strictObject({
      instanceId: instanceIdSchema,
      frame: z.number().int().nonnegative(),
    }),
    result: decodedFrameSchema,
  },
  'models.list': {
    access: 'public',
    summary:
      'Installed model packages, each verified (schema, hash, self-test) in the service; broken ones with their reason.',
    args: z.strictObject({}),
    result: z.object({
      models: z.array(
        z.discriminatedUnion('ok', [
          z.object({
            ok: z.literal(true),
            manifest: manifestSchema,
            verifiedBackend: z.string(),
            activation: modelActivationSchema.optional(),
          }),
          z.object({
            ok: z.literal(false),
            folder: z.string(),
            code: z.string(),
            message: z.string(),
          }),
        ]),
      ),
      slots: z.array(
        z.object({
          slot: slotSchema,
          filledBy: z.array(z.object({ id: z.string(), version: z.string() })),
          mismatched: z.array(
            z.object({ id: z.string(), version: z.string(), reason: z.string() }),
          ),
        }),
      ),
    }),
  },
  'models.import': {
    access: 'admin',
    summary:
      'Install a model package from a zip (manifest.json + model.onnx); verified in full first, never replacing an installed id+version.',
    args: z.strictObject({ name: z.string().min(1).max(1024), bytes: z.instanceof(Uint8Array) }),
    result: z.object({
      id: z.string(),
      version: z.string(),
      name: z.string(),
      /** A new version of an installed model waits as a candidate (models.compare, models.activate). */
      state: modelActivationSchema.shape.state.optional(),
      engineCheck: engineCheckSchema.optional(),
    }),
  },
  'models.file': {
    access: 'public',
    summary: "The ONNX bytes of an installed, verified package, for the page's inference worker.",
    args: z.strictObject({ id: z.string().min(1).max(100), version: z.string().min(1).max(40) }),
    result: z.object({ sha256: z.string(), bytes: z.instanceof(Uint8Array) }),
  },
  ...reviewOperations,
  ...exchangeOperations,
  ...worklistOperations,
  ...accountOperations,
  ...validationOperations,
  ...inferenceOperations,
} as const satisfies Record<
  string,
  { access: Access; summary: string; args: z.ZodType; result: z.ZodType }
>;

export type ApiContract = typeof contract;
export type OperationName = keyof ApiContract;
export type OperationArgs<N extends OperationName> = z.input<ApiContract[N]['args']>;
export type OperationResult<N extends OperationName> = z.output<ApiContract[N]['result']>;

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
