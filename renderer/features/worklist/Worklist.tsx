/**
 * The worklist: every image in the library, filterable, navigable with ↑/↓ and opened
 * with Enter (or a click). A signed-in specialist sees their domain's queue by default.
 */
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';

export interface WorklistProps {
  instances: InstanceSummary[];
  openId?: string;
  onOpen(instanceId: string): void;
  /** The signed-in reader's domain: their queue is shown first, with a switch to all images. */
  queueDomain?: 'retina' | 'chest';
  /** Shown above the list with the images in view (e.g. the batch analysis queue). */
  toolbar?: (visible: InstanceSummary[]) => ReactNode;
}

function matches(instance: InstanceSummary, query: string): boolean {
  const haystack = [instance.patientName, instance.patientId, instance.modality, instance.domain, instance.studyDescription, instance.fileName].join(' ').toLowerCase();
  return query.toLowerCase().split(/\s+/).every((word) => haystack.includes(word));
}

function formatDate(dicomDate: string): string {
  return /^\d{8}$/.test(dicomDate) ? `${dicomDate.slice(0, 4)}-${dicomDate.slice(4, 6)}-${dicomDate.slice(6)}` : dicomDate || '—';
}

export function Worklist({ instances, openId, onOpen, queueDomain, toolbar }: WorklistProps) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const [showAll, setShowAll] = useState(false);
  const queue = useMemo(() => (queueDomain && !showAll ? instances.filter((i) => i.domain === queueDomain) : instances), [instances, queueDomain, showAll]);
  const visible = useMemo(() => (query.trim() ? queue.filter((i) => matches(i, query.trim())) : queue), [queue, query]);

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
      {queueDomain ? (
        <label className="queue-switch">
          <input type="checkbox" checked={showAll} onChange={(e) => { setShowAll(e.target.checked); setCursor(0); }} />
          all domains ({showAll ? instances.length : `${queue.length} ${queueDomain} of ${instances.length}`})
        </label>
      ) : null}
      {toolbar?.(visible)}
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
              {instance.sourceSite ? <span className="source-site"> · from {instance.sourceSite}</span> : null}
            </span>
            <span className="file" title={instance.fileName}>{instance.fileName}</span>
          </li>
        ))}
      </ol>
      {!visible.length ? <p className="empty">{instances.length ? 'No image matches the search.' : 'No images yet: import DICOM files (Ctrl+O) or drop them here.'}</p> : null}
    </section>
  );
}
