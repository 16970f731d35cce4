/**
 * The intended-use gate: before a model runs on an image, is this image, from this patient,
 * inside the scope the model was made and validated for (its manifest's `intendedUseScope`)?
 *
 *  - 'within'  every stated criterion is known and satisfied;
 *  - 'outside' at least one known fact contradicts the scope (a chest model on a fundus
 *              photograph, a model for children of 1–5 years on a neonate's film);
 *  - 'unknown' nothing contradicts it, but a criterion cannot be checked: the patient's age
 *              or the image's modality, view or camera is not recorded, or the package
 *              states no scope at all. A missing fact is never taken as satisfied.
 *
 * What the caller does (`intendedUseDecision`): 'outside' with `outsideUse: 'refuse'` is
 * refused with MODEL_OUTSIDE_INTENDED_USE; 'outside' with 'label', and any 'unknown', runs
 * with a label saying so beside every result. 'unknown' is not refused even by a refusing
 * package, because a missing gestational age would otherwise block every exam of a patient
 * whose record is incomplete; the label keeps the doubt visible instead.
 */
import { ModelError } from './model-errors.ts';
import type { IntendedUseScope, ModelManifest } from './portable/package-schema.ts';

export type IntendedUseStatus = 'within' | 'outside' | 'unknown';

export interface IntendedUseContext {
  /** The image's domain as classified on import (core/dicom/classify.ts). */
  domain: string;
  /** DICOM Modality (0008,0060); undefined when not recorded. */
  modality?: string;
  /** View Position (0018,5101) or the equivalent for a photograph; undefined when not recorded. */
  view?: string;
  /** Ages in days at the exam; a missing one is unknown, not zero. */
  patient?: { gaAtBirthDays?: number; pmaDays?: number; chronologicalDays?: number };
  /** Manufacturer's Model Name (0008,1090). */
  cameraModel?: string;
}

export type IntendedUseCriterion = 'scope' | 'domain' | 'modality' | 'view' | 'age' | 'cameraModel';

export interface IntendedUseCheck {
  status: IntendedUseStatus;
  /** Why the status is not 'within': each criterion that is outside, then each that is unknown. */
  reasons: string[];
  /** Every criterion the scope states, with its own outcome. */
  checks: { criterion: IntendedUseCriterion; status: IntendedUseStatus; detail: string }[];
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toUpperCase();

function listCheck(
  criterion: IntendedUseCriterion,
  what: string,
  allowed: string[] | undefined,
  actual: string | undefined,
): IntendedUseCheck['checks'] {
  if (!allowed) return [];
  const list = allowed.join(', ');
  if (actual === undefined || actual.trim() === '')
    return [
      { criterion, status: 'unknown', detail: `${what} not recorded (the model is for ${list})` },
    ];
  const ok = allowed.some((a) => normalise(a) === normalise(actual));
  return [
    {
      criterion,
      status: ok ? 'within' : 'outside',
      detail: ok
        ? `${what} ${actual} is one of ${list}`
        : `${what} ${actual} is not one of ${list}`,
    },
  ];
}

const AGE_NAMES = {
  gaAtBirthDays: 'gestational age at birth',
  pmaDays: 'postmenstrual age',
  chronologicalDays: 'age since birth',
} as const;

/** Days as the clinic reads them: weeks+days for gestational ages, days or years after birth. */
function formatDays(measure: keyof typeof AGE_NAMES, exact: number): string {
  const days = Math.round(exact);
  if (measure !== 'chronologicalDays') return `${Math.floor(days / 7)}+${days % 7} weeks`;
  if (days < 365) return `${days} days`;
  // Completed years and months, as an age is said ("5 y 11 m" up to the 6th birthday).
  const years = Math.floor((days + 0.5) / 365.25);
  const months = Math.max(0, Math.floor((days - years * 365.25 + 0.5) / 30.4375));
  return `${days} days (${years} y ${months} m)`;
}

function ageCheck(
  age: IntendedUseScope['age'],
  patient: IntendedUseContext['patient'],
): IntendedUseCheck['checks'] {
  if (!age) return [];
  const name = AGE_NAMES[age.measure];
  const range = [
    age.min !== undefined ? `from ${formatDays(age.measure, age.min)}` : '',
    age.max !== undefined ? `to ${formatDays(age.measure, age.max)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const value = patient?.[age.measure];
  if (value === undefined || !Number.isFinite(value))
    return [
      {
        criterion: 'age',
        status: 'unknown',
        detail: `${name} not known (the model is for ${name} ${range})`,
      },
    ];
  const below = age.min !== undefined && value < age.min;
  const above = age.max !== undefined && value > age.max;
  return [
    {
      criterion: 'age',
      status: below || above ? 'outside' : 'within',
      detail: `${name} ${formatDays(age.measure, value)} is ${below ? 'below' : above ? 'above' : 'within'} the model's range (${range})`,
    },
  ];
}

export function checkIntendedUse(
  scope: IntendedUseScope | undefined,
  context: IntendedUseContext,
): IntendedUseCheck {
  if (!scope) {
    const detail = 'the model package states no checkable intended use';
    return {
      status: 'unknown',
      reasons: [detail],
      checks: [{ criterion: 'scope', status: 'unknown', detail }],
    };
  }
  const domainOk = normalise(context.domain) === normalise(scope.domain);
  const checks: IntendedUseCheck['checks'] = [
    {
      criterion: 'domain',
      status: domainOk ? 'within' : 'outside',
      detail: domainOk
        ? `a ${scope.domain} image`
        : `a ${context.domain || 'unclassified'} image, the model is for ${scope.domain} images`,
    },
    ...listCheck('modality', 'modality', scope.modality, context.modality),
    ...listCheck('view', 'view', scope.view, context.view),
    ...ageCheck(scope.age, context.patient),
    ...listCheck('cameraModel', 'camera', scope.cameraModels, context.cameraModel),
  ];
  const outside = checks.filter((c) => c.status === 'outside');
  const unknown = checks.filter((c) => c.status === 'unknown');
  return {
    status: outside.length ? 'outside' : unknown.length ? 'unknown' : 'within',
    reasons: [...outside, ...unknown].map((c) => c.detail),
    checks,
  };
}

export interface IntendedUseDecision extends IntendedUseCheck {
  /** The line to show beside every result of this run; absent when the image is within scope. */
  label?: string;
}

/**
 * The gate for the analysis path: returns the check (with the label to show) when the model
 * may run, and throws MODEL_OUTSIDE_INTENDED_USE when the image is outside the scope of a
 * package that refuses outside use.
 */
export function intendedUseDecision(
  manifest: Pick<ModelManifest, 'id' | 'version' | 'intendedUseScope'>,
  context: IntendedUseContext,
): IntendedUseDecision {
  const check = checkIntendedUse(manifest.intendedUseScope, context);
  const model = `${manifest.id} ${manifest.version}`;
  if (check.status === 'within') return check;
  if (check.status === 'outside' && manifest.intendedUseScope?.outsideUse === 'refuse')
    throw new ModelError(
      'MODEL_OUTSIDE_INTENDED_USE',
      `${model} was not run: outside its intended use (${check.reasons.join('; ')})`,
    );
  const label =
    check.status === 'outside'
      ? `Outside the intended use of ${model}: ${check.reasons.join('; ')}. Read this result with that in mind.`
      : `Intended use of ${model} not confirmed: ${check.reasons.join('; ')}.`;
  return { ...check, label };
}
