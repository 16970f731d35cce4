/** The measurements saved with the image: reading, who saved it, delete; a CTR can be entered in the report. */
import type { Annotation } from '../../../core/api/contract-worklist.ts';
import { toolFor } from './measurement-tools.ts';

export function SavedMeasurements({
  saved,
  onDelete,
  onUseInReport,
  testId,
}: {
  saved: Annotation[];
  onDelete(id: string): void;
  onUseInReport(annotation: Annotation): void;
  testId: string;
}) {
  if (!saved.length) return null;
  return (
    <ul
      className="saved-measurements"
      aria-label="Saved measurements"
      data-testid={`${testId}-saved`}
    >
      {saved.map((a) => (
        <li key={a.id} data-kind={a.kind}>
          <span>
            {toolFor(a.kind).name}: {a.label}
          </span>{' '}
          <small>{a.createdBy}</small>
          {a.kind === 'ctr' ? (
            <button
              type="button"
              onClick={() => onUseInReport(a)}
              title="Enter this ratio as the reader's CTR in the report"
            >
              use in report
            </button>
          ) : null}
          <button
            type="button"
            aria-label={`Delete ${toolFor(a.kind).name} ${a.label}`}
            onClick={() => onDelete(a.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
