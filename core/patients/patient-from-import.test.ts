import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseGestationalAge, weeksAndDays } from '../library/photo-export.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { libraryFor } from '../workstation/stored-library.ts';
import { samplePath } from '../testing/shared-data.ts';
import { PatientRecords } from './patient-records.ts';

test('gestational age as written in sidecars: weeks, weeks+days, decimal weeks', () => {
  assert.deepEqual(weeksAndDays(parseGestationalAge('27+2')!), { weeks: 27, days: 2 });
  assert.deepEqual(weeksAndDays(parseGestationalAge(' 31 ')!), { weeks: 31, days: 0 });
  assert.deepEqual(weeksAndDays(parseGestationalAge('27.5')!), { weeks: 27, days: 4 }); // 27.5 weeks = 192.5 days, rounded
  for (const bad of ['', '27+7', '2+1', '50', 'unknown'])
    assert.equal(parseGestationalAge(bad), undefined, bad);
});

test('birth date and GA from a sidecar are kept with the patient; a later disagreeing import is flagged, the record kept', async () => {
  const data = await openDataFolder(mkdtempSync(join(tmpdir(), 'neoscope-patient-import-')));
  try {
    const library = libraryFor(data);
    const photo = (name: string) => ({
      name,
      bytes: new Uint8Array(readFileSync(samplePath(`fundus-exports/${name}`))),
    });
    const csv = (ga: string, birth = '2010-11-20') => ({
      name: 'sidecar.csv',
      bytes: new TextEncoder().encode(
        `file,patient_id,birth_date,exam_date,eye,ga_weeks\nImage_01R.jpg,NICU-7,${birth},2011-01-01,OD,${ga}\nImage_01L.jpg,NICU-7,${birth},2011-01-01,OS,${ga}\n`,
      ),
    });

    const first = await library.importFiles([photo('Image_01R.jpg'), csv('27+2')], 'tech');
    assert.deepEqual(first.imported[0]!.warnings, []);
    const records = new PatientRecords(data.db, data.audit);
    assert.deepEqual(records.get('NICU-7'), {
      patientId: 'NICU-7',
      birthDate: '2010-11-20',
      gaWeeks: 27,
      gaDays: 2,
    });

    const second = await library.importFiles([photo('Image_01L.jpg'), csv('28')], 'tech');
    assert.deepEqual(
      second.imported[0]!.warnings.map((w) => w.code),
      ['PATIENT_RECORD_DIFFERS'],
    );
    assert.match(second.imported[0]!.warnings[0]!.message, /28\+0 weeks.*27\+2 weeks and is kept/);
    assert.deepEqual(records.get('NICU-7'), {
      patientId: 'NICU-7',
      birthDate: '2010-11-20',
      gaWeeks: 27,
      gaDays: 2,
    });
  } finally {
    data.close();
  }
});

test('an impossible birth date is reported on the image and not recorded; the image is still imported', async () => {
  const data = await openDataFolder(mkdtempSync(join(tmpdir(), 'neoscope-patient-import-')));
  try {
    const report = await libraryFor(data).importFiles([
      {
        name: 'Image_01R.jpg',
        bytes: new Uint8Array(readFileSync(samplePath('fundus-exports/Image_01R.jpg'))),
      },
      {
        name: 'sidecar.csv',
        bytes: new TextEncoder().encode(
          'file,patient_id,birth_date,exam_date,eye,ga_weeks\nImage_01R.jpg,NICU-8,2999-01-01,2011-01-01,OD,27\n',
        ),
      },
    ]);
    assert.equal(report.imported.length, 1);
    assert.deepEqual(
      report.imported[0]!.warnings.map((w) => w.code),
      ['PATIENT_RECORD_INVALID'],
    );
    assert.equal(new PatientRecords(data.db, data.audit).get('NICU-8'), undefined);
  } finally {
    data.close();
  }
});
