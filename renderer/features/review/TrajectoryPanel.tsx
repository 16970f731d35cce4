/**
 * The infant's course: signed exams by postmenstrual age, with a small chart per measure
 * (vascular tortuosity index for retina, cardiothoracic ratio for chest) and the current
 * exam ringed, under the infant's record (birth data, flags, weights, ROP due dates).
 */
import { useCallback, useEffect, useState } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import { PatientRecordPanel } from './PatientRecordPanel.tsx';

type Course = OperationResult<'patients.trajectory'>;
type Point = Course['points'][number];

const SERIES = [
  {
    name: 'tortuosity_index',
    title: 'Tortuosity index (retina)',
    colour: '#f5a524',
    reference: [1.15, 1.19],
  }, // pre-plus (RISA standard photograph) and plus (i-ROP, 0–3 DD) levels: core/measurements/vascular/plus-rule.ts
  { name: 'ctr', title: 'Cardiothoracic ratio (chest)', colour: '#4fb3ff', reference: [0.6] },
] as const;

export function TrajectoryPanel({
  patientId,
  currentReportId,
  refreshKey,
}: {
  patientId: string;
  currentReportId: string;
  refreshKey: number;
}) {
  const api = useApi();
  const [course, setCourse] = useState<Course>();
  const [error, setError] = useState<string>();
  const load = useCallback(
    () =>
      api
        .call('patients.trajectory', { patientId })
        .then(setCourse, (e: Error) => setError(e.message)),
    [api, patientId],
  );
  useEffect(() => void load(), [load, refreshKey]);

  return (
    <section className="trajectory" aria-label="Trajectory">
      <h3>Course of {patientId}</h3>
      {course ? <PatientRecordPanel patientId={patientId} course={course} reload={load} /> : null}
      {course
        ? SERIES.map((s) => (
            <Chart
              key={s.name}
              series={s}
              points={course.points.filter((p) => p.measure?.name === s.name)}
              currentReportId={currentReportId}
            />
          ))
        : null}
      {course && !course.points.length ? <p className="hint">No signed exam yet.</p> : null}
      {error ? <p className="message-error">{error}</p> : null}
    </section>
  );
}

function Chart({
  series,
  points,
  currentReportId,
}: {
  series: (typeof SERIES)[number];
  points: Point[];
  currentReportId: string;
}) {
  const dated = points.filter((p) => p.pmaDays !== null);
  if (!points.length) return null;
  if (!dated.length)
    return (
      <p className="hint">
        {series.title}: {points.length} exam(s) without a postmenstrual age.
      </p>
    );
  const w = 380;
  const h = 120;
  const pad = 28;
  const xs = dated.map((p) => p.pmaDays! / 7);
  const ys = [...dated.map((p) => p.measure!.value), ...series.reference];
  const [x0, x1] = [Math.min(...xs) - 1, Math.max(...xs) + 1];
  const [y0, y1] = [Math.min(...ys) * 0.97, Math.max(...ys) * 1.03];
  const px = (x: number) => pad + ((x - x0) / (x1 - x0)) * (w - pad - 8);
  const py = (y: number) => h - pad + 8 - ((y - y0) / (y1 - y0)) * (h - pad);
  return (
    <figure className="chart" data-series={series.name}>
      <figcaption>{series.title} by postmenstrual age (weeks)</figcaption>
      <svg
        width={w}
        height={h}
        role="img"
        aria-label={`${series.title}: ${dated.map((p) => `${p.pma} ${p.measure!.value}`).join('; ')}`}
      >
        {series.reference.map((r) => (
          <line
            key={r}
            x1={pad}
            x2={w - 8}
            y1={py(r)}
            y2={py(r)}
            stroke="#556"
            strokeDasharray="3 3"
          />
        ))}
        <polyline
          fill="none"
          stroke={series.colour}
          strokeWidth={1.5}
          points={dated.map((p) => `${px(p.pmaDays! / 7)},${py(p.measure!.value)}`).join(' ')}
        />
        {dated.map((p) => (
          <g key={`${p.reportId}-${p.version}`}>
            <circle cx={px(p.pmaDays! / 7)} cy={py(p.measure!.value)} r={3} fill={series.colour} />
            {p.reportId === currentReportId ? (
              <circle
                cx={px(p.pmaDays! / 7)}
                cy={py(p.measure!.value)}
                r={7}
                fill="none"
                stroke="#fff"
                data-current="true"
              />
            ) : null}
          </g>
        ))}
        <text x={pad} y={h - 4} fill="#8aa0b4" fontSize={10}>
          {x0.toFixed(0)}
        </text>
        <text x={w - 24} y={h - 4} fill="#8aa0b4" fontSize={10}>
          {x1.toFixed(0)}
        </text>
        <text x={2} y={py(y1) + 10} fill="#8aa0b4" fontSize={10}>
          {y1.toFixed(2)}
        </text>
        <text x={2} y={py(y0)} fill="#8aa0b4" fontSize={10}>
          {y0.toFixed(2)}
        </text>
      </svg>
      <ul className="timeline">
        {points.map((p) => (
          <li
            key={`${p.reportId}-${p.version}`}
            className={p.reportId === currentReportId ? 'current' : undefined}
          >
            {p.pma} · {p.examDate || 'no date'} · {p.measure!.value} ({p.measure!.source}) · v
            {p.version}
          </li>
        ))}
      </ul>
    </figure>
  );
}
