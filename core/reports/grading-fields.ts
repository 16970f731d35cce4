/**
 * The structured grading form per domain: each field's allowed values (a label set or a
 * number range) and where an AI value for it can come from. A model can only prefill a field
 * whose AI source it produces; nothing else is ever prefilled.
 *
 * ROP: one report per visit with an OD and an OS section (ICROP3, Chiang et al.,
 * Ophthalmology 2021); field names carry the eye (od_zone, os_zone…). The ETROP category and
 * the next exam interval are computed from these entries (core/screening), not entered.
 * Chest: lines and tubes, air leak, RDS grade, effusion, BPD radiographic findings, hsPDA
 * signs and the CTR. The BPD grade (Jensen 2019) is clinical and lives in the patient record.
 */
import { COURSE, PLUS, STAGES, YES_NO, ZONES } from '../screening/icrop3.ts';
import { EYES, type Eye } from '../vocabulary/visit.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

export type FieldSpec = (
  | { name: string; label: string; kind: 'choice'; options: string[]; aiSource?: AiSource }
  | {
      name: string;
      label: string;
      kind: 'number';
      min: number;
      max: number;
      decimals: number;
      aiSource?: AiSource;
    }
) & { eye?: Eye };

/** A measurement a shipped package derives, or a slot head a site package predicts. */
export type AiSource =
  | { measurement: 'retinal-vascular-metrics' | 'cardiothoracic-ratio'; key: string }
  | { slot: string; head: string };

/** The per-eye field name: od_zone, os_stage… */
export function eyeField(eye: Eye, key: string): string {
  return `${eye.toLowerCase()}_${key}`;
}

function clockHours(stage: 1 | 2 | 3): FieldSpec {
  return {
    name: `stage${stage}_clock_hours`,
    label: `Stage ${stage} clock hours`,
    kind: 'number',
    min: 0,
    max: 12,
    decimals: 0,
  };
}

/** One eye's ICROP3 section; `name` here is the key, prefixed with the eye below. */
const EYE_SECTION: FieldSpec[] = [
  {
    name: 'zone',
    label: 'Zone',
    kind: 'choice',
    options: [...ZONES],
    aiSource: { slot: 'rop-icrop3', head: 'zone' },
  },
  { name: 'notch', label: 'Notch', kind: 'choice', options: [...YES_NO] },
  {
    name: 'stage',
    label: 'Stage (most severe)',
    kind: 'choice',
    options: [...STAGES],
    aiSource: { slot: 'rop-icrop3', head: 'stage' },
  },
  clockHours(1),
  clockHours(2),
  clockHours(3),
  {
    name: 'plus',
    label: 'Plus disease',
    kind: 'choice',
    options: [...PLUS],
    aiSource: { slot: 'rop-icrop3', head: 'plus' },
  },
  {
    name: 'a_rop',
    label: 'A-ROP',
    kind: 'choice',
    options: [...YES_NO],
    aiSource: { slot: 'rop-icrop3', head: 'a_rop' },
  },
  { name: 'course', label: 'Course', kind: 'choice', options: [...COURSE] },
  {
    name: 'tortuosity_index',
    label: 'Tortuosity index (measured)',
    kind: 'number',
    min: 1,
    max: 3,
    decimals: 3,
    aiSource: { measurement: 'retinal-vascular-metrics', key: 'meanTortuosityIndex' },
  },
  {
    name: 'vascular_category',
    label: 'Vascular severity',
    kind: 'choice',
    options: [
      'below standard photograph',
      'between standard photograph and plus mean',
      'at or above plus mean',
      'insufficient vessels',
    ],
    aiSource: { measurement: 'retinal-vascular-metrics', key: 'category' },
  },
];

/** The reader may choose a shorter (or longer) interval than the one computed; it is then printed as theirs. */
export const FOLLOW_UP_CHOICES = [
  '1 week or less',
  '1–2 weeks',
  '2 weeks',
  '2–3 weeks',
  'treatment within 72 hours',
  'discharge from screening',
] as const;

export const RETINA_FIELDS: FieldSpec[] = [
  ...EYES.flatMap((eye) =>
    EYE_SECTION.map((spec) => ({ ...spec, name: eyeField(eye, spec.name), eye }) as FieldSpec),
  ),
  {
    name: 'follow_up_override',
    label: 'Next exam (if different from the computed interval)',
    kind: 'choice',
    options: [...FOLLOW_UP_CHOICES],
  },
];

export const CHEST_FIELDS: FieldSpec[] = [
  {
    name: 'ett_position',
    label: 'Endotracheal tube tip',
    kind: 'choice',
    options: [
      'no tube',
      'mid-trachea (T1–T2)',
      'high (above T1)',
      'low (near the carina)',
      'in a main bronchus',
      'oesophageal',
    ],
  },
  {
    name: 'uvc_position',
    label: 'Umbilical venous catheter tip',
    kind: 'choice',
    options: [
      'no line',
      'IVC / right atrial junction (T8–T9)',
      'in the right atrium or beyond',
      'low (in the liver)',
    ],
  },
  {
    name: 'uac_position',
    label: 'Umbilical arterial catheter tip',
    kind: 'choice',
    options: ['no line', 'high position (T6–T9)', 'low position (L3–L4)', 'malpositioned'],
  },
  {
    name: 'air_leak',
    label: 'Pneumothorax / air leak',
    kind: 'choice',
    options: [
      'none',
      'pneumothorax, right',
      'pneumothorax, left',
      'pneumothorax, bilateral',
      'pneumomediastinum',
      'pulmonary interstitial emphysema',
    ],
  },
  {
    name: 'rds_grade',
    label: 'RDS grade (I–IV)',
    kind: 'choice',
    options: ['none', 'I', 'II', 'III', 'IV'],
  },
  {
    name: 'effusion',
    label: 'Pleural effusion',
    kind: 'choice',
    options: ['none', 'right', 'left', 'bilateral'],
  },
  {
    name: 'bpd_findings',
    label: 'BPD radiographic findings',
    kind: 'choice',
    options: [
      'none',
      'diffuse haziness',
      'cystic changes / bubbly lungs',
      'hyperinflation with coarse streaks',
    ],
  },
  {
    name: 'ctr',
    label: 'Cardiothoracic ratio',
    kind: 'number',
    min: 0.2,
    max: 0.9,
    decimals: 2,
    aiSource: { measurement: 'cardiothoracic-ratio', key: 'ratio' },
  },
  { name: 'cardiomegaly', label: 'Cardiomegaly', kind: 'choice', options: ['no', 'yes'] },
  {
    name: 'pulmonary_oedema',
    label: 'Pulmonary oedema / plethora',
    kind: 'choice',
    options: ['no', 'yes'],
  },
  {
    name: 'hs_pda',
    label: 'Haemodynamically significant PDA',
    kind: 'choice',
    options: ['no', 'yes'],
    aiSource: { slot: 'pda-significance', head: 'hs_pda' },
  },
];

export function fieldsFor(domain: ReadDomain): FieldSpec[] {
  return domain === 'retina' ? RETINA_FIELDS : CHEST_FIELDS;
}

/** Why a value is not allowed for a field, or null. */
export function valueProblem(spec: FieldSpec, value: string | number | null): string | null {
  if (value === null) return null;
  if (spec.kind === 'choice')
    return typeof value === 'string' && spec.options.includes(value)
      ? null
      : `${spec.label}: "${value}" is not one of ${spec.options.join(', ')}`;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `${spec.label}: a number is needed`;
  if (value < spec.min || value > spec.max)
    return `${spec.label}: ${value} is outside ${spec.min}–${spec.max}`;
  return null;
}
