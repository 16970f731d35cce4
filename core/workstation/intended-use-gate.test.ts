/**
 * The gate as the analysis applies it, and the label where the signed report is printed: a
 * refusing package is skipped with a note naming it; a labelling one runs, the note says why,
 * and the doubt is recorded with its values; the PDF's and the SR's AI text carry it; an SR
 * with the label still passes the IOD checker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IntendedUseScope } from '../inference/portable/package-schema.ts';
import { fixtureManifest } from '../inference/testing/fixture-package.ts';
import { fieldLines } from '../reports/report-text.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import { buildStructuredReport, type StudyContext } from '../reports/structured-report.ts';
import { intendedUseGate } from './review-analysis.ts';

const CHILDREN: IntendedUseScope = {
  domain: 'chest',
  modality: ['CR', 'DX'],
  age: { measure: 'chronologicalDays', min: 365, max: 2190 },
  outsideUse: 'label',
};
const manifest = (scope?: IntendedUseScope) => ({
  ...fixtureManifest('0'.repeat(64), 8, -1, { domain: 'chest' }),
  id: 'chest-children',
  ...(scope ? { intendedUseScope: scope } : {}),
});
const neonate = { patientId: 'P', birthDate: '2026-01-01', gaWeeks: 30, gaDays: 0 };
const film = { domain: 'chest', modality: 'DX', studyDate: '20260104' };

test('within, outside (labelled), refused, not confirmed', () => {
  const toddler = { ...neonate, birthDate: '2024-01-01' };
  assert.deepEqual(intendedUseGate(manifest(CHILDREN), film, toddler), { run: true, mark: {} });

  const outside = intendedUseGate(manifest(CHILDREN), film, neonate);
  assert.equal(outside.run, true);
  assert.match(
    outside.note!,
    /^chest-children: outside intended use \(age since birth 3 days is below/,
  );
  assert.match(
    (outside as { mark: { outsideIntendedUse?: string } }).mark.outsideIntendedUse!,
    /below/,
  );

  const refused = intendedUseGate(manifest({ ...CHILDREN, outsideUse: 'refuse' }), film, neonate);
  assert.equal(refused.run, false);
  assert.match(refused.note!, /^chest-children 1\.0\.0 was not run: outside its intended use/);

  const unknown = intendedUseGate(
    manifest(CHILDREN),
    { domain: 'chest', modality: 'DX' },
    undefined,
  );
  assert.equal(unknown.run, true);
  assert.match(
    (unknown as { mark: { intendedUseNotConfirmed?: string } }).mark.intendedUseNotConfirmed!,
    /age since birth not known/,
  );
  assert.match(unknown.note!, /intended use not confirmed/);
});

const study: StudyContext = {
  patientName: 'Doe^Baby',
  patientId: 'NICU-9',
  patientBirthDate: '20260101',
  patientSex: 'F',
  studyInstanceUid: '2.25.1122',
  studyDate: '20260104',
  studyTime: '093000',
  studyId: 'CXR-1',
  accessionNumber: '',
  referringPhysicianName: '',
  images: [
    {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
      sopInstanceUid: '2.25.3344',
      seriesInstanceUid: '2.25.5566',
    },
  ],
};
const model = { id: 'chest-lungs', version: '0.1.0', sha256: 'a'.repeat(64) };
const report: SignedReport = {
  content: {
    reportId: 'chest-1-CXR',
    patientId: 'NICU-9',
    studyInstanceUid: study.studyInstanceUid,
    instanceIds: [],
    domain: 'chest',
    fields: [
      {
        field: 'ctr',
        ai: {
          value: 0.58,
          model,
          outsideIntendedUse: 'age since birth 3 days is below the model range',
        },
        reader: 0.6,
      },
    ],
    freeText: '',
  },
  version: 1,
  signer: 'Rae Diologist (rad, radiologist)',
  signedAt: '2026-01-04T10:00:00Z',
  models: [model],
  contentHash: 'c'.repeat(64),
};

test('the label is printed with the AI value in the PDF text and the SR', () => {
  const [line] = fieldLines(report.content);
  assert.equal(
    line!.ai,
    '0.58 (chest-lungs 0.1.0) — outside intended use: age since birth 3 days is below the model range',
  );
  const sr = Buffer.from(buildStructuredReport(report, study));
  assert.ok(sr.includes(Buffer.from('outside intended use: age since birth 3 days')));
  const file = join(mkdtempSync(join(tmpdir(), 'neoscope-gate-sr-')), 'sr.dcm');
  writeFileSync(file, sr);
  const iod = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  if (iod.error) return; // the IOD checker is exercised in dicom-exports.test.ts where installed
  assert.doesNotMatch(`${iod.stdout}${iod.stderr}`, /^Error/m, `${iod.stdout}${iod.stderr}`);
});
