/**
 * API operations for accounts, reading and sign-off (spread into the contract). Every
 * review operation acts as the signed-in user; the service keeps one session per
 * workstation process, which locks after a spell of inactivity.
 */
import { z } from 'zod';
import { BPD_GRADES } from '../vocabulary/bpd-grades.ts';
import { readDomainSchema } from '../vocabulary/domains.ts';
import { instanceIdSchema } from '../vocabulary/ids.ts';
import { roleSchema } from '../vocabulary/roles.ts';
import { eyeSchema } from '../vocabulary/visit.ts';
import { screeningSchema, assessmentSchema } from '../screening/assessment-schemas.ts';

const reportId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a report id');
const modelRef = z.object({ id: z.string(), version: z.string(), sha256: z.string() });
const userSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
const fieldValue = z.union([z.string().max(4000), z.number(), z.null()]);

const fieldSpecSchema = z.union([
  z.object({
    name: z.string(),
    label: z.string(),
    kind: z.literal('choice'),
    options: z.array(z.string()),
    aiSource: z.unknown().optional(),
    eye: eyeSchema.optional(),
  }),
  z.object({
    name: z.string(),
    label: z.string(),
    kind: z.literal('number'),
    min: z.number(),
    max: z.number(),
    decimals: z.number(),
    aiSource: z.unknown().optional(),
    eye: eyeSchema.optional(),
  }),
]);

export const draftSchema = z.object({
  content: z.object({
    reportId: z.string(),
    patientId: z.string(),
    studyInstanceUid: z.string(),
    instanceIds: z.array(z.string()),
    domain: readDomainSchema,
    fields: z.array(
      z.object({
        field: z.string(),
        ai: z
          .object({
            value: z.union([z.string(), z.number()]),
            confidence: z.number().optional(),
            model: modelRef,
            outsideIntendedUse: z.string().optional(),
            intendedUseNotConfirmed: z.string().optional(),
          })
          .optional(),
        reader: fieldValue,
      }),
    ),
    freeText: z.string(),
    overlays: z
      .array(
        z.object({
          instanceId: z.string(),
          model: modelRef,
          png: z.string(),
          description: z.string(),
        }),
      )
      .optional(),
  }),
  status: z.enum(['open', 'signed']),
  amends: z.number().optional(),
  signedVersions: z.array(z.number()),
  form: z.array(fieldSpecSchema),
  /** Why a field has no AI value (no model installed for it, or the measurement failed). */
  aiNotes: z.array(z.string()),
  /** The models (id@version) that have analysed this exam, whatever they found. */
  analysedWith: z.array(z.string()),
  /** ROP: ETROP category per eye, next exam and summary computed from the entries, with their rules. */
  assessment: assessmentSchema.optional(),
});

const bpdGrade = z.enum(BPD_GRADES);
const patientRecord = z.object({
  patientId: z.string(),
  birthDate: z.string(),
  gaWeeks: z.number().int(),
  gaDays: z.number().int(),
  birthWeightGrams: z.number().int().optional(),
  unstableCourse: z.boolean().optional(),
  hydrocephalus: z.boolean().optional(),
  bpdGrade: bpdGrade.optional(),
});
const weightSchema = z.object({ date: z.string().max(10), grams: z.number().int() });

export const reviewOperations = {
  'measure.ctr': {
    access: 'signed-in',
    summary:
      "The cardiothoracic ratio estimated by the installed lung model on a chest film: its four points (thorax right/left, heart right/left, image pixels), for the reader's CTR tool to start from.",
    args: z.strictObject({ instanceId: instanceIdSchema }),
    result: z.object({
      points: z.array(z.object({ x: z.number(), y: z.number() })).length(4),
      ratio: z.number(),
      model: modelRef,
    }),
  },
  'patients.set': {
    access: 'signed-in',
    summary:
      'Record the birth date and gestational age at birth of a patient (audited); exams then show their postmenstrual age.',
    args: z.strictObject({
      patientId: z.string().min(1).max(64),
      birthDate: z.string().max(10),
      gaWeeks: z.number().int(),
      gaDays: z.number().int(),
      birthWeightGrams: z.number().int().optional(),
      unstableCourse: z.boolean().optional(),
      hydrocephalus: z.boolean().optional(),
      bpdGrade: bpdGrade.optional(),
    }),
    result: patientRecord,
  },
  'patients.addWeights': {
    access: 'signed-in',
    summary:
      "Record an infant's weights by date (audited), entered or read from a CSV of patient_id,date,grams; G-ROP uses them.",
    args: z.strictObject({
      patientId: z.string().min(1).max(64),
      weights: z.array(weightSchema).min(1).max(400),
    }),
    result: z.object({ weights: z.array(weightSchema) }),
  },
  'patients.trajectory': {
    access: 'signed-in',
    summary:
      "A patient's signed exams by postmenstrual age, with the tortuosity index (retina) and cardiothoracic ratio (chest) of each.",
    args: z.strictObject({ patientId: z.string().min(1).max(64) }),
    result: z.object({
      patient: patientRecord.optional(),
      weights: z.array(weightSchema),
      screening: screeningSchema.optional(),
      points: z.array(
        z.object({
          reportId: z.string(),
          version: z.number(),
          domain: readDomainSchema,
          examDate: z.string(),
          pmaDays: z.number().nullable(),
          pma: z.string(),
          measure: z
            .object({
              name: z.enum(['tortuosity_index', 'ctr']),
              value: z.number(),
              source: z.enum(['reader', 'AI']),
            })
            .nullable(),
        }),
      ),
    }),
  },
  'auth.status': {
    access: 'public',
    summary: 'Whether accounts exist, who is signed in (if anyone), and the idle-lock time.',
    args: z.strictObject({}),
    result: z.object({
      accounts: z.number().int(),
      user: userSchema.optional(),
      idleLockMinutes: z.number(),
    }),
  },
  'auth.login': {
    access: 'public',
    summary: 'Sign in with a local account; five wrong passwords lock it for 15 minutes.',
    args: z.strictObject({
      username: z.string().min(1).max(64),
      password: z.string().min(1).max(256),
    }),
    result: userSchema,
  },
  'auth.logout': {
    access: 'public',
    summary: 'Sign out.',
    args: z.strictObject({}),
    result: z.object({}),
  },
  'users.create': {
    access: 'public',
    summary:
      'An admin creates a local account (the first account, created when none exist, is an admin).',
    args: z.strictObject({
      username: z.string().min(1).max(64),
      displayName: z.string().min(1).max(128),
      role: roleSchema,
      password: z.string().min(1).max(256),
    }),
    result: userSchema,
  },
  'review.open': {
    access: 'signed-in',
    summary:
      'Open (or create) the report draft of a visit (one infant, one date, one domain; for ROP both eyes) from its images.',
    args: z.strictObject({
      instanceIds: z.array(instanceIdSchema).min(1).max(64),
    }),
    result: draftSchema,
  },
  'review.copyEye': {
    access: 'signed-in',
    summary:
      'Copy the reader\'s entries of one eye\'s section to the other eye ("same as other eye"), each change recorded.',
    args: z.strictObject({ reportId, from: eyeSchema }),
    result: draftSchema,
  },
  'review.analyze': {
    access: 'signed-in',
    summary:
      "Run the installed models for the report's domain and record their values as AI values, with the model behind each.",
    args: z.strictObject({ reportId }),
    result: draftSchema,
  },
  'review.setField': {
    access: 'signed-in',
    summary:
      "Set the reader's value of one field (or 'free_text'); recorded with who, when, from and to.",
    args: z.strictObject({ reportId, field: z.string().max(64), value: fieldValue }),
    result: draftSchema,
  },
  'review.sign': {
    access: 'signed-in',
    summary:
      "Sign the draft with the reader's password: the report is frozen with its content hash; an amendment needs a reason.",
    args: z.strictObject({
      reportId,
      password: z.string().min(1).max(256),
      reason: z.string().max(1000).optional(),
    }),
    result: z.object({
      reportId: z.string(),
      version: z.number(),
      contentHash: z.string(),
      signer: z.string(),
      signedAt: z.string(),
    }),
  },
  'review.amend': {
    access: 'signed-in',
    summary:
      'Start an amendment of a signed report: a new draft from its latest version; the signed versions stay as they are.',
    args: z.strictObject({ reportId }),
    result: draftSchema,
  },
  'review.history': {
    access: 'signed-in',
    summary: 'Every recorded change of a report: field, from, to, who and when.',
    args: z.strictObject({ reportId }),
    result: z.object({
      changes: z.array(
        z.object({
          field: z.string(),
          from: z.string().nullable(),
          to: z.string().nullable(),
          who: z.string(),
          at: z.string(),
        }),
      ),
    }),
  },
  'report.pdf': {
    access: 'signed-in',
    summary: 'A signed version as PDF: values, AI beside reader, images, models, signature block.',
    args: z.strictObject({ reportId, version: z.number().int().positive() }),
    result: z.object({ fileName: z.string(), bytes: z.instanceof(Uint8Array) }),
  },
  'report.dicom': {
    access: 'signed-in',
    summary:
      'A signed version as a DICOM Comprehensive SR in the original study, with a Secondary Capture of each overlay image.',
    args: z.strictObject({ reportId, version: z.number().int().positive() }),
    result: z.object({
      fileName: z.string(),
      bytes: z.instanceof(Uint8Array),
      captures: z.array(z.object({ fileName: z.string(), bytes: z.instanceof(Uint8Array) })),
    }),
  },
} as const;
