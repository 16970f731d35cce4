import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceSummary } from '../base/schemas.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import { reportIdFor } from '../review/report-id.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { AnalysisStore } from '../review/analysis-store.ts';
import { examStatus, listExams, type ReportFacts } from './exam-status.ts';

const base: ReportFacts = { analysed: false, readerEdited: false, viewedByUser: false };
const signedDraft = {
  status: 'signed' as const,
  amending: false,
  updatedAt: '2026-11-20T10:00:00.000Z',
  updatedBy: 'ada',
};

test('results exported before the last signature do not make an exam sent', () => {
  assert.equal(
    examStatus({ ...base, draft: signedDraft, lastExportAt: '2026-11-19T10:00:00.000Z' }).status,
    'signed',
  );
  assert.equal(
    examStatus({ ...base, draft: signedDraft, lastExportAt: '2026-11-20T10:00:01.000Z' }).status,
    'sent',
  );
});

test('an exam whose results came back from a partner is signed there, unless it is being read here', () => {
  assert.deepEqual(examStatus({ ...base, receivedFrom: 'hub-nicu' }), {
    status: 'signed',
    detail: 'signed at hub-nicu',
  });
  assert.equal(
    examStatus({ ...base, receivedFrom: 'hub-nicu', readerEdited: true }).status,
    'in review',
  );
});

test('an open draft with only model values is analysed; an open amendment is in review', () => {
  const open = {
    status: 'open' as const,
    amending: false,
    updatedAt: '2026-11-20T10:00:00.000Z',
    updatedBy: 'ada',
  };
  assert.equal(examStatus({ ...base, analysed: true, draft: open }).status, 'analysed');
  assert.equal(examStatus({ ...base, draft: open }).status, 'new');
  assert.equal(examStatus({ ...base, draft: { ...open, amending: true } }).status, 'in review');
});

test('the worklist triages ROP visits: treatment warranted, then overdue, then due later; a signed visit sets the next due date', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-triage-'));
  const data = await openDataFolder(folder);
  try {
    const records = new PatientRecords(data.db, data.audit, () => new Date('2026-11-30T08:00:00Z'));
    const image = (patientId: string, laterality: string, studyDate: string): InstanceSummary => ({
      instanceId: createHash('sha256')
        .update(`${patientId}${laterality}${studyDate}`)
        .digest('hex'),
      fileName: `${patientId}-${laterality}.jpg`,
      sopInstanceUid: '',
      sopClassUid: '',
      transferSyntaxUid: '',
      patientName: patientId,
      patientId,
      studyInstanceUid: '',
      studyDate,
      studyDescription: '',
      seriesInstanceUid: '',
      modality: 'OP',
      bodyPart: '',
      laterality,
      rows: 1,
      columns: 1,
      frames: 1,
      photometric: 'RGB',
      domain: 'retina',
      domainReason: '',
      warnings: [],
    });
    // Born at 26+0 weeks on 2026-09-01: first exam due at 31 weeks PMA, 2026-10-06 — overdue.
    await records.set(
      { patientId: 'LATE', birthDate: '2026-09-01', gaWeeks: 26, gaDays: 0 },
      'ada',
    );
    // Born at 29+0 weeks on 2026-11-20: due at 4 weeks of age, 2026-12-18.
    await records.set(
      { patientId: 'YOUNG', birthDate: '2026-11-20', gaWeeks: 29, gaDays: 0 },
      'ada',
    );
    await records.set(
      { patientId: 'TREAT', birthDate: '2026-09-20', gaWeeks: 25, gaDays: 0 },
      'ada',
    );
    const instances = [
      image('YOUNG', 'R', '20261129'),
      image('LATE', 'R', '20261128'),
      image('LATE', 'L', '20261128'),
      image('TREAT', 'R', '20261127'),
    ];
    const treat = reportIdFor(instances[3]!);
    const fields = [
      { field: 'od_zone', reader: 'I' },
      { field: 'od_stage', reader: '3' },
    ];
    data.db.run(
      'INSERT INTO report_drafts (report_id, content_json, updated_by, updated_at) VALUES (?, ?, ?, ?)',
      [
        treat,
        JSON.stringify({
          status: 'open',
          content: { patientId: 'TREAT', domain: 'retina', fields },
        }),
        'ada',
        '2026-11-27T10:00:00Z',
      ],
    );
    const exams = listExams(instances, {
      db: data.db,
      analysed: new AnalysisStore(data.db).analysedReports(),
      patients: (id) => records.get(id),
      username: 'ada',
      today: '2026-11-30',
    });
    assert.deepEqual(
      exams.map((e) => [e.patientId, e.triage, e.dueStatus, e.nextDue ?? null]),
      [
        ['TREAT', 0, 'overdue', '2026-11-01'],
        ['LATE', 1, 'overdue', '2026-10-06'],
        ['YOUNG', 3, 'due later', '2026-12-18'],
      ],
    );
    assert.equal(exams[0]!.treatmentWarranted, true);
    assert.deepEqual(exams[1]!.eyes, ['OD', 'OS'], 'both eyes of one visit are one exam');

    // Once LATE's visit is signed with "2 weeks", the next exam is due 14 days after it.
    data.db.run(
      'INSERT INTO report_drafts (report_id, content_json, updated_by, updated_at) VALUES (?, ?, ?, ?)',
      [
        reportIdFor(instances[1]!),
        JSON.stringify({
          status: 'signed',
          content: {
            patientId: 'LATE',
            domain: 'retina',
            fields: [],
            clinical: { examDate: '2026-11-28' },
            assessment: {
              nextExamDate: '2026-12-12',
              followUp: { label: '2 weeks', discharge: false },
            },
          },
        }),
        'ada',
        '2026-11-28T10:00:00Z',
      ],
    );
    const after = listExams(instances, {
      db: data.db,
      analysed: new AnalysisStore(data.db).analysedReports(),
      patients: (id) => records.get(id),
      username: 'ada',
      today: '2026-11-30',
    });
    const late = after.find((e) => e.patientId === 'LATE')!;
    assert.equal(late.status, 'signed');
    assert.equal(late.nextDue, '2026-12-12');
    assert.equal(late.triage, 4, 'a signed visit is not waiting to be read');
    assert.match(late.dueReason!, /2 weeks after the signed visit of 2026-11-28/);
  } finally {
    data.close();
  }
});
