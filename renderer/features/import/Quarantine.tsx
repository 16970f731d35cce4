/**
 * Files refused at import, with the reason for each, kept for the session so a
 * technician can fix or re-export them (the rest of the batch was imported).
 */
import type { ImportReport } from '../../../core/api/schemas.ts';

export type QuarantineEntry = ImportReport['failed'][number];

/** `focus` names the file a message linked to: its row is marked and scrolled into view. */
export function QuarantinePanel({
  entries,
  onClose,
  focus,
}: {
  entries: QuarantineEntry[];
  onClose(): void;
  focus?: string;
}) {
  return (
    <aside className="quarantine" aria-label="Quarantined files">
      <header>
        <h2>Quarantine · {entries.length} file(s) not imported</h2>
        <button type="button" onClick={onClose} aria-label="Close quarantine list">
          ×
        </button>
      </header>
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Reason</th>
            <th>Code</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, i) => (
            <tr
              key={`${entry.fileName}-${i}`}
              data-file-name={entry.fileName}
              className={entry.fileName === focus ? 'focused' : undefined}
              ref={
                entry.fileName === focus
                  ? (row) => row?.scrollIntoView({ block: 'nearest' })
                  : undefined
              }
            >
              <td className="file">{entry.fileName}</td>
              <td>{entry.message}</td>
              <td>
                <code>{entry.code}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
