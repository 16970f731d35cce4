/**
 * Shapes shared by several operations. Kept free of Node and DOM so that the renderer,
 * Electron main and the browser host all validate against the very same objects.
 */
import { z } from 'zod';
import { domainSchema } from '../vocabulary/domains.ts';

export { domainSchema, type ImagingDomain } from '../vocabulary/domains.ts';

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  details: z.array(z.string()).optional(),
});

export const problemSchema = z.object({ code: z.string(), message: z.string() });
export type Problem = z.infer<typeof problemSchema>;

export const instanceSummarySchema = z.object({
  instanceId: z.string(),
  fileName: z.string(),
  sopInstanceUid: z.string(),
  sopClassUid: z.string(),
  transferSyntaxUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyInstanceUid: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  seriesInstanceUid: z.string(),
  modality: z.string(),
  bodyPart: z.string(),
  laterality: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  frames: z.number().int(),
  photometric: z.string(),
  domain: domainSchema,
  domainReason: z.string(),
  /** Defects that did not stop the image from being shown (see core/dicom/validate.ts). */
  warnings: z.array(problemSchema),
  /** The partner site a verified batch package brought this image from. */
  sourceSite: z.string().optional(),
});
export type InstanceSummary = z.infer<typeof instanceSummarySchema>;

export const importFailureSchema = z.object({
  fileName: z.string(),
  code: z.string(),
  message: z.string(),
});

export const importReportSchema = z.object({
  imported: z.array(instanceSummarySchema),
  duplicates: z.array(z.object({ fileName: z.string(), instanceId: z.string() })),
  failed: z.array(importFailureSchema),
  /** Files that are not images but were understood: archives expanded, sidecar CSVs, DICOMDIR indexes. */
  skipped: z.array(z.object({ fileName: z.string(), reason: z.string() })),
});

/**
 * Patient, eye, date and domain for a plain JPEG/PNG/TIFF export, from the import table.
 * The eye is for fundus photos (a chest film has none); a domain left out is decided from
 * the pixels (core/library/photo-facts.ts).
 */
export const photoMetadataSchema = z.strictObject({
  patientId: z.string().min(1).max(64),
  patientName: z.string().max(64).optional(),
  birthDate: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  examDate: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  examTime: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  eye: z.enum(['OD', 'OS']).optional(),
  domain: domainSchema.optional(),
  device: z.string().max(64).optional(),
  gestationalAgeWeeks: z.number().min(20).max(45).optional(),
  site: z.string().max(64).optional(),
});

export type PhotoMetadataInput = z.infer<typeof photoMetadataSchema>;

/** What the import would make of one photo, before it is imported (library.describePhotos). */
export const photoDescriptionSchema = z.object({
  fileName: z.string(),
  format: z.string(),
  /** Every field the sources gave; the user checks and completes them in the import table. */
  metadata: z.object({
    patientId: z.string().optional(),
    patientName: z.string().optional(),
    birthDate: z.string().optional(),
    examDate: z.string().optional(),
    examTime: z.string().optional(),
    eye: z.enum(['OD', 'OS']).optional(),
    domain: domainSchema,
    device: z.string().optional(),
    gestationalAgeWeeks: z.number().optional(),
    site: z.string().optional(),
  }),
  /** Where each field came from, in words ("the sidecar CSV", "the file name (_OD_)"). */
  sources: z.record(z.string(), z.string()),
  /** Whether the pixels look grey and show a round fundus field, and why. */
  pixels: z.object({
    domain: domainSchema,
    grey: z.boolean(),
    fundusField: z.boolean(),
    reason: z.string(),
  }),
  notes: z.array(z.string()),
});
export type PhotoDescription = z.infer<typeof photoDescriptionSchema>;
export type ImportReport = z.infer<typeof importReportSchema>;

export type PixelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;
const PIXEL_ARRAY_TYPES = [
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
];

const pixelArraySchema = z.custom<PixelArray>(
  (value) => PIXEL_ARRAY_TYPES.some((type) => value instanceof type),
  'expected a typed array of pixel values',
);

export const lookupTableSchema = z.object({
  firstValueMapped: z.number(),
  bitsPerEntry: z.number().int().positive(),
  entries: z.array(z.number()),
  explanation: z.string().optional(),
});

export const voiWindowSchema = z.object({
  center: z.number(),
  width: z.number().positive(),
  explanation: z.string().optional(),
});

export const decodedFrameSchema = z.object({
  instanceId: z.string(),
  frame: z.number().int().nonnegative(),
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  samplesPerPixel: z.union([z.literal(1), z.literal(3)]),
  /** PhotometricInterpretation of `pixels`: colour frames are delivered as interleaved RGB. */
  photometric: z.string(),
  bitsStored: z.number().int().positive(),
  pixels: pixelArraySchema,
  minValue: z.number(),
  maxValue: z.number(),
  rescaleSlope: z.number(),
  rescaleIntercept: z.number(),
  /** Modality LUT Sequence (replaces rescale when present, PS3.3 C.11.1). */
  modalityLut: lookupTableSchema.optional(),
  /** VOI windows from the file, the first being the default (C.11.2). */
  windows: z.array(voiWindowSchema),
  voiLuts: z.array(lookupTableSchema),
  voiFunction: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']),
  /** Display inverted: MONOCHROME1, or Presentation LUT Shape INVERSE (C.11.6). */
  inverted: z.boolean(),
  /** Row and column spacing in mm, and which attribute it came from (PS3.3 10.7.1.3). */
  spacing: z
    .object({
      row: z.number(),
      column: z.number(),
      source: z.enum(['PixelSpacing', 'ImagerPixelSpacing', 'NominalScannedPixelSpacing']),
    })
    .optional(),
});
export type DecodedFrame = z.infer<typeof decodedFrameSchema>;
