/**
 * The text of a measurement, rendered from its numbers (as cornerstone3D builds a tool's
 * text from its cached stats): one function, so the page's live reading, the saved list, the
 * PDF and the SR's reading say the same thing for the same numbers.
 */
import type { AnnotationKind } from './annotation-kinds.ts';
import type { MeasuredValue, Quantity } from './units.ts';

/** Shown where a measurement saved long ago has points that make no measurement. */
export const NOT_MEASURABLE = 'not measurable from its points';

const UNIT_TEXT: Record<MeasuredValue['unit'], string> = {
  mm: ' mm',
  px: ' px',
  deg: '°',
  ratio: '',
};

/** A number with its unit, to `digits` decimals. */
export function formatValue(value: MeasuredValue, digits: number): string {
  return `${value.value.toFixed(digits)}${UNIT_TEXT[value.unit]}`;
}

/** Millimetres whose spacing is not in the patient plane say so. */
function calibrationNote(values: readonly MeasuredValue[]): string {
  return values.some((v) => v.unit === 'mm' && v.calibration === 'uncalibrated')
    ? ' (uncalibrated)'
    : '';
}

type Text = (value: (quantity: Quantity) => MeasuredValue) => string;

/** Per kind: the numbers its text needs, and the text (decimals as readers quote them). */
const FORMATS: Record<AnnotationKind, { needs: Quantity[]; text: Text }> = {
  length: { needs: ['length'], text: (v) => formatValue(v('length'), 1) },
  angle: { needs: ['angle'], text: (v) => formatValue(v('angle'), 1) },
  ctr: {
    needs: ['cardiothoracic-ratio', 'cardiac-width', 'thoracic-width'],
    text: (v) =>
      `CTR ${formatValue(v('cardiothoracic-ratio'), 2)} · heart ${formatValue(v('cardiac-width'), 0)} / thorax ${formatValue(v('thoracic-width'), 0)}`,
  },
  'disc-ruler': {
    needs: ['disc-diameter'],
    text: (v) => `1 DD = ${formatValue(v('disc-diameter'), 0)}`,
  },
  'zone-i': {
    needs: ['zone-i-radius', 'disc-fovea-distance'],
    text: (v) =>
      `zone I radius ${formatValue(v('zone-i-radius'), 0)} (2 × disc–fovea ${formatValue(v('disc-fovea-distance'), 0)})`,
  },
};

export function formatMeasurement(kind: AnnotationKind, values: readonly MeasuredValue[]): string {
  const byQuantity = new Map(values.map((v) => [v.quantity, v]));
  const { needs, text } = FORMATS[kind];
  if (!needs.every((q) => byQuantity.has(q))) return NOT_MEASURABLE;
  return `${text((q) => byQuantity.get(q)!)}${calibrationNote(values)}`;
}
