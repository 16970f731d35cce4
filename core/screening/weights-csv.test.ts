import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWeightsCsv, weightsOf } from './weights-csv.ts';

test('rows of patient_id,date,grams', () => {
  const csv =
    'patient_id,date,grams\nNICU-7,2026-01-11,1180\nNICU-7,2026-01-20,1302.5\nNICU-8,2026-01-11,900\n';
  assert.deepEqual(parseWeightsCsv(csv), {
    rows: [
      { patientId: 'NICU-7', date: '2026-01-11', grams: 1180 },
      { patientId: 'NICU-7', date: '2026-01-20', grams: 1302.5 },
      { patientId: 'NICU-8', date: '2026-01-11', grams: 900 },
    ],
    errors: [],
  });
});

test('header in any order and case, extra columns, CRLF, a byte-order mark, blank lines', () => {
  const csv =
    '\uFEFFGrams,Ward,Patient_ID,Date\r\n1180,B,NICU-7,2026-01-11\r\n\r\n 900 ,B, NICU-8 ,2026-01-12\r\n';
  assert.deepEqual(parseWeightsCsv(csv), {
    rows: [
      { patientId: 'NICU-7', date: '2026-01-11', grams: 1180 },
      { patientId: 'NICU-8', date: '2026-01-12', grams: 900 },
    ],
    errors: [],
  });
});

test('quoted fields may hold commas and quotes', () => {
  const csv = 'patient_id,date,grams\n"Smith, baby ""B""",2026-01-11,1180\n';
  assert.deepEqual(parseWeightsCsv(csv).rows, [
    { patientId: 'Smith, baby "B"', date: '2026-01-11', grams: 1180 },
  ]);
});

test('the header is required', () => {
  assert.deepEqual(parseWeightsCsv('NICU-7,2026-01-11,1180\n'), {
    rows: [],
    errors: [
      {
        line: 1,
        message:
          'line 1: the header must name the columns patient_id,date,grams (missing: patient_id, date, grams)',
      },
    ],
  });
  assert.equal(
    parseWeightsCsv('patient_id,day,grams\n').errors[0]!.message,
    'line 1: the header must name the columns patient_id,date,grams (missing: date)',
  );
  assert.equal(parseWeightsCsv('').errors[0]!.line, 1);
});

test('each bad row is reported with its line number and left out', () => {
  const csv = [
    'patient_id,date,grams',
    'NICU-7,2026-01-11,1180',
    ',2026-01-12,1190',
    'NICU-7,2026-02-30,1200',
    'NICU-7,12/01/2026,1200',
    'NICU-7,2026-01-13,',
    'NICU-7,2026-01-14,heavy',
    'NICU-7,2026-01-15,0',
    'NICU-7,2026-01-16,10001',
    'NICU-7,2026-01-17',
    '"NICU-7,2026-01-18,1200',
    'NICU-7,2026-01-19,1210',
  ].join('\n');
  const { rows, errors } = parseWeightsCsv(csv);
  assert.deepEqual(rows, [
    { patientId: 'NICU-7', date: '2026-01-11', grams: 1180 },
    { patientId: 'NICU-7', date: '2026-01-19', grams: 1210 },
  ]);
  assert.deepEqual(
    errors.map((e) => e.message),
    [
      'line 3: patient_id is empty',
      'line 4: date "2026-02-30" is not a calendar date (YYYY-MM-DD)',
      'line 5: date "12/01/2026" is not a calendar date (YYYY-MM-DD)',
      'line 6: grams "" is not a weight in grams (more than 0, at most 10000)',
      'line 7: grams "heavy" is not a weight in grams (more than 0, at most 10000)',
      'line 8: grams "0" is not a weight in grams (more than 0, at most 10000)',
      'line 9: grams "10001" is not a weight in grams (more than 0, at most 10000)',
      'line 10: grams "" is not a weight in grams (more than 0, at most 10000)',
      'line 11: a quoted field is not closed',
    ],
  );
  assert.deepEqual(
    errors.map((e) => e.line),
    [3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
});

test("one infant's weights in date order", () => {
  const { rows } = parseWeightsCsv(
    'patient_id,date,grams\nA,2026-01-20,1300\nB,2026-01-10,900\nA,2026-01-11,1180\nA,2026-01-20,1310\n',
  );
  assert.deepEqual(weightsOf(rows, 'A'), [
    { date: '2026-01-11', grams: 1180 },
    { date: '2026-01-20', grams: 1300 },
    { date: '2026-01-20', grams: 1310 },
  ]);
  assert.deepEqual(weightsOf(rows, 'C'), []);
});
