/**
 * What the ROP rules conclude from a visit report's entries (the reader's values, never the
 * AI's): the ETROP category of each eye, the visit's next exam (the more urgent eye, or the
 * reader's own choice, said so), the date it is due and the one-line summary. Shown beside
 * the form while grading and frozen into the report at signing.
 */
import type { Assessment } from '../screening/assessment-schemas.ts';
import type { GradedField } from '../reports/signed-reports.ts';
import {
  DISCHARGE_LABEL,
  INTERVALS,
  TREATMENT_LABEL,
  etropClass,
  eyeFindingsFromForm,
  eyeFindingsProblems,
  describeEye,
  nextExamDate,
  summaryLine,
  visitFollowUp,
  type FollowUp,
} from '../screening/index.ts';
import { AAP_2018 } from '../screening/sources.ts';
import { EYES } from '../vocabulary/visit.ts';

export interface VisitFacts {
  /** The visit date, YYYY-MM-DD. */
  examDate?: string;
  /** Postmenstrual age at the visit, in days (discharge at 45 weeks needs it). */
  pmaDays?: number;
}

/** The reader's own follow-up choice as a FollowUp, when they made one. */
function readerFollowUp(choice: unknown): FollowUp | undefined {
  if (typeof choice !== 'string' || !choice) return undefined;
  const rule = 'chosen by the reader in place of the computed interval';
  if (choice in INTERVALS)
    return {
      interval: { ...INTERVALS[choice as keyof typeof INTERVALS] },
      label: choice,
      rule,
      source: 'reader',
    };
  if (choice === TREATMENT_LABEL)
    return { interval: 'treat', label: choice, rule, source: 'reader' };
  if (choice === DISCHARGE_LABEL)
    return { interval: 'discharge', label: choice, rule, source: 'reader' };
  return undefined;
}

export function assessVisit(fields: GradedField[], facts: VisitFacts): Assessment {
  const entries = Object.fromEntries(fields.map((f) => [f.field, f.reader]));
  const read = Object.fromEntries(
    EYES.map((eye) => [eye, eyeFindingsFromForm(entries, `${eye.toLowerCase()}_`)]),
  ) as Record<'OD' | 'OS', ReturnType<typeof eyeFindingsFromForm>>;
  const computed = visitFollowUp(read.OD.findings, read.OS.findings, {
    ...(facts.pmaDays !== undefined ? { pmaDays: facts.pmaDays } : {}),
  });
  const own = readerFollowUp(entries.follow_up_override);
  const chosen = own ?? computed;
  const eyes = EYES.map((eye) => {
    const { findings, problems } = read[eye];
    const etrop = etropClass(findings);
    const perEye = eye === 'OD' ? computed.od : computed.os;
    return {
      eye,
      findings: describeEye(findings),
      etrop: {
        category: etrop.category,
        treatmentWarranted: etrop.treatmentWarranted,
        rule: etrop.rule,
        source: etrop.source,
      },
      followUp: { label: perEye.label, rule: perEye.rule, source: perEye.source },
      problems: [...problems, ...eyeFindingsProblems(findings)],
    };
  });
  const due = facts.examDate ? nextExamDate(facts.examDate, chosen) : undefined;
  return {
    eyes,
    followUp: {
      label: chosen.label,
      treat: chosen.interval === 'treat',
      discharge: chosen.interval === 'discharge',
      byReader: Boolean(own),
      rule: own ? `${own.rule} (computed: ${computed.label} — ${computed.rule})` : computed.rule,
      source: own ? `reader; computed per ${computed.source}` : chosen.source || AAP_2018,
    },
    ...(due ? { nextExamDate: due } : {}),
    summary: summaryLine(read.OD.findings, read.OS.findings, chosen),
    treatmentWarranted: eyes.some((e) => e.etrop.treatmentWarranted),
  };
}
