/**
 * What the ROP rules conclude from the entries: the ETROP category of each eye and the next
 * exam, each with the rule that matched and its source, and the one-line summary the report
 * prints. Computed by the workstation (core/screening); the reader may choose another
 * interval, which the report then prints as theirs.
 */
import type { Draft } from './review-types.ts';

export function AssessmentBox({ assessment }: { assessment: NonNullable<Draft['assessment']> }) {
  return (
    <section
      className={`assessment${assessment.treatmentWarranted ? ' treat' : ''}`}
      aria-label="Assessment"
      data-treatment={assessment.treatmentWarranted ? 'warranted' : 'no'}
    >
      <p className="summary" data-testid="assessment-summary">
        {assessment.summary}
      </p>
      <ul>
        {assessment.eyes.map((eye) => (
          <li key={eye.eye} data-eye={eye.eye}>
            <strong>
              {eye.eye}: ETROP {eye.etrop.category}
              {eye.etrop.treatmentWarranted ? ' — treatment warranted' : ''}
            </strong>{' '}
            <span className="rule" title={eye.etrop.source}>
              {eye.etrop.rule}
            </span>
            {eye.problems.map((p) => (
              <div key={p} className="message-error">
                {p}
              </div>
            ))}
          </li>
        ))}
        <li>
          <strong>
            Next exam: {assessment.followUp.label}
            {assessment.nextExamDate ? ` (by ${assessment.nextExamDate})` : ''}
            {assessment.followUp.byReader ? ' — reader’s choice' : ''}
          </strong>{' '}
          <span className="rule" title={assessment.followUp.source}>
            {assessment.followUp.rule}
          </span>
        </li>
      </ul>
      <p className="meta source">
        Rules:{' '}
        {[
          ...new Set([...assessment.eyes.map((e) => e.etrop.source), assessment.followUp.source]),
        ].join(' · ')}
      </p>
    </section>
  );
}
