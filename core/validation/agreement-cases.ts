/**
 * The cases an agreement report counts: one per signed report, model and field, the
 * model's value beside the reader's. An amended report counts once, in its latest signed
 * version: every case of a lower version of the same reportId is set aside (listed as
 * superseded), also for fields the amendment no longer carries, because the amendment
 * replaced the whole report.
 */

export type FieldKind = 'ordinal' | 'nominal' | 'binary' | 'continuous';
export type CaseValue = string | number | boolean | null | undefined;

export interface AgreementCase {
  reportId: string;
  version: number;
  /** ISO 8601; the case's month is the UTC calendar month of this instant. */
  signedAt: string;
  modelId: string;
  modelVersion: string;
  field: string;
  fieldKind: FieldKind;
  /**
   * ordinal: the categories in order (required); nominal: the allowed values (else those
   * seen); binary with non-boolean values: [negative, positive].
   */
  categories?: string[];
  ai: CaseValue;
  /** The model's score behind a binary call, for the ROC AUC. */
  aiScore?: number;
  reader: CaseValue;
}

/** How a case is named in every list of the report: `<reportId>@<version>`. */
export function caseIdOf(c: Pick<AgreementCase, 'reportId' | 'version'>): string {
  return `${c.reportId}@${c.version}`;
}

/** "YYYY-MM" of the UTC calendar month, or undefined for a timestamp that is not a date. */
export function monthOf(signedAt: string): string | undefined {
  const time = Date.parse(signedAt);
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString().slice(0, 7);
}

export interface LatestCases {
  cases: AgreementCase[];
  /** Case ids of earlier versions of reports that were amended, each once. */
  superseded: string[];
}

/** Keeps, for each reportId, only the cases of its highest version. */
export function latestSignedVersions(cases: readonly AgreementCase[]): LatestCases {
  const latest = new Map<string, number>();
  for (const c of cases)
    latest.set(c.reportId, Math.max(latest.get(c.reportId) ?? -Infinity, c.version));
  const superseded = new Set<string>();
  const kept: AgreementCase[] = [];
  for (const c of cases) {
    if (c.version === latest.get(c.reportId)) kept.push(c);
    else superseded.add(caseIdOf(c));
  }
  return { cases: kept, superseded: [...superseded].sort() };
}

/** A value ready for the statistic of its kind, or why the case cannot be counted. */
export type Prepared<T> = { ok: true; value: T } | { ok: false; reason: string };

function missing(value: CaseValue): boolean {
  return value === null || value === undefined || value === '';
}

/** The category label of an ordinal or nominal value (numbers as written: stage 3 → "3"). */
export function categoryOf(
  value: CaseValue,
  categories: readonly string[] | undefined,
): Prepared<string> {
  if (missing(value)) return { ok: false, reason: 'no value' };
  const label = String(value);
  if (categories && !categories.includes(label))
    return { ok: false, reason: `"${label}" is not one of ${categories.join(', ')}` };
  return { ok: true, value: label };
}

/** true = positive: a boolean as it is, else the second of the two categories. */
export function binaryOf(
  value: CaseValue,
  categories: readonly string[] | undefined,
): Prepared<boolean> {
  if (missing(value)) return { ok: false, reason: 'no value' };
  if (typeof value === 'boolean') return { ok: true, value };
  if (!categories || categories.length !== 2)
    return {
      ok: false,
      reason: `"${String(value)}" is not a boolean and the field gives no [negative, positive] categories`,
    };
  const index = categories.indexOf(String(value));
  if (index < 0)
    return { ok: false, reason: `"${String(value)}" is not one of ${categories.join(', ')}` };
  return { ok: true, value: index === 1 };
}

export function numberOf(value: CaseValue): Prepared<number> {
  if (missing(value)) return { ok: false, reason: 'no value' };
  return typeof value === 'number' && Number.isFinite(value)
    ? { ok: true, value }
    : { ok: false, reason: `"${String(value)}" is not a finite number` };
}
