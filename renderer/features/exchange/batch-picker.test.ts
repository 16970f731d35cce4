import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import type { ExamEntry } from '../layouts/layout-props.ts';
import { examsInRange, sendableExams, ticked } from './batch-picker.ts';

let next = 0;
const image = (over: Partial<InstanceSummary>): InstanceSummary =>
  ({
    instanceId: String(next++).padStart(64, '0'),
    patientName: 'Baby^A',
    patientId: 'P1',
    studyDate: '20260302',
    laterality: '',
    domain: 'retina',
    ...over,
  }) as InstanceSummary;

const exam = (reportId: string, images: InstanceSummary[]): ExamEntry =>
  ({
    reportId,
    patientId: images[0]!.patientId,
    domain: images[0]!.domain,
    instanceIds: images.map((i) => i.instanceId),
  }) as ExamEntry;

const od = image({ laterality: 'R' });
const os = image({ laterality: 'L' });
const laterVisit = image({
  patientId: 'P2',
  patientName: 'Baby^B',
  studyDate: '20260306',
  laterality: 'R',
});
const film = image({ patientId: 'P3', studyDate: '', domain: 'chest', laterality: 'L' });
const received = image({ patientId: 'PSN-x', sourceSite: 'regional-A' });
const instances = [od, os, laterVisit, film, received];
const exams = [
  exam('visit-1', [od, os]),
  exam('visit-2', [laterVisit]),
  exam('film', [film]),
  exam('from-partner', [received]),
];

test('one row per exam with its own images, newest first; a partner’s exam is not offered', () => {
  const rows = sendableExams(exams, instances);
  assert.deepEqual(
    rows.map((r) => [
      r.reportId,
      r.patientName,
      r.studyDate,
      r.eyes.join('+'),
      r.instanceIds.length,
    ]),
    [
      ['visit-2', 'Baby^B', '20260306', 'OD', 1],
      ['visit-1', 'Baby^A', '20260302', 'OD+OS', 2],
      ['film', 'Baby^A', '', '', 1],
    ],
    "a chest film's laterality is no eye; an undated exam sorts last",
  );
});

test('the date filter shows the exams of the range; without bounds every exam, undated too', () => {
  const rows = sendableExams(exams, instances);
  const ids = (range: { from?: string; to?: string }) =>
    examsInRange(rows, range).map((r) => r.reportId);
  assert.deepEqual(ids({}), ['visit-2', 'visit-1', 'film']);
  assert.deepEqual(ids({ from: '2026-03-02', to: '2026-03-02' }), ['visit-1']);
  assert.deepEqual(ids({ from: '2026-03-03' }), ['visit-2']);
  assert.deepEqual(ids({ to: '2026-03-06' }), ['visit-2', 'visit-1']);
});

test('a batch carries the images of the ticked exams that are shown', () => {
  const rows = sendableExams(exams, instances);
  const shown = examsInRange(rows, { from: '2026-03-01', to: '2026-03-31' });
  const picked = ticked(shown, new Set(['visit-1', 'visit-2', 'film']));
  assert.deepEqual([picked.exams, picked.patients], [2, 2], 'the undated film is not shown');
  assert.deepEqual(picked.instanceIds, [laterVisit.instanceId, od.instanceId, os.instanceId]);
  assert.deepEqual(ticked(shown, new Set()).instanceIds, []);
});
