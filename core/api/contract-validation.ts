/**
 * API operations of the learning loop (spread into the contract): how each model version
 * agrees with this site's signed readings, and the guarded upgrade of a model — a new version
 * is installed as a candidate, compared with the active one on the site's signed cases, and
 * activated by an admin's audited choice. The result schemas mirror core/validation
 * (agreement-report.ts, site-validation.ts) and core/inference/model-activation.ts.
 */
import { z } from 'zod';
import { readDomainSchema } from '../vocabulary/domains.ts';

const interval = z.tuple([z.number(), z.number()]).nullable();
const caseIds = z.array(z.string());

const proportionWithCases = z.object({
  x: z.number(),
  n: z.number(),
  estimate: z.number().nullable(),
  ci95: interval,
  caseIds,
  numeratorCaseIds: caseIds,
});

const kappaWithCases = z.object({
  weighting: z.enum(['unweighted', 'linear', 'quadratic']),
  n: z.number(),
  categories: z.array(z.string()),
  /** Rows: the model's value; columns: the reader's. */
  table: z.array(z.array(z.number())),
  observed: z.number(),
  expected: z.number(),
  kappa: z.number().nullable(),
  se: z.number().nullable(),
  ci95: interval,
  seUnderNull: z.number().nullable(),
  z: z.number().nullable(),
  p: z.number().nullable(),
  caseIds,
});

const monthAgreement = z.object({
  month: z.string(),
  n: z.number(),
  caseIds,
  agree: z.number().nullable(),
  agreeCaseIds: caseIds.nullable(),
  comparison: z
    .object({
      baselineMonths: z.array(z.string()),
      baselineN: z.number(),
      baselineAgree: z.number(),
      test: z.object({
        p1: z.number(),
        p2: z.number(),
        pooled: z.number(),
        z: z.number(),
        p: z.number(),
        smallExpectedCounts: z.boolean(),
      }),
      flagged: z.boolean(),
      direction: z.enum(['lower', 'higher', 'same']),
    })
    .nullable(),
});

export const fieldAgreementSchema = z.object({
  modelId: z.string(),
  modelVersion: z.string(),
  field: z.string(),
  fieldKind: z.enum(['ordinal', 'nominal', 'binary', 'continuous']),
  categories: z.array(z.string()).optional(),
  n: z.number(),
  caseIds,
  agreement: proportionWithCases.nullable(),
  kappa: z
    .object({
      unweighted: kappaWithCases.optional(),
      linear: kappaWithCases.optional(),
      quadratic: kappaWithCases.optional(),
    })
    .optional(),
  sensitivitySpecificity: z
    .object({ sensitivity: proportionWithCases, specificity: proportionWithCases })
    .optional(),
  auc: z
    .object({
      auc: z.number(),
      nPositive: z.number(),
      nNegative: z.number(),
      seDeLong: z.number().nullable(),
      ci95: interval,
      seHanleyMcNeil: z.number(),
      caseIds,
    })
    .optional(),
  blandAltman: z
    .object({
      n: z.number(),
      bias: z.number(),
      sd: z.number().nullable(),
      lower: z.number().nullable(),
      upper: z.number().nullable(),
      biasCi95: interval,
      lowerCi95: interval,
      upperCi95: interval,
      multiplier: z.number(),
      caseIds,
    })
    .optional(),
  months: z.array(monthAgreement),
  flaggedMonths: z.array(z.string()),
  excluded: z.array(z.object({ caseId: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
});

export const agreementReportSchema = z.object({
  settings: z.object({
    monthBaseline: z.enum(['all-other-months', 'earlier-months']),
    alpha: z.number(),
    tolerances: z.record(z.string(), z.number()),
  }),
  superseded: z.array(z.string()),
  groups: z.array(fieldAgreementSchema),
});

const caseValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const siteValidationSchema = agreementReportSchema.extend({
  filters: z.object({
    model: z.string().optional(),
    since: z.string().optional(),
    domains: z.array(readDomainSchema),
  }),
  reports: z.number(),
  unverified: z.array(
    z.object({ reportId: z.string(), version: z.number(), code: z.string(), reason: z.string() }),
  ),
  cases: z.array(
    z.object({
      caseId: z.string(),
      reportId: z.string(),
      signedAt: z.string(),
      modelId: z.string(),
      modelVersion: z.string(),
      field: z.string(),
      ai: caseValue,
      reader: caseValue,
    }),
  ),
});

/** The package run on every engine the installing process has, at install. */
export const engineCheckSchema = z.object({
  engines: z.array(z.string()),
  inputs: z.number(),
  /** Largest |difference| of any output value between any two engines; null with one engine. */
  maxAbsDifference: z.number().nullable(),
  tolerance: z.number(),
  /** Where the tolerance came from: the manifest's `engineTolerance` or the default. */
  toleranceSource: z.enum(['manifest', 'default']),
  passed: z.boolean(),
  checkedAt: z.string(),
  notes: z.array(z.string()),
});

export const modelActivationSchema = z.object({
  /** active: analyses exams; candidate: installed after it, awaiting the admin's choice; previous: replaced. */
  state: z.enum(['active', 'candidate', 'previous']),
  engineCheck: engineCheckSchema.optional(),
});

const modelId = z.string().min(1).max(100);
const modelVersion = z.string().min(1).max(40);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

const versionAgreement = z.object({
  version: z.string(),
  sha256: z.string(),
  report: agreementReportSchema,
  /** Images the version was not run on, and why (outside a refusing scope, a failed measurement). */
  notes: z.array(z.string()),
});

export const validationOperations = {
  'validation.report': {
    access: 'signed-in',
    summary:
      "How each model version agrees with this site's signed readings, per field: κ (weighted for ICROP3 order), sensitivity/specificity with Wilson CIs, ROC AUC, Bland–Altman, counts per month with drift flags, and the cases behind every number. Readers see their domain, admins all.",
    args: z.strictObject({ model: modelId.optional(), since: isoDay.optional() }),
    result: siteValidationSchema,
  },
  'models.compare': {
    access: 'admin',
    summary:
      "Run a candidate version and the active version of a model on the site's signed cases (images of signed reports whose fields the model fills, the latest first, up to `limit`) and return both agreements side by side.",
    args: z.strictObject({
      id: modelId,
      version: modelVersion,
      limit: z.number().int().min(1).max(200).optional(),
    }),
    result: z.object({
      id: z.string(),
      reports: z.array(z.string()),
      /** More signed reports qualified than `limit`; the latest were used. */
      capped: z.boolean(),
      limit: z.number(),
      active: versionAgreement.nullable(),
      candidate: versionAgreement,
    }),
  },
  'models.activate': {
    access: 'admin',
    summary:
      'Make an installed version the one that analyses exams (audited with the version it replaces); refused when its engines disagreed beyond tolerance at install.',
    args: z.strictObject({ id: modelId, version: modelVersion }),
    result: z.object({ id: z.string(), version: z.string(), previous: z.string().nullable() }),
  },
} as const;
