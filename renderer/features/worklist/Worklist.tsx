/**
 * The worklist: exams (one per study; per eye for retina) with the infant's GA at birth and
 * PMA at the exam, status (new → analysed → in review → signed → sent), source site and
 * whether the signed-in reader has opened it; each exam's images under it. Search, filters
 * by status and unread, sort; ↑/↓ move between images, Enter (or a click) opens one. A
 * signed-in specialist sees their domain's queue by default.
 */
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { formatDate, type ExamEntry } from '../layouts/layout-props.ts';
import {
  EXAM_SORTS,
  examRows,
  type ExamRow,
  type ExamSort,
  type StatusFilter,
} from './exam-rows.ts';

export interface WorklistProps {
  instances: InstanceSummary[];
  exams: ExamEntry[];
  openId?: string;
  onOpen(instanceId: string): void;
  /** The signed-in reader's domain: their queue is shown first, with a switch to all images. */
  queueDomain?: 'retina' | 'chest';
  /** Shown above the list with the images in view (e.g. the batch analysis queue). */
  toolbar?: (visible: InstanceSummary[]) => ReactNode;
}

function ExamHeader({ row }: { row: ExamRow }) {
  const { exam, first } = row;
  return (
    <div
      className="worklist-exam"
      data-report-id={exam.reportId}
      data-status={exam.status}
      data-unread={exam.unread}
    >
      <span
        className={`status status-${exam.status.replace(' ', '-')}`}
        title={exam.statusDetail ?? exam.status}
      >
        {exam.status}
      </span>
      {exam.unread ? (
        <span
          className="unread-dot"
          aria-label="unread"
          title="You have not opened this exam yet"
        />
      ) : null}
      <strong>{first.patientName || 'Unnamed'}</strong> <small>{first.patientId}</small>
      <span className="exam-meta">
        {row.eye ? `${row.eye} · ` : ''}
        {formatDate(first.studyDate, '—')}
        {exam.gaAtBirth ? ` · GA ${exam.gaAtBirth}` : ''}
        {exam.pma ? ` · PMA ${exam.pma}` : ''}
        {first.sourceSite ? <span className="source-site"> · from {first.sourceSite}</span> : null}
      </span>
    </div>
  );
}

export function Worklist({
  instances,
  exams,
  openId,
  onOpen,
  queueDomain,
  toolbar,
}: WorklistProps) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const [showAll, setShowAll] = useState(false);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [sort, setSort] = useState<ExamSort>('newest');
  const queue = useMemo(
    () => (queueDomain && !showAll ? instances.filter((i) => i.domain === queueDomain) : instances),
    [instances, queueDomain, showAll],
  );
  const rows = useMemo(
    () => examRows(queue, exams, { query, status, unreadOnly, sort }),
    [queue, exams, query, status, unreadOnly, sort],
  );
  const visible = useMemo(() => rows.flatMap((r) => r.images), [rows]);
  const indexOf = useMemo(
    () => new Map(visible.map((instance, index) => [instance.instanceId, index])),
    [visible],
  );
  const unread = useMemo(
    () => examRows(queue, exams, { query: '', status: 'all', unreadOnly: true, sort }).length,
    [queue, exams, sort],
  );
  const reset = () => setCursor(0);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setCursor((c) => Math.min(visible.length - 1, c + 1));
    else if (event.key === 'ArrowUp') setCursor((c) => Math.max(0, c - 1));
    else if (event.key === 'Enter' && visible[cursor]) onOpen(visible[cursor].instanceId);
    else return;
    event.preventDefault();
  };

  return (
    <section className="worklist" aria-label="Worklist">
      <input
        className="worklist-search"
        type="search"
        placeholder="Search patient, modality, file…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          reset();
        }}
      />
      <div className="worklist-filters">
        <select
          aria-label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as StatusFilter);
            reset();
          }}
        >
          {(['all', 'new', 'analysed', 'in review', 'signed', 'sent'] as const).map((s) => (
            <option key={s} value={s}>
              {s === 'all' ? 'every status' : s}
            </option>
          ))}
        </select>
        <select
          aria-label="Sort"
          value={sort}
          onChange={(e) => setSort(e.target.value as ExamSort)}
        >
          {EXAM_SORTS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
        <label className="unread-filter">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => {
              setUnreadOnly(e.target.checked);
              reset();
            }}
          />{' '}
          unread only{' '}
          <span className="unread-count" data-testid="unread-count">
            ({unread})
          </span>
        </label>
      </div>
      {queueDomain ? (
        <label className="queue-switch">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => {
              setShowAll(e.target.checked);
              reset();
            }}
          />
          all domains (
          {showAll ? instances.length : `${queue.length} ${queueDomain} of ${instances.length}`})
        </label>
      ) : null}
      {toolbar?.(visible)}
      <ol
        className="worklist-items"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={visible[cursor] ? `wl-${visible[cursor].instanceId}` : undefined}
      >
        {rows.map((row) => (
          <li key={row.exam.reportId} className="worklist-group">
            <ExamHeader row={row} />
            <ol className="worklist-images">
              {row.images.map((instance) => {
                const index = indexOf.get(instance.instanceId)!;
                return (
                  <li
                    key={instance.instanceId}
                    id={`wl-${instance.instanceId}`}
                    className={[
                      'worklist-item',
                      index === cursor ? 'cursor' : '',
                      instance.instanceId === openId ? 'open' : '',
                    ].join(' ')}
                    data-instance-id={instance.instanceId}
                    data-file-name={instance.fileName}
                    onClick={() => {
                      setCursor(index);
                      onOpen(instance.instanceId);
                    }}
                  >
                    <span
                      className={`domain domain-${instance.domain}`}
                      title={instance.domainReason}
                    >
                      {instance.domain}
                    </span>
                    <span className="image-line">
                      {instance.modality} · {instance.columns}×{instance.rows}
                      {instance.frames > 1 ? ` · ${instance.frames} frames` : ''}
                      {instance.warnings.length ? (
                        <span
                          className="warning-badge"
                          title={instance.warnings.map((w) => `${w.code}: ${w.message}`).join('\n')}
                          aria-label={`${instance.warnings.length} warning(s)`}
                        >
                          ⚠ {instance.warnings.length}
                        </span>
                      ) : null}
                    </span>
                    <span className="file" title={instance.fileName}>
                      {instance.fileName}
                    </span>
                  </li>
                );
              })}
            </ol>
          </li>
        ))}
      </ol>
      {!visible.length ? (
        <p className="empty">
          {instances.length
            ? 'No exam matches the search and filters.'
            : 'No images yet: import DICOM files (Ctrl+O) or drop them here.'}
        </p>
      ) : null}
    </section>
  );
}
