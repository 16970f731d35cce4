/**
 * The worklist, grouped by infant: each infant with GA at birth, when the next ROP exam is due
 * (overdue / due today flagged) and whether the entries so far warrant treatment; under it
 * the infant's exams (one per visit, both eyes for ROP) with status (new → analysed → in
 * review → signed → sent), date, eyes and PMA, and each exam's images on one line each. By
 * default in triage order: treatment warranted, overdue and due today first. Search, filters
 * by status and unread; ↑/↓ move between images, Enter (or a click) opens one. A signed-in
 * specialist sees their domain's queue by default.
 */
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { EXAM_STATUSES } from '../../../core/vocabulary/exam-status.ts';
import { formatDate, type ExamEntry } from '../layouts/layout-props.ts';
import {
  EXAM_SORTS,
  examRows,
  infantGroups,
  type ExamRow,
  type ExamSort,
  type InfantGroup,
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

function InfantHeader({ group }: { group: InfantGroup }) {
  const first = group.rows[0]!;
  const urgent = group.rows.find((r) => r.exam.treatmentWarranted);
  const due = group.rows.find((r) => r.exam.nextDue)?.exam;
  return (
    <div className="worklist-infant" data-patient-id={group.patientId}>
      <strong>{first.first.patientName.replace(/\^/g, ' ') || 'Unnamed'}</strong>{' '}
      <small>{group.patientId}</small>
      {first.exam.gaAtBirth ? <small> · GA {first.exam.gaAtBirth}</small> : null}
      {urgent ? (
        <span className="flag flag-treat" title="The entries so far warrant treatment">
          treat
        </span>
      ) : null}
      {due ? (
        <span
          className={`due due-${due.dueStatus.replace(' ', '-')}`}
          title={due.dueReason}
          data-testid="next-due"
        >
          {due.dueStatus === 'overdue'
            ? `overdue since ${due.nextDue}`
            : due.dueStatus === 'due today'
              ? 'due today'
              : `next ${due.nextDue}`}
        </span>
      ) : null}
    </div>
  );
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
      <span className="exam-meta">
        {formatDate(first.studyDate, '—')}
        {exam.eyes.length ? ` · ${exam.eyes.join(' + ')}` : row.eye ? ` · ${row.eye}` : ''}
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
  const [sort, setSort] = useState<ExamSort>('triage');
  const queue = useMemo(
    () => (queueDomain && !showAll ? instances.filter((i) => i.domain === queueDomain) : instances),
    [instances, queueDomain, showAll],
  );
  const rows = useMemo(
    () => examRows(queue, exams, { query, status, unreadOnly, sort }),
    [queue, exams, query, status, unreadOnly, sort],
  );
  const groups = useMemo(() => infantGroups(rows), [rows]);
  // Keyboard order follows the screen: infant by infant.
  const visible = useMemo(() => groups.flatMap((g) => g.rows.flatMap((r) => r.images)), [groups]);
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
          {(['all', ...EXAM_STATUSES] as const).map((s) => (
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
        {groups.map((group) => (
          <li key={group.patientId} className="worklist-infant-group">
            <InfantHeader group={group} />
            <ol className="worklist-exams">
              {group.rows.map((row) => (
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
                            {instance.domain === 'retina'
                              ? instance.laterality === 'R'
                                ? 'OD'
                                : instance.laterality === 'L'
                                  ? 'OS'
                                  : 'eye?'
                              : instance.domain}
                          </span>
                          <span className="image-line" title={instance.fileName}>
                            {instance.modality} · {instance.columns}×{instance.rows}
                            {instance.frames > 1 ? ` · ${instance.frames} frames` : ''}
                            {instance.warnings.length ? (
                              <span
                                className="warning-badge"
                                title={instance.warnings
                                  .map((w) => `${w.code}: ${w.message}`)
                                  .join('\n')}
                                aria-label={`${instance.warnings.length} warning(s)`}
                              >
                                ⚠ {instance.warnings.length}
                              </span>
                            ) : null}{' '}
                            <span className="file">{instance.fileName}</span>
                          </span>
                        </li>
                      );
                    })}
                  </ol>
                </li>
              ))}
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
