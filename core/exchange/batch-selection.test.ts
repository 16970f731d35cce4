/**
 * Which images a batch sends: the ticked exams' images with every own image of a date range
 * (core/vocabulary/study-dates.ts); images received from partners and undated ones are in no
 * range; the operation's arguments need one or the other, and a range that ends before it
 * starts is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contract } from '../api/contract.ts';
import type { InstanceSummary } from '../base/schemas.ts';
import { selectBatchImages } from './batch-selection.ts';

const image = (id: string, studyDate: string, extra: Partial<InstanceSummary> = {}) =>
  ({
    instanceId: id.repeat(64).slice(0, 64),
    studyDate,
    patientId: `P-${id}`,
    ...extra,
  }) as InstanceSummary;

const library = [
  image('a', '20260302'),
  image('b', '20260303'),
  image('c', '20260306'),
  image('d', '20260303', { sourceSite: 'regional-A' }),
  image('e', ''),
];
const ids = (list: InstanceSummary[]) => list.map((i) => i.instanceId[0]).join('');

test('a date range includes both ends and only this site’s dated images', () => {
  assert.equal(
    ids(
      selectBatchImages(library, { studyDates: { from: '2026-03-02', to: '2026-03-03' } }).selected,
    ),
    'ab',
  );
  assert.equal(
    ids(selectBatchImages(library, { studyDates: { from: '2026-03-03' } }).selected),
    'bc',
  );
  assert.equal(ids(selectBatchImages(library, { studyDates: { to: '2026-03-02' } }).selected), 'a');
  assert.equal(ids(selectBatchImages(library, { studyDates: {} }).selected), 'abc');
  assert.equal(ids(selectBatchImages(library, { studyDates: {} }).selected).includes('e'), false);
});

test('ticked images and a range together, each image once; unknown ids are named', () => {
  const { selected, unknownIds } = selectBatchImages(library, {
    instanceIds: [library[3]!.instanceId, library[0]!.instanceId, 'f'.repeat(64)],
    studyDates: { from: '2026-03-02', to: '2026-03-02' },
  });
  assert.equal(ids(selected), 'da', 'an image named explicitly is sent even if received');
  assert.deepEqual(unknownIds, ['f'.repeat(64)]);
});

test('exchange.createBatch takes images, a date range or both, never neither', () => {
  const args = contract['exchange.createBatch'].args;
  assert.equal(args.safeParse({}).success, false);
  assert.equal(args.safeParse({ instanceIds: [] }).success, false);
  assert.equal(args.safeParse({ instanceIds: ['a'.repeat(64)] }).success, true);
  assert.equal(args.safeParse({ studyDates: { from: '2026-03-02' } }).success, true);
  assert.equal(
    args.safeParse({ studyDates: { from: '2026-03-06', to: '2026-03-02' } }).success,
    false,
    'a range that ends before it starts',
  );
  assert.equal(args.safeParse({ studyDates: { from: '20260302' } }).success, false);
});
