/**
 * A signed report in clinical words, for the PDF and the SR alike: field labels from the
 * grading form (never internal keys), dates as dates, the eye named, the infant's GA at birth
 * and PMA at the exam, and each value with the AI value beside it and whether the reader
 * accepted or corrected it.
 */
import { fieldsFor, type FieldSpec } from './grading-fields.ts';
import { isoDate } from './clinical-facts.ts';
import type { GradedField, ReportContent } from './signed-reports.ts';
import type { StudyContext } from './structured-report.ts';

/** "YYYYMMDD" / "YYYY-MM-DD" as YYYY-MM-DD; anything else as given, or `missing`. */
export function dateText(text: string | undefined, missing = 'not recorded'): string {
  if (!text) return missing;
  return isoDate(text) ?? text;
}

export function sexText(code: string): string {
  return code === 'F'
    ? 'female'
    : code === 'M'
      ? 'male'
      : code === 'O'
        ? 'other'
        : 'sex not recorded';
}

/** "Wang^XiaoDong" → "Wang XiaoDong"; groups (=) kept apart by " / ". */
export function personName(pn: string): string {
  return pn
    .split('=')
    .map((g) => g.replace(/\^+/g, ' ').trim())
    .filter(Boolean)
    .join(' / ');
}

export function valueText(spec: FieldSpec | undefined, value: string | number | null): string {
  if (value === null || value === undefined || value === '') return 'not recorded';
  if (typeof value === 'number' && spec?.kind === 'number') return value.toFixed(spec.decimals);
  return String(value);
}

export interface FieldLine {
  /** The field's name in the report (od_zone…). */
  field: string;
  label: string;
  eye?: 'OD' | 'OS';
  key: string;
  reader: string;
  /** "1.083 (retina-vessels 0.2.0, confidence 0.82)", or undefined without an AI value. */
  ai?: string;
  verdict?: 'accepted AI' | 'corrected AI';
}

/** The intended-use doubt recorded with an AI value, printed wherever the value is. */
export function intendedUseText(ai: NonNullable<GradedField['ai']>): string {
  if (ai.outsideIntendedUse) return ` — outside intended use: ${ai.outsideIntendedUse}`;
  if (ai.intendedUseNotConfirmed)
    return ` — intended use not confirmed: ${ai.intendedUseNotConfirmed}`;
  return '';
}

function lineOf(spec: FieldSpec | undefined, field: GradedField): FieldLine {
  const ai = field.ai
    ? `${valueText(spec, field.ai.value)} (${field.ai.model.id} ${field.ai.model.version}${field.ai.confidence !== undefined ? `, confidence ${field.ai.confidence.toFixed(2)}` : ''})${intendedUseText(field.ai)}`
    : undefined;
  const verdict =
    field.ai && field.reader !== null
      ? String(field.ai.value) === String(field.reader)
        ? ('accepted AI' as const)
        : ('corrected AI' as const)
      : undefined;
  return {
    field: field.field,
    label: spec?.label ?? field.field.replace(/_/g, ' '),
    ...(spec?.eye ? { eye: spec.eye } : {}),
    key: spec?.eye ? field.field.slice(3) : field.field,
    reader: valueText(spec, field.reader),
    ...(ai ? { ai } : {}),
    ...(verdict ? { verdict } : {}),
  };
}

/** Every field of the report in form order, with its clinical label. */
export function fieldLines(content: ReportContent): FieldLine[] {
  const form = fieldsFor(content.domain);
  const byName = new Map(form.map((f) => [f.name, f]));
  const order = new Map(form.map((f, i) => [f.name, i]));
  return [...content.fields]
    .sort((a, b) => (order.get(a.field) ?? 999) - (order.get(b.field) ?? 999))
    .map((f) => lineOf(byName.get(f.field), f));
}

/** The header lines: patient, infant's ages, exam. */
export function headerLines(content: ReportContent, study: StudyContext): string[] {
  const c = content.clinical;
  const name = personName(study.patientName) || '(name not part of this signed report)';
  const born = dateText(study.patientBirthDate || c?.birthDate);
  const lines = [
    `Patient: ${name}, ID ${study.patientId}, ${sexText(study.patientSex)}, born ${born}`,
  ];
  const ages = [
    c?.gaAtBirth ? `GA at birth ${c.gaAtBirth}` : 'GA at birth not recorded',
    c?.birthWeightGrams ? `birth weight ${c.birthWeightGrams} g` : '',
    c?.pmaAtExam ? `PMA at exam ${c.pmaAtExam}` : 'PMA at exam not known',
  ].filter(Boolean);
  lines.push(ages.join(', '));
  const eyes = content.domain === 'retina' ? eyesOf(content, study) : '';
  lines.push(
    `Exam: ${dateText(study.studyDate || c?.examDate)}${eyes ? `, ${eyes}` : ''}${study.accessionNumber ? `, accession ${study.accessionNumber}` : ''}`,
  );
  return lines;
}

function eyesOf(content: ReportContent, study: StudyContext): string {
  const lateralities = new Set(
    (content.study?.images ?? []).map((i) => i.laterality).filter(Boolean),
  );
  if (!lateralities.size && study.laterality) lateralities.add(study.laterality);
  const eyes = [
    lateralities.has('R') ? 'OD (right eye)' : '',
    lateralities.has('L') ? 'OS (left eye)' : '',
  ].filter(Boolean);
  return eyes.length ? `images of ${eyes.join(' and ')}` : 'eye of the images not recorded';
}
