/**
 * What NeoScope writes is UTF-8 under Specific Character Set "ISO_IR 192": a Korean,
 * Japanese or Chinese name and free text come back unchanged from the SR and the
 * Secondary Capture, read by our own parser with its character set decoding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readString, Tag } from '../dicom/attributes.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { validateDataSet } from '../dicom/validate.ts';
import { buildSecondaryCapture } from './secondary-capture.ts';
import type { SignedReport } from './signed-reports.ts';
import { buildStructuredReport, type StudyContext } from './structured-report.ts';

const study: StudyContext = {
  patientName: 'Hong Gildong=洪 吉洞=홍 길동',
  patientId: 'KR-17',
  patientBirthDate: '20260901',
  patientSex: 'M',
  studyInstanceUid: '2.25.1122334455',
  studyDate: '20261123',
  studyTime: '093000',
  studyId: 'ROP-4',
  accessionNumber: 'A1001',
  referringPhysicianName: '山田^太郎',
  laterality: 'R',
  images: [],
};

const report: SignedReport = {
  content: {
    reportId: 'exam-17-OD',
    patientId: study.patientId,
    studyInstanceUid: study.studyInstanceUid,
    instanceIds: [],
    domain: 'retina',
    fields: [{ field: 'zone', reader: 'II' }],
    freeText: '72시간 이내 치료. 王小东 — やまだ',
  },
  version: 1,
  signer: '김 의사',
  signedAt: '2026-11-23T10:15:00Z',
  models: [],
  contentHash: 'c'.repeat(64),
};

function readBack(bytes: Uint8Array) {
  const parsed = parseDicomBytes(bytes, 'export.dcm');
  assert.equal(readString(parsed.dataSet, 'x00080005'), 'ISO_IR 192');
  assert.deepEqual(
    validateDataSet(parsed).filter((w) => w.code.startsWith('DICOM_CHARSET')),
    [],
  );
  return parsed.dataSet;
}

test('the SR keeps Hangul, kanji and kana names and text (UTF-8, ISO_IR 192)', () => {
  const ds = readBack(buildStructuredReport(report, study));
  assert.equal(readString(ds, Tag.PatientName), study.patientName);
  assert.equal(readString(ds, 'x00080090'), '山田^太郎');
  const texts: string[] = [];
  const collect = (dataSet: typeof ds) => {
    const value = readString(dataSet, 'x0040a160');
    if (value) texts.push(value);
    for (const element of Object.values(dataSet.elements))
      for (const item of element.items ?? []) if (item.dataSet) collect(item.dataSet);
  };
  collect(ds);
  assert.ok(texts.includes(report.content.freeText), texts.join(' | '));
});

test('the Secondary Capture keeps the name and the description (UTF-8, ISO_IR 192)', () => {
  const ds = readBack(
    buildSecondaryCapture(
      { width: 2, height: 1, rgb: new Uint8Array(6), description: '혈관 지도 (王)' },
      study,
      { operator: '김 의사' },
    ),
  );
  assert.equal(readString(ds, Tag.PatientName), study.patientName);
  assert.equal(readString(ds, 'x00082111'), '혈관 지도 (王)');
  assert.equal(readString(ds, 'x00081070'), '의사^김');
});
