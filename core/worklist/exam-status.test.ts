import assert from 'node:assert/strict';
import { test } from 'node:test';
import { examStatus, type ReportFacts } from './exam-status.ts';

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
