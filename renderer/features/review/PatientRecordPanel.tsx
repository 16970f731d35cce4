/**
 * The infant's record beside the report: birth date, GA and weight at birth, the clinician's
 * flags (unstable course, hydrocephalus), the BPD grade at 36 weeks PMA (Jensen 2019 — a
 * clinical grade, entered here, not on the film form), the weights over time (typed or read
 * from a CSV of patient_id,date,grams) and what the ROP rules make of them: screening
 * eligibility, first and next exam due, and the G-ROP criteria, each with its source.
 */
import { useState, type FormEvent } from 'react';
import type { OperationResult } from '../../../core/api/contract.ts';
import { BPD_GRADES } from '../../../core/vocabulary/bpd-grades.ts';
import { parseWeightsCsv, weightsOf } from '../../../core/screening/index.ts';
import { useApi } from '../../api/ApiProvider.tsx';

type Course = OperationResult<'patients.trajectory'>;

export function PatientRecordPanel({
  patientId,
  course,
  reload,
}: {
  patientId: string;
  course: Course;
  reload(): Promise<void>;
}) {
  const api = useApi();
  const [editing, setEditing] = useState(!course.patient);
  const [error, setError] = useState<string>();
  const patient = course.patient;
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const weight = String(form.get('birthWeightGrams') ?? '').trim();
    const bpd = String(form.get('bpdGrade') ?? '');
    void act(async () => {
      await api.call('patients.set', {
        patientId,
        birthDate: String(form.get('birthDate')),
        gaWeeks: Number(form.get('gaWeeks')),
        gaDays: Number(form.get('gaDays') || 0),
        ...(weight ? { birthWeightGrams: Number(weight) } : {}),
        unstableCourse: form.get('unstableCourse') === 'on',
        hydrocephalus: form.get('hydrocephalus') === 'on',
        ...(bpd ? { bpdGrade: bpd as (typeof BPD_GRADES)[number] } : {}),
      });
      setEditing(false);
    });
  };
  const addWeight = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    void act(() =>
      api.call('patients.addWeights', {
        patientId,
        weights: [{ date: String(form.get('date')), grams: Number(form.get('grams')) }],
      }),
    );
  };
  const importCsv = async (file: File) => {
    const parsed = parseWeightsCsv(await file.text());
    if (parsed.errors.length)
      return setError(parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('; '));
    const weights = weightsOf(parsed.rows, patientId);
    if (!weights.length) return setError(`the CSV has no weights for ${patientId}`);
    await act(() => api.call('patients.addWeights', { patientId, weights }));
  };
  const s = course.screening;
  return (
    <section className="patient-record" aria-label="Patient record">
      {editing ? (
        <form className="ga-form" onSubmit={save}>
          {!patient ? (
            <span className="hint">Postmenstrual age and due dates need the birth data:</span>
          ) : null}
          <label>
            Born{' '}
            <input
              name="birthDate"
              type="date"
              required
              aria-label="Birth date"
              defaultValue={patient?.birthDate}
            />
          </label>
          <label>
            GA{' '}
            <input
              name="gaWeeks"
              type="number"
              min={20}
              max={44}
              required
              aria-label="Gestational age weeks"
              defaultValue={patient?.gaWeeks}
            />
            +
            <input
              name="gaDays"
              type="number"
              min={0}
              max={6}
              defaultValue={patient?.gaDays ?? 0}
              aria-label="Gestational age days"
            />
          </label>
          <label>
            BW{' '}
            <input
              name="birthWeightGrams"
              type="number"
              min={200}
              max={6000}
              aria-label="Birth weight (g)"
              defaultValue={patient?.birthWeightGrams}
            />{' '}
            g
          </label>
          <label>
            <input name="unstableCourse" type="checkbox" defaultChecked={patient?.unstableCourse} />{' '}
            unstable course
          </label>
          <label>
            <input name="hydrocephalus" type="checkbox" defaultChecked={patient?.hydrocephalus} />{' '}
            hydrocephalus
          </label>
          <label>
            BPD grade{' '}
            <select name="bpdGrade" aria-label="BPD grade" defaultValue={patient?.bpdGrade ?? ''}>
              <option value="">—</option>
              {BPD_GRADES.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          </label>
          <button type="submit">Save</button>
        </form>
      ) : patient ? (
        <p className="hint" data-testid="patient-facts">
          Born {patient.birthDate} at {patient.gaWeeks}+{patient.gaDays} weeks
          {patient.birthWeightGrams ? `, ${patient.birthWeightGrams} g` : ', birth weight —'}
          {patient.unstableCourse ? ', unstable course' : ''}
          {patient.hydrocephalus ? ', hydrocephalus' : ''}
          {patient.bpdGrade ? `; BPD ${patient.bpdGrade}` : ''}.{' '}
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        </p>
      ) : null}
      {s ? (
        <ul className="screening" aria-label="ROP screening">
          <li title={s.eligibility.source}>
            Screening: <strong>{s.eligibility.status}</strong> — {s.eligibility.reason}
          </li>
          <li title={s.nextDueReason}>
            Next ROP exam: <strong>{s.nextDue ?? '—'}</strong>
            {s.dueStatus !== 'none' ? ` (${s.dueStatus})` : ''} — {s.nextDueReason}
          </li>
          {s.gRop ? (
            <li title={s.gRop.source}>
              G-ROP: <strong>{s.gRop.status}</strong> —{' '}
              {s.gRop.criteria.map((c) => `${c.name}: ${c.status}`).join('; ')}
            </li>
          ) : null}
        </ul>
      ) : null}
      {patient ? (
        <form className="weight-form" onSubmit={addWeight}>
          <span className="hint">
            Weights ({course.weights.length}
            {course.weights.length
              ? `, last ${course.weights.at(-1)!.grams} g on ${course.weights.at(-1)!.date}`
              : ''}
            ):
          </span>
          <input name="date" type="date" required aria-label="Weight date" />
          <input
            name="grams"
            type="number"
            min={200}
            max={8000}
            required
            aria-label="Weight (g)"
            placeholder="g"
          />
          <button type="submit">Add</button>
          <label className="file-button">
            CSV…
            <input
              type="file"
              accept=".csv,text/csv"
              hidden
              aria-label="Import weights CSV"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importCsv(file);
                e.target.value = '';
              }}
            />
          </label>
        </form>
      ) : null}
      {error ? (
        <p className="message-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
