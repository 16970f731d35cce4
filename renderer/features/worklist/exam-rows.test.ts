import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import type { ExamEntry } from '../layouts/layout-props.ts';
import { examRows, infantGroups } from './exam-rows.ts';

let next = 0;
const image = (over: Partial<InstanceSummary>): InstanceSummary => ({
  instanceId: String(next++).padStart(64, '0'),
  fileName: 'f.dcm',
  sopInstanceUid: '',
  sopClassUid: '',
  transferSyntaxUid: '',
  patientName: 'Baby A',
  patientId: 'P1',
  studyInstanceUid: '',
  studyDate: '20110101',
  studyDescription: '',
  seriesInstanceUid: '',
  modality: 'DX',
  bodyPart: '',
  laterality: '',
  rows: 1,
  columns: 1,
  frames: 1,
  photometric: 'MONOCHROME2',
  domain: 'chest',
  domainReason: '',
  warnings: [],
  ...over,
});
const exam = (images: InstanceSummary[], over: Partial<ExamEntry>): ExamEntry => ({
  reportId: `r${next++}`,
  patientId: images[0]!.patientId,
  studyInstanceUid: '',
  domain: images[0]!.domain,
  instanceIds: images.map((i) => i.instanceId),
  status: 'new',
  unread: false,
  eyes: [],
  treatmentWarranted: false,
  dueStatus: 'none',
  triage: 3,
  ...over,
});

const a1 = image({ studyDate: '20110105' });
const a2 = image({ studyDate: '20110105' });
const b = image({ patientName: 'Baby B', patientId: 'P2', studyDate: '20110103' });
const c = image({
  patientName: 'Baby C',
  patientId: 'P3',
  studyDate: '20110109',
  fileName: 'late.dcm',
});
const exams = [
  exam([a1, a2], { status: 'signed' }),
  exam([b], { status: 'new', unread: true }),
  exam([c], { status: 'analysed', unread: true }),
];
const all = [a1, a2, b, c];
const ids = (rows: ReturnType<typeof examRows>) =>
  rows.map((r) => r.images.map((i) => i.patientId).join('+'));

test('images are grouped into their exams and sorted', () => {
  assert.deepEqual(
    ids(examRows(all, exams, { query: '', status: 'all', unreadOnly: false, sort: 'newest' })),
    ['P3', 'P1+P1', 'P2'],
  );
  assert.deepEqual(
    ids(examRows(all, exams, { query: '', status: 'all', unreadOnly: false, sort: 'oldest' })),
    ['P2', 'P1+P1', 'P3'],
  );
  assert.deepEqual(
    ids(examRows(all, exams, { query: '', status: 'all', unreadOnly: false, sort: 'status' })),
    ['P2', 'P3', 'P1+P1'],
  );
});

test('status, unread and search filter exams', () => {
  assert.deepEqual(
    ids(examRows(all, exams, { query: '', status: 'signed', unreadOnly: false, sort: 'newest' })),
    ['P1+P1'],
  );
  assert.deepEqual(
    ids(examRows(all, exams, { query: '', status: 'all', unreadOnly: true, sort: 'newest' })),
    ['P3', 'P2'],
  );
  assert.deepEqual(
    ids(examRows(all, exams, { query: 'late', status: 'all', unreadOnly: false, sort: 'newest' })),
    ['P3'],
  );
});

test('an image the exam list does not know yet is a new exam of its own', () => {
  const fresh = image({ patientId: 'P9', studyDate: '20110201' });
  const rows = examRows([...all, fresh], exams, {
    query: '',
    status: 'new',
    unreadOnly: false,
    sort: 'newest',
  });
  assert.deepEqual(ids(rows), ['P9', 'P2']);
});

test('triage order puts treatment warranted, then overdue, then due today first; infants group where their most urgent exam falls', () => {
  const a = image({ patientId: 'A', studyDate: '20261120' });
  const b = image({ patientId: 'B', studyDate: '20261122' });
  const b2 = image({ patientId: 'B', studyDate: '20261101' });
  const c = image({ patientId: 'C', studyDate: '20261123' });
  const exams = [
    exam([a], { triage: 2, dueStatus: 'due today' }),
    exam([b], { triage: 3 }),
    exam([b2], { triage: 0, treatmentWarranted: true }),
    exam([c], { triage: 1, dueStatus: 'overdue' }),
  ];
  const rows = examRows([a, b, b2, c], exams, {
    query: '',
    status: 'all',
    unreadOnly: false,
    sort: 'triage',
  });
  assert.deepEqual(
    rows.map((r) => r.first.patientId),
    ['B', 'C', 'A', 'B'],
  );
  assert.deepEqual(
    infantGroups(rows).map((g) => [g.patientId, g.rows.length]),
    [
      ['B', 2],
      ['C', 1],
      ['A', 1],
    ],
  );
});
