/**
 * The worklist: every image in the library, filterable, navigable with ↑/↓ and opened
 * with Enter (or a click). Issue-level grouping by patient and exam comes with the store.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';

export interface WorklistProps {
  instances: InstanceSummary[];
  openId?: string;
  onOpen(instanceId: string): void;
}

function matches(instance: InstanceSummary, query: string): boolean {
  const haystack = [instance.patientName, instance.patientId, instance.modality, instance.domain, instance.studyDescription, instance.fileName].join(' ').toLowerCase();
  return query.toLowerCase().split(/\s+/).every((word) => haystack.includes(word));
}

function formatDate(dicomDate: string): string {
  return /^\d{8}$/.test(dicomDate) ? `${dicomDate.slice(0, 4)}-${dicomDate.slice(4, 6)}-${dicomDate.slice(6)}` : dicomDate || '—';
}

export function Worklist({ instances, openId, onOpen }: WorklistProps) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const visible = useMemo(() => (query.trim() ? instances.filter((i) => matches(i, query.trim())) : instances), [instances, query]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setCursor((c) => Math.min(visible.length - 1, c + 1));
    else if (event.key === 'ArrowUp') setCursor((c) => Math.max(0, c - 1));
    else if (event.key === 'Enter' && visible[cursor]) onOpen(visible[cursor].instanceId);
    else return;
    event.preventDefault();
  };

  return (
    <section className="worklist" aria-label="Worklist">
      <input className="worklist-search" type="search" placeholder="Search patient, modality, file…" value={query} onChange={(e) => { setQuery(e.target.value); setCursor(0); }} />
      <ol className="worklist-items" tabIndex={0} onKeyDown={onKeyDown} aria-activedescendant={visible[cursor] ? `wl-${visible[cursor].instanceId}` : undefined}>
        {visible.map((instance, index) => (
          <li
            key={instance.instanceId}
            id={`wl-${instance.instanceId}`}
            className={['worklist-item', index === cursor ? 'cursor' : '', instance.instanceId === openId ? 'open' : ''].join(' ')}
            data-instance-id={instance.instanceId}
            data-file-name={instance.fileName}
            onClick={() => { setCursor(index); onOpen(instance.instanceId); }}
          >
            <span className={`domain domain-${instance.domain}`} title={instance.domainReason}>{instance.domain}</span>
            <span className="patient">
              {instance.patientName || 'Unnamed'} <small>{instance.patientId}</small>
              {instance.warnings.length ? (
                <span className="warning-badge" title={instance.warnings.map((w) => `${w.code}: ${w.message}`).join('\n')} aria-label={`${instance.warnings.length} warning(s)`}>
                  ⚠ {instance.warnings.length}
                </span>
              ) : null}
            </span>
            <span className="meta">
              {instance.modality} · {formatDate(instance.studyDate)} · {instance.columns}×{instance.rows}
              {instance.frames > 1 ? ` · ${instance.frames} frames` : ''}
            </span>
            <span className="file" title={instance.fileName}>{instance.fileName}</span>
          </li>
        ))}
      </ol>
      {!visible.length ? <p className="empty">{instances.length ? 'No image matches the search.' : 'No images yet: import DICOM files (Ctrl+O) or drop them here.'}</p> : null}
    </section>
  );
}
