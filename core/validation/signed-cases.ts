/**
 * The agreement cases a signed report gives: one per field where both a model value and the
 * reader's value were signed, with the field's kind from the grading form
 * (core/reports/grading-fields.ts):
 *  - zone, stage and plus (either eye) are ordinal, in the ICROP3 order of core/screening
 *    (least to most severe by zoneRank, stageRank, plusRank), so weighted κ counts a zone I
 *    called zone III as further off than one called posterior zone II;
 *  - a no/yes choice is binary, "yes" positive; the model's score for "yes" comes from its
 *    confidence in the label it chose (the two-class softmax: p(yes) = 1 − p(no));
 *  - any other choice is nominal over the form's options; a number (CTR, tortuosity index)
 *    is continuous.
 * Fields that left the form are not counted (their kind is no longer known).
 */
import {
  PLUS,
  STAGES,
  ZONES,
  plusRank,
  stageRank,
  zoneRank,
  type Plus,
  type Stage,
  type Zone,
} from '../screening/icrop3.ts';
import { fieldsFor, type FieldSpec } from '../reports/grading-fields.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import type { AgreementCase, FieldKind } from './agreement-cases.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

/** The ICROP3 fields with an order, least severe first. */
const ORDINAL: Record<string, string[]> = {
  zone: [...ZONES].sort((a, b) => zoneRank(a as Zone) - zoneRank(b as Zone)),
  stage: [...STAGES].sort((a, b) => stageRank(a as Stage) - stageRank(b as Stage)),
  plus: [...PLUS].sort((a, b) => plusRank(a as Plus) - plusRank(b as Plus)),
};

const BINARY = ['no', 'yes'];

/**
 * The largest |model − reader| that still counts as agreement for a continuous field, for the
 * months' agreement and its drift test. The workstation's choice, not a published threshold:
 * 0.05 on the CTR or on the tortuosity index is about the smallest difference a reader would
 * call a different measurement. The report states the tolerances it used.
 */
export const CONTINUOUS_TOLERANCES: Record<string, number> = {
  ctr: 0.05,
  od_tortuosity_index: 0.05,
  os_tortuosity_index: 0.05,
};

/** The form field's name without its eye: od_zone → zone. */
export function baseFieldName(spec: Pick<FieldSpec, 'name' | 'eye'>): string {
  return spec.eye ? spec.name.slice(3) : spec.name;
}

export function fieldDefinition(
  domain: ReadDomain,
  field: string,
): { fieldKind: FieldKind; categories?: string[] } | undefined {
  const spec = fieldsFor(domain).find((s) => s.name === field);
  if (!spec) return undefined;
  if (spec.kind === 'number') return { fieldKind: 'continuous' };
  const ordered = ORDINAL[baseFieldName(spec)];
  if (ordered) return { fieldKind: 'ordinal', categories: ordered };
  if (spec.options.length === 2 && spec.options.every((o, i) => o === BINARY[i]))
    return { fieldKind: 'binary', categories: BINARY };
  return { fieldKind: 'nominal', categories: [...spec.options] };
}

/**
 * The model's score for "yes" of a binary call, from its confidence in the label it chose
 * (two classes: p(yes) = 1 − p(no)); undefined for other kinds or without a confidence.
 */
export function positiveScore(
  kind: FieldKind,
  value: string | number,
  confidence: number | undefined,
): number | undefined {
  if (kind !== 'binary' || confidence === undefined || !Number.isFinite(confidence))
    return undefined;
  if (value === BINARY[1]) return confidence;
  if (value === BINARY[0]) return 1 - confidence;
  return undefined;
}

/** A reader's signed value with what the field is: the reference a model's value is held to. */
export type ReaderReference = Omit<AgreementCase, 'modelId' | 'modelVersion' | 'ai' | 'aiScore'>;

export function readerReferences(report: SignedReport): ReaderReference[] {
  return report.content.fields.flatMap((f) => {
    if (f.reader === null || f.reader === undefined || f.reader === '') return [];
    const definition = fieldDefinition(report.content.domain, f.field);
    if (!definition) return [];
    return [
      {
        reportId: report.content.reportId,
        version: report.version,
        signedAt: report.signedAt,
        field: f.field,
        ...definition,
        reader: f.reader,
      },
    ];
  });
}

/** A model value beside the reader's: the case agreement-report.ts counts. */
export function caseOf(
  reference: ReaderReference,
  ai: { value: string | number; confidence?: number; model: { id: string; version: string } },
): AgreementCase {
  const aiScore = positiveScore(reference.fieldKind, ai.value, ai.confidence);
  return {
    ...reference,
    modelId: ai.model.id,
    modelVersion: ai.model.version,
    ai: ai.value,
    ...(aiScore !== undefined ? { aiScore } : {}),
  };
}

/** Every field of a signed report where the model's value and the reader's were both signed. */
export function casesOfReport(report: SignedReport): AgreementCase[] {
  const ai = new Map(report.content.fields.map((f) => [f.field, f.ai]));
  return readerReferences(report).flatMap((reference) => {
    const value = ai.get(reference.field);
    return value ? [caseOf(reference, value)] : [];
  });
}
