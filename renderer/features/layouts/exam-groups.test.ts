import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { priorChestFilm, priorsOfEye, visitByEye } from './exam-groups.ts';

let next = 0;
const image = (over: Partial<InstanceSummary>): InstanceSummary => ({
  instanceId: String(next++).padStart(64, '0'),
  fileName: 'f',
  sopInstanceUid: '',
  sopClassUid: '',
  transferSyntaxUid: '',
  patientName: '',
  patientId: 'P1',
  studyInstanceUid: '',
  studyDate: '20110101',
  studyDescription: '',
  seriesInstanceUid: '',
  modality: 'XC',
  bodyPart: '',
  laterality: '',
  rows: 1,
  columns: 1,
  frames: 1,
  photometric: 'RGB',
  domain: 'retina',
  domainReason: '',
  warnings: [],
  ...over,
});

test('a visit splits by eye; other days and other infants are not part of it', () => {
  const od = image({ laterality: 'R' });
  const os = image({ laterality: 'L' });
  const all = [
    od,
    os,
    image({ laterality: 'R', studyDate: '20101220' }),
    image({ laterality: 'L', patientId: 'P2' }),
  ];
  const visit = visitByEye(od, all);
  assert.deepEqual(visit.OD, [od]);
  assert.deepEqual(visit.OS, [os]);
});

test('priors of an eye are earlier visits of that eye, most recent first', () => {
  const open = image({ laterality: 'R', studyDate: '20110115' });
  const early = image({ laterality: 'R', studyDate: '20101201' });
  const later = image({ laterality: 'R', studyDate: '20101225' });
  const otherEye = image({ laterality: 'L', studyDate: '20101225' });
  const all = [open, early, later, otherEye];
  assert.deepEqual(priorsOfEye(open, 'OD', all), [later, early]);
  assert.deepEqual(priorsOfEye(early, 'OD', all), []);
});

test('the prior chest film is the latest earlier film of the same infant', () => {
  const open = image({ domain: 'chest', studyDate: '20110110' });
  const older = image({ domain: 'chest', studyDate: '20101201' });
  const prior = image({ domain: 'chest', studyDate: '20110102' });
  const future = image({ domain: 'chest', studyDate: '20110201' });
  assert.equal(
    priorChestFilm(open, [
      open,
      older,
      prior,
      future,
      image({ domain: 'chest', studyDate: '20110105', patientId: 'P2' }),
    ]),
    prior,
  );
  assert.equal(priorChestFilm(older, [open, older]), undefined);
});
