/**
 * One eye's findings read from the grading form, whose entries are the ICROP3 option strings
 * ("yes"/"no" for A-ROP and notch) and clock-hour numbers under per-eye field names
 * ("od_zone", "os_stage3_clock_hours"). An empty entry is simply absent; an entry that is not
 * one of the options is reported and left out, so the rules see only valid findings.
 */
import {
  CLOCK_HOUR_FIELDS,
  CLOCK_HOUR_STAGES,
  clockHoursSchema,
  courseSchema,
  plusSchema,
  stageSchema,
  yesNoSchema,
  zoneSchema,
  type EyeFindings,
} from './icrop3.ts';

type Entries = Record<string, unknown>;

const CHOICES = [
  { key: 'zone', label: 'Zone', schema: zoneSchema },
  { key: 'stage', label: 'Stage', schema: stageSchema },
  { key: 'plus', label: 'Plus disease', schema: plusSchema },
  { key: 'course', label: 'Course', schema: courseSchema },
] as const;

const FLAGS = [
  { key: 'a_rop', label: 'A-ROP', field: 'aRop' },
  { key: 'notch', label: 'Notch', field: 'notch' },
] as const;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}

/** `prefix` is the eye's field prefix ("od_", "os_"), or '' for unprefixed entries. */
export function eyeFindingsFromForm(
  entries: Entries,
  prefix = '',
): { findings: EyeFindings; problems: string[] } {
  const findings: EyeFindings = {};
  const problems: string[] = [];
  for (const { key, label, schema } of CHOICES) {
    const value = entries[prefix + key];
    if (isEmpty(value)) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) Object.assign(findings, { [key]: parsed.data });
    else problems.push(`${label} "${String(value)}" is not one of ${schema.options.join(', ')}`);
  }
  for (const { key, label, field } of FLAGS) {
    const value = entries[prefix + key];
    if (isEmpty(value)) continue;
    const parsed = yesNoSchema.safeParse(value);
    if (parsed.success) findings[field] = parsed.data === 'yes';
    else problems.push(`${label} "${String(value)}" is not yes or no`);
  }
  for (const stage of CLOCK_HOUR_STAGES) {
    const value = entries[prefix + CLOCK_HOUR_FIELDS[stage]];
    if (isEmpty(value)) continue;
    const parsed = clockHoursSchema.safeParse(typeof value === 'string' ? Number(value) : value);
    if (parsed.success)
      findings.stageClockHours = { ...findings.stageClockHours, [stage]: parsed.data };
    else
      problems.push(
        `Stage ${stage} extent "${String(value)}" is not whole clock hours from 0 to 12`,
      );
  }
  return { findings, problems };
}
