/** One photo in the import table: what it shows, its eye, patient and date, and where each came from. */
import type { ImagingDomain } from '../../../core/api/schemas.ts';
import type { Eye } from '../../../core/vocabulary/visit.ts';
import type { PhotoRow } from './photo-table.ts';

const DOMAIN_LABELS: Record<ImagingDomain, string> = {
  retina: 'fundus',
  chest: 'chest film',
  other: 'other photo',
};

export function PhotoTableRow({
  row,
  domain,
  eye,
  patientPlaceholder,
  shownDate,
  lacks,
  onEdit,
}: {
  row: PhotoRow;
  domain: ImagingDomain;
  eye: Eye | undefined;
  patientPlaceholder: string;
  /** The date the row has without an edit of its own (found, else the one typed above). */
  shownDate: string;
  lacks: string[];
  onEdit(own: PhotoRow['own']): void;
}) {
  const from = [
    row.sources.domain ? `shows: ${row.sources.domain.split(':')[0]}` : '',
    row.sources.patient ? `patient: ${row.sources.patient}` : '',
    row.sources.eye && domain === 'retina' ? `eye: ${row.sources.eye}` : '',
    row.sources.date ? `date: ${row.sources.date}` : '',
  ].filter(Boolean);
  return (
    <tr data-file-name={row.fileName} className={lacks.length ? 'incomplete' : undefined}>
      <td className="file">{row.fileName}</td>
      <td>
        <select
          aria-label={`Kind of ${row.fileName}`}
          value={domain}
          title={row.sources.domain ?? row.pixels}
          onChange={(e) => onEdit({ domain: e.target.value as ImagingDomain })}
        >
          {(Object.keys(DOMAIN_LABELS) as ImagingDomain[]).map((d) => (
            <option key={d} value={d}>
              {DOMAIN_LABELS[d]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          aria-label={`Eye of ${row.fileName}`}
          value={eye ?? ''}
          disabled={domain !== 'retina'}
          onChange={(e) => onEdit({ eye: (e.target.value || undefined) as Eye | undefined })}
        >
          <option value="">{domain === 'retina' ? '—' : 'none'}</option>
          <option value="OD">OD</option>
          <option value="OS">OS</option>
        </select>
      </td>
      <td>
        <input
          aria-label={`Patient of ${row.fileName}`}
          value={row.own.patientId ?? row.found.patientId ?? ''}
          placeholder={patientPlaceholder}
          onChange={(e) => onEdit({ patientId: e.target.value || undefined })}
        />
      </td>
      <td>
        <input
          aria-label={`Date of ${row.fileName}`}
          type="date"
          value={row.own.examDate ?? shownDate}
          onChange={(e) => onEdit({ examDate: e.target.value || undefined })}
        />
      </td>
      <td className="hint">
        {from.join('; ')}
        {lacks.length ? <div className="lacks">needs {lacks.join(', ')}</div> : null}
        {row.notes.map((note) => (
          <div key={note} className="note">
            {note}
          </div>
        ))}
      </td>
    </tr>
  );
}
