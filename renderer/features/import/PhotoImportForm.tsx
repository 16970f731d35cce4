/**
 * The small form for JPEG/PNG fundus exports imported without a sidecar CSV: who the
 * patient is, which eye, and when. Nothing is imported until it is filled in.
 */
import { useState, type FormEvent } from 'react';
import type { PhotoMetadata } from './import-files.ts';

export function PhotoImportForm({
  count,
  onSubmit,
  onCancel,
}: {
  count: number;
  onSubmit(metadata: PhotoMetadata): void;
  onCancel(): void;
}) {
  const [patientId, setPatientId] = useState('');
  const [patientName, setPatientName] = useState('');
  const [examDate, setExamDate] = useState('');
  const [eye, setEye] = useState<'' | 'OD' | 'OS'>('');
  const [birthDate, setBirthDate] = useState('');
  const [gaWeeks, setGaWeeks] = useState('');
  const [gaDays, setGaDays] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!patientId.trim() || !eye) return;
    // Birth date and GA are kept with the patient (worklist GA and PMA) when both are given.
    const ga = gaWeeks ? Number(gaWeeks) + Number(gaDays || 0) / 7 : undefined;
    onSubmit({
      patientId: patientId.trim(),
      patientName: patientName.trim() || undefined,
      examDate: examDate ? examDate.replace(/-/g, '') : undefined,
      eye,
      ...(birthDate && ga
        ? { birthDate: birthDate.replace(/-/g, ''), gestationalAgeWeeks: ga }
        : {}),
    });
  };
  return (
    <div className="overlay" role="dialog" aria-label="Fundus photo details">
      <form className="overlay-card photo-form" onSubmit={submit}>
        <h2>{count} fundus photo(s) without patient details</h2>
        <p className="hint">
          Exported JPEG/PNG images carry no patient or eye. Enter them once for this selection (or
          import a sidecar CSV with the images).
        </p>
        <label>
          Patient ID{' '}
          <input
            name="patientId"
            required
            value={patientId}
            onChange={(e) => setPatientId(e.target.value)}
            autoFocus
          />
        </label>
        <label>
          Patient name{' '}
          <input
            name="patientName"
            value={patientName}
            onChange={(e) => setPatientName(e.target.value)}
          />
        </label>
        <label>
          Exam date{' '}
          <input
            name="examDate"
            type="date"
            value={examDate}
            onChange={(e) => setExamDate(e.target.value)}
          />
        </label>
        <label>
          Birth date{' '}
          <input
            name="birthDate"
            type="date"
            value={birthDate}
            onChange={(e) => setBirthDate(e.target.value)}
          />
        </label>
        <div className="ga-inputs">
          <label>
            GA at birth, weeks{' '}
            <input
              name="gaWeeks"
              type="number"
              min={20}
              max={44}
              value={gaWeeks}
              onChange={(e) => setGaWeeks(e.target.value)}
            />
          </label>
          <label>
            + days{' '}
            <input
              name="gaDays"
              type="number"
              min={0}
              max={6}
              value={gaDays}
              onChange={(e) => setGaDays(e.target.value)}
            />
          </label>
        </div>
        <fieldset>
          <legend>Eye</legend>
          <label>
            <input
              type="radio"
              name="eye"
              value="OD"
              checked={eye === 'OD'}
              onChange={() => setEye('OD')}
            />{' '}
            OD (right)
          </label>
          <label>
            <input
              type="radio"
              name="eye"
              value="OS"
              checked={eye === 'OS'}
              onChange={() => setEye('OS')}
            />{' '}
            OS (left)
          </label>
        </fieldset>
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={!patientId.trim() || !eye}>
            Import
          </button>
        </div>
      </form>
    </div>
  );
}
