/**
 * The import table for camera exports (JPEG/PNG/TIFF): each photo becomes a DICOM image at
 * import, so before anything is stored the user sees, per photo, what the workstation
 * found — patient, eye and date from a sidecar CSV, EXIF or the file name, and what the
 * pixels show (a chest film among fundus photos is marked chest, never given an eye) — and
 * completes or corrects it. Details typed above the table fill only what a row lacks. The
 * file-name patterns are the site's own and are kept between sessions.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  DEFAULT_EYE_NAME_PATTERNS,
  parsePatternList,
  type EyeNamePatterns,
} from '../../../core/vocabulary/eye-names.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import { describePhotos, type FileLike } from './import-files.ts';
import {
  applyNamePatterns,
  dicomToIso,
  effectiveDomain,
  effectiveEye,
  EMPTY_DETAILS,
  loadNamePatterns,
  rowMetadata,
  rowsFrom,
  saveNamePatterns,
  type CommonDetails,
  type PhotoRow,
} from './photo-table.ts';
import { PhotoTableRow } from './PhotoTableRow.tsx';

const nameOf = (file: FileLike) => file.webkitRelativePath || file.name;

export function PhotoImportForm({
  files,
  onSubmit,
  onCancel,
}: {
  /** The whole selection: photos, their sidecar CSVs and any other files imported with them. */
  files: FileLike[];
  onSubmit(files: FileLike[]): void;
  onCancel(): void;
}) {
  const api = useApi();
  const [patterns, setPatterns] = useState<EyeNamePatterns>(() =>
    loadNamePatterns(DEFAULT_EYE_NAME_PATTERNS),
  );
  const [patternText, setPatternText] = useState(() => ({
    OD: patterns.OD.join(', '),
    OS: patterns.OS.join(', '),
  }));
  const [rows, setRows] = useState<PhotoRow[]>();
  const [problems, setProblems] = useState<{ fileName: string; message: string }[]>([]);
  const [failure, setFailure] = useState<string>();
  const [common, setCommon] = useState<CommonDetails>(EMPTY_DETAILS);

  useEffect(() => {
    let live = true;
    describePhotos(api, files, patterns).then(
      (found) => {
        if (!live) return;
        setRows(rowsFrom(found.photos));
        setProblems(found.problems);
      },
      (error: Error) => live && setFailure(error.message),
    );
    return () => void (live = false);
    // Described once per selection: pattern edits are applied here, in the page.
  }, [api, files]);

  const shown = useMemo(() => rows && applyNamePatterns(rows, patterns), [rows, patterns]);
  const outcomes = useMemo(
    () => shown?.map((row) => rowMetadata(row, common)) ?? [],
    [shown, common],
  );
  const ready = Boolean(shown?.length) && outcomes.every((o) => o.metadata);

  const set = (field: keyof CommonDetails) => (e: { target: { value: string } }) =>
    setCommon((c) => ({ ...c, [field]: e.target.value }));
  const edit = (fileName: string, own: PhotoRow['own']) =>
    setRows((list) =>
      list?.map((r) => (r.fileName === fileName ? { ...r, own: { ...r.own, ...own } } : r)),
    );
  const editPatterns = (eye: 'OD' | 'OS', text: string) => {
    setPatternText((t) => ({ ...t, [eye]: text }));
    const next = { ...patterns, [eye]: parsePatternList(text) };
    setPatterns(next);
    saveNamePatterns(next);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!shown || !ready) return;
    const byName = new Map(shown.map((row, i) => [row.fileName, outcomes[i]!.metadata!]));
    onSubmit(
      files.map((f) => {
        const photo = byName.get(nameOf(f));
        return photo ? Object.assign(f, { photo }) : f;
      }),
    );
  };

  return (
    <div className="overlay" role="dialog" aria-label="Fundus photo details">
      <form className="overlay-card photo-form photo-table-form" onSubmit={submit}>
        <h2>{shown ? shown.length : 'Reading'} photo(s): check patient, eye and date</h2>
        <p className="hint">
          Camera exports become DICOM images at import. What a sidecar CSV, EXIF or the file name
          gives is filled in; the details below fill whatever a photo still lacks.
        </p>
        <div className="photo-common">
          <label>
            Patient ID{' '}
            <input
              name="patientId"
              value={common.patientId}
              onChange={set('patientId')}
              autoFocus
            />
          </label>
          <label>
            Patient name{' '}
            <input name="patientName" value={common.patientName} onChange={set('patientName')} />
          </label>
          <label>
            Exam date{' '}
            <input name="examDate" type="date" value={common.examDate} onChange={set('examDate')} />
          </label>
          <label>
            Birth date{' '}
            <input
              name="birthDate"
              type="date"
              value={common.birthDate}
              onChange={set('birthDate')}
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
                value={common.gaWeeks}
                onChange={set('gaWeeks')}
              />
            </label>
            <label>
              + days{' '}
              <input
                name="gaDays"
                type="number"
                min={0}
                max={6}
                value={common.gaDays}
                onChange={set('gaDays')}
              />
            </label>
          </div>
          <fieldset>
            <legend>Eye, for fundus photos that name none</legend>
            {(['OD', 'OS'] as const).map((eye) => (
              <label key={eye}>
                <input
                  type="radio"
                  name="eye"
                  value={eye}
                  checked={common.eye === eye}
                  onChange={() => setCommon((c) => ({ ...c, eye }))}
                />{' '}
                {eye === 'OD' ? 'OD (right)' : 'OS (left)'}
              </label>
            ))}
          </fieldset>
        </div>
        <details className="photo-patterns">
          <summary>File-name patterns for the eye</summary>
          <label>
            Right eye (OD) names contain{' '}
            <input value={patternText.OD} onChange={(e) => editPatterns('OD', e.target.value)} />
          </label>
          <label>
            Left eye (OS) names contain{' '}
            <input value={patternText.OS} onChange={(e) => editPatterns('OS', e.target.value)} />
          </label>
        </details>
        {failure ? <p className="error">The photos could not be read: {failure}</p> : null}
        {shown ? (
          <table className="photo-table" data-testid="photo-table">
            <thead>
              <tr>
                <th>File</th>
                <th>Shows</th>
                <th>Eye</th>
                <th>Patient</th>
                <th>Date</th>
                <th>Found from</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row, i) => (
                <PhotoTableRow
                  key={row.fileName}
                  row={row}
                  domain={effectiveDomain(row)}
                  eye={effectiveEye(row, common)}
                  patientPlaceholder={common.patientId}
                  shownDate={dicomToIso(row.found.examDate) || common.examDate}
                  lacks={outcomes[i]!.lacks}
                  onEdit={(own) => edit(row.fileName, own)}
                />
              ))}
            </tbody>
          </table>
        ) : failure ? null : (
          <p className="hint">Reading the photos…</p>
        )}
        {problems.length ? (
          <ul className="photo-problems">
            {problems.map((p) => (
              <li key={`${p.fileName}:${p.message}`}>
                {p.fileName}: {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={!ready}>
            Import
          </button>
        </div>
      </form>
    </div>
  );
}
