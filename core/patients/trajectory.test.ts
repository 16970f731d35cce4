import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SignedReport } from '../reports/signed-reports.ts';
import { formatAge, parseDate, pmaDays, trajectory } from './trajectory.ts';

const patient = { patientId: 'NICU-7', birthDate: '2026-08-01', gaWeeks: 26, gaDays: 3 };

function report(
  reportId: string,
  domain: 'retina' | 'chest',
  field: string,
  reader: number | null,
  ai?: number,
): SignedReport {
  const model = { id: 'm', version: '1.0.0', sha256: 'a'.repeat(64) };
  return {
    content: {
      reportId,
      patientId: 'NICU-7',
      studyInstanceUid: '',
      instanceIds: [],
      domain,
      fields: [{ field, reader, ...(ai !== undefined ? { ai: { value: ai, model } } : {}) }],
      freeText: '',
    },
    version: 1,
    signer: 's',
    signedAt: '',
    models: [],
    contentHash: '',
  };
}

test('PMA is gestational age at birth plus time since birth', () => {
  assert.equal(pmaDays(patient, '2026-08-01'), 26 * 7 + 3);
  assert.equal(pmaDays(patient, '20260905'), 26 * 7 + 3 + 35); // DICOM date form; 31 days of August + 4
  assert.equal(formatAge(pmaDays(patient, '2026-09-05')!), '31+3 weeks');
  assert.equal(
    pmaDays(patient, '2026-07-30'),
    undefined,
    'an exam before birth is a data error, not an age',
  );
  assert.equal(parseDate('2026-02-30'), undefined);
});

test("the trajectory orders exams by PMA, prefers the reader's value, and skips other patients", () => {
  const points = trajectory(patient.patientId, patient, [
    { report: report('r-late', 'retina', 'tortuosity_index', 1.21, 1.18), examDate: '2026-10-03' },
    { report: report('r-early', 'retina', 'tortuosity_index', null, 1.07), examDate: '2026-09-05' },
    { report: report('c-1', 'chest', 'ctr', 0.58), examDate: '2026-09-20' },
    {
      report: {
        ...report('other', 'retina', 'tortuosity_index', 1.5),
        content: { ...report('other', 'retina', 'tortuosity_index', 1.5).content, patientId: 'X' },
      },
      examDate: '2026-09-10',
    },
    { report: report('undated', 'chest', 'ctr', 0.5), examDate: '' },
  ]);
  assert.deepEqual(
    points.map((p) => [p.reportId, p.pma, p.measure?.value, p.measure?.source]),
    [
      ['r-early', '31+3 weeks', 1.07, 'AI'],
      ['c-1', '33+4 weeks', 0.58, 'reader'],
      ['r-late', '35+3 weeks', 1.21, 'reader'],
      ['undated', 'unknown', 0.5, 'reader'],
    ],
  );
});
