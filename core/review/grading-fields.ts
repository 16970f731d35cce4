/**
 * The structured grading form per domain: each field's allowed values (a label set or a
 * number range) and where an AI value for it can come from. ROP per ICROP3 and screening
 * guidance; chest BPD radiographic findings and PDA signs. A model can only prefill a field
 * whose AI source it produces; nothing else is ever prefilled.
 */
export type FieldSpec =
  | { name: string; label: string; kind: 'choice'; options: string[]; aiSource?: AiSource }
  | {
      name: string;
      label: string;
      kind: 'number';
      min: number;
      max: number;
      decimals: number;
      aiSource?: AiSource;
    };

/** A measurement a shipped package derives, or a slot head a site package predicts. */
export type AiSource =
  | { measurement: 'retinal-vascular-metrics' | 'cardiothoracic-ratio'; key: string }
  | { slot: string; head: string };

export const RETINA_FIELDS: FieldSpec[] = [
  {
    name: 'zone',
    label: 'Zone (ICROP3)',
    kind: 'choice',
    options: ['I', 'II', 'III'],
    aiSource: { slot: 'rop-icrop3', head: 'zone' },
  },
  {
    name: 'stage',
    label: 'Stage',
    kind: 'choice',
    options: ['0', '1', '2', '3', '4', '5'],
    aiSource: { slot: 'rop-icrop3', head: 'stage' },
  },
  {
    name: 'clock_hours',
    label: 'Stage 3 extent (clock hours)',
    kind: 'number',
    min: 0,
    max: 12,
    decimals: 0,
  },
  {
    name: 'plus',
    label: 'Plus disease',
    kind: 'choice',
    options: ['none', 'pre-plus', 'plus'],
    aiSource: { slot: 'rop-icrop3', head: 'plus' },
  },
  {
    name: 'a_rop',
    label: 'A-ROP',
    kind: 'choice',
    options: ['no', 'yes'],
    aiSource: { slot: 'rop-icrop3', head: 'a_rop' },
  },
  {
    name: 'tortuosity_index',
    label: 'Posterior pole mean tortuosity index (measured)',
    kind: 'number',
    min: 1,
    max: 3,
    decimals: 3,
    aiSource: { measurement: 'retinal-vascular-metrics', key: 'meanTortuosityIndex' },
  },
  {
    name: 'vascular_category',
    label: 'Vascular severity indicator',
    kind: 'choice',
    options: [
      'below standard photograph',
      'between standard photograph and plus mean',
      'at or above plus mean',
      'insufficient vessels',
    ],
    aiSource: { measurement: 'retinal-vascular-metrics', key: 'category' },
  },
  {
    name: 'follow_up',
    label: 'Follow-up / referral',
    kind: 'choice',
    options: [
      'discharge from screening',
      '2–3 weeks',
      '2 weeks',
      '1–2 weeks',
      '1 week or less',
      'treatment referral (within 72 h)',
    ],
  },
];

export const CHEST_FIELDS: FieldSpec[] = [
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
    name: 'hs_pda',
    label: 'Haemodynamically significant PDA',
    kind: 'choice',
    options: ['no', 'yes'],
    aiSource: { slot: 'pda-significance', head: 'hs_pda' },
  },
];

export function fieldsFor(domain: 'retina' | 'chest'): FieldSpec[] {
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
