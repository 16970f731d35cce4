/** The measurements saved with the image: reading, who saved it, and delete. */
import type { Annotation } from '../../../core/api/contract-worklist.ts';
import { toolFor } from './measurement-tools.ts';

export function SavedMeasurements({ saved, onDelete, testId }: { saved: Annotation[]; onDelete(id: string): void; testId: string }) {
  if (!saved.length) return null;
  return (
    <ul className="saved-measurements" aria-label="Saved measurements" data-testid={`${testId}-saved`}>
      {saved.map((a) => (
        <li key={a.id} data-kind={a.kind}>
          <span>{toolFor(a.kind).name}: {a.label}</span> <small>{a.createdBy}</small>
          <button type="button" aria-label={`Delete ${toolFor(a.kind).name} ${a.label}`} onClick={() => onDelete(a.id)}>×</button>
        </li>
      ))}
    </ul>
  );
}
