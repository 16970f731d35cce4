/**
 * The signed report as DICOM: the SR and the overlay Secondary Capture pass dcmtk
 * (dsrdump, dcmdump) and dicom3tools' IOD checker (dciodvfy) with no errors, and carry
 * the values, the models and the signer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDicomBytes } from '../dicom/parse.ts';
import { readString } from '../dicom/attributes.ts';
import { buildSecondaryCapture } from './secondary-capture.ts';
import type { SignedReport } from './signed-reports.ts';
import { buildStructuredReport, type StudyContext } from './structured-report.ts';
import { assessVisit } from '../review/rop-assessment.ts';

const study: StudyContext = {
  patientName: 'Doe^Baby Girl',
  patientId: 'NICU-17',
  patientBirthDate: '20260901',
  patientSex: 'F',
  studyInstanceUid: '2.25.112233',
  studyDate: '20261123',
  studyTime: '093000',
  studyId: 'ROP-4',
  accessionNumber: 'A1001',
  referringPhysicianName: '',
  laterality: 'R',
  images: [
    {
      sopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.5.1',
      sopInstanceUid: '2.25.445566',
      seriesInstanceUid: '2.25.778899',
    },
  ],
};

const report: SignedReport = {
  content: {
    reportId: 'exam-17-OD',
    patientId: 'NICU-17',
    studyInstanceUid: study.studyInstanceUid,
    instanceIds: [],
    domain: 'retina',
    fields: [
      {
        field: 'plus',
        ai: {
          value: 'pre-plus',
          confidence: 0.71,
          model: { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) },
        },
        reader: 'plus',
      },
      { field: 'zone', reader: 'II' },
      {
        field: 'mean tortuosity index',
        ai: {
          value: 1.18,
          model: { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) },
        },
        reader: 1.18,
      },
    ],
    freeText: 'Treat within 72 hours.',
  },
  version: 1,
  signer: 'Ada Reader',
  signedAt: '2026-11-23T10:15:00Z',
  models: [{ id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) }],
  contentHash: 'c'.repeat(64),
};

function tool(command: string, args: string[]): { status: number | null; output: string } {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.error)
    throw new Error(
      `${command} is needed for this test (apt-get install -y dcmtk dicom3tools): ${run.error.message}`,
    );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('the Comprehensive SR passes dsrdump and dciodvfy without errors and holds AI and reader values', () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-sr-'));
  const file = join(folder, 'report.dcm');
  const bytes = buildStructuredReport(report, study);
  writeFileSync(file, bytes);
  const iod = tool('dciodvfy', [file]);
  assert.doesNotMatch(iod.output, /^Error/m, iod.output);
  assert.match(iod.output, /ComprehensiveSR/);
  const dump = tool('dsrdump', [file]);
  assert.equal(dump.status, 0, dump.output);
  for (const expected of [
    '"Reader\'s value")="plus"',
    '"AI value")="pre-plus"',
    '"Algorithm Name")="retina-vessels"',
    'Verification Flag   : VERIFIED',
    '"Comment")="Treat within 72 hours."',
  ]) {
    assert.ok(dump.output.includes(expected), `dsrdump lacks ${expected}:\n${dump.output}`);
  }
  assert.match(dump.output, /Verifying Observers : 2026-11-23 10:15:00, (Reader\^Ada|Ada Reader)/);
  // It belongs to the original study and is readable by NeoScope's own parser.
  const parsed = parseDicomBytes(bytes, 'report.dcm');
  assert.equal(readString(parsed.dataSet, 'x0020000d'), study.studyInstanceUid);
  assert.equal(readString(parsed.dataSet, 'x00080060'), 'SR');
});

test('an ROP visit SR: each eye a Findings container with its coded laterality, the ages as NUM in days, the summary as Conclusion and the next exam as Recommendation; dciodvfy clean', () => {
  const fields = [
    { field: 'od_zone', reader: 'II' },
    { field: 'od_stage', reader: '3' },
    { field: 'od_plus', reader: 'plus' },
    { field: 'os_zone', reader: 'II' },
    { field: 'os_stage', reader: '1' },
    { field: 'os_plus', reader: 'none' },
  ];
  const visit: SignedReport = {
    ...report,
    content: {
      ...report.content,
      reportId: 'retina-abc-OU',
      fields,
      clinical: {
        examDate: '2026-11-23',
        gaAtBirth: '25+4 weeks',
        pmaDays: 262,
        pmaAtExam: '37+3 weeks',
      },
      assessment: assessVisit(fields, { examDate: '2026-11-23', pmaDays: 262 }),
    },
  };
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-sr-visit-'));
  const file = join(folder, 'visit.dcm');
  writeFileSync(file, buildStructuredReport(visit, study));
  const iod = tool('dciodvfy', [file]);
  assert.doesNotMatch(iod.output, /^Error/m, iod.output);
  const dump = tool('dsrdump', ['+Pc', '+Pl', file]).output;
  for (const expected of [
    '(121070,DCM,"Findings")',
    '(272741003,SCT,"Laterality")=(24028007,SCT,"Right")',
    '(272741003,SCT,"Laterality")=(7771000,SCT,"Left")',
    '(ZONE,99NEOSCOPE,"Zone")=SEPARATE',
    '(STAGE,99NEOSCOPE,"Stage (most severe)")=SEPARATE',
    '(GA-AT-BIRTH,99NEOSCOPE,"Gestational age at birth")="179" (d,UCUM,"day")',
    '(PMA-AT-EXAM,99NEOSCOPE,"Postmenstrual age at exam")="262" (d,UCUM,"day")',
    '(121077,DCM,"Conclusion")="OD zone II stage 3, plus disease; OS zone II stage 1; Type 1 ROP — treatment warranted"',
    '(ETROP,99NEOSCOPE,"ETROP classification")="type 1, treatment warranted',
    '(121075,DCM,"Recommendation")="Next exam: treatment within 72 hours',
  ])
    assert.ok(dump.includes(expected), `dsrdump lacks ${expected}:\n${dump}`);
  assert.doesNotMatch(dump, /od_|os_/, 'no internal field key is a concept meaning');
  // Each eye's container holds that eye's entries: stage 3 with plus on the right, stage 1 on the left.
  const right = dump.slice(dump.indexOf('"Right")'), dump.indexOf('"Left")'));
  const left = dump.slice(dump.indexOf('"Left")'), dump.indexOf('"Conclusions"'));
  assert.match(right, /"Reader's value"\)="3"[\s\S]*"Reader's value"\)="plus"/);
  assert.match(left, /"Reader's value"\)="1"[\s\S]*"Reader's value"\)="none"/);
});

test('reader measurements are NUM items in UCUM units; uncalibrated ones say so; readings-only ones stay TEXT', () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-sr-'));
  const file = join(folder, 'report.dcm');
  const at = '2026-11-23T10:00:00.000Z';
  const measured: SignedReport = {
    ...report,
    content: {
      ...report.content,
      measurements: [
        {
          instanceId: 'a'.repeat(64),
          kind: 'length',
          values: [{ quantity: 'length', value: 12.345, unit: 'mm', calibration: 'uncalibrated' }],
          label: '12.3 mm (uncalibrated)',
          by: 'ada',
          at,
        },
        {
          instanceId: 'a'.repeat(64),
          kind: 'zone-i',
          values: [
            { quantity: 'zone-i-radius', value: 100, unit: 'px', calibration: 'uncalibrated' },
            { quantity: 'disc-fovea-distance', value: 50, unit: 'px', calibration: 'uncalibrated' },
          ],
          label: 'zone I radius 100 px (2 × disc–fovea 50 px)',
          by: 'ada',
          at,
        },
        // Signed before numbers were kept: the reading, as it was frozen.
        { instanceId: 'a'.repeat(64), kind: 'angle', label: '45.0°', by: 'ada', at },
      ],
    },
  };
  writeFileSync(file, buildStructuredReport(measured, study));
  const iod = tool('dciodvfy', [file]);
  assert.doesNotMatch(iod.output, /^Error/m, iod.output);
  const dump = tool('dsrdump', ['+Pc', '+Pl', file]).output;
  for (const expected of [
    'NUM:(410668003,SCT,"Length")="12.345" (mm,UCUM,"mm")',
    'has properties TEXT:(CALIBRATION,99NEOSCOPE,"Calibration")="uncalibrated: Imager or Nominal Scanned Pixel Spacing, not corrected for geometric magnification"',
    'NUM:(131190003,SCT,"Radius")="100" ({pixels},UCUM,"pixels")',
    'NUM:(121206,DCM,"Distance")="50" ({pixels},UCUM,"pixels")',
    'TEXT:(READING,99NEOSCOPE,"Reading as shown")="length: 12.3 mm (uncalibrated) (by ada)"',
    'TEXT:(MEASUREMENT,99NEOSCOPE,"Reader measurement")="angle: 45.0° (by ada)"',
  ])
    assert.ok(dump.includes(expected), `dsrdump lacks ${expected}:\n${dump}`);
});

test('the overlay Secondary Capture passes dcmdump and dciodvfy and keeps its pixels', () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-sc-'));
  const file = join(folder, 'overlay.dcm');
  const rgb = new Uint8Array(40 * 30 * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb[i] = 200; // red overlay colour
  writeFileSync(
    file,
    buildSecondaryCapture(
      {
        width: 40,
        height: 30,
        rgb,
        description: 'vessel map by retina-vessels 0.1.0',
        source: study.images[0]!,
      },
      study,
      { operator: 'Ada Reader' },
    ),
  );
  const iod = tool('dciodvfy', [file]);
  assert.doesNotMatch(iod.output, /^Error/m, iod.output);
  assert.match(iod.output, /SCImage/);
  const dump = tool('dcmdump', [file]);
  assert.equal(dump.status, 0, dump.output);
  assert.match(dump.output, /\(0028,0004\) CS \[RGB\]/);
  assert.match(dump.output, /\(0008,2111\) ST \[vessel map by retina-vessels 0\.1\.0\]/);
  const ppm = join(folder, 'overlay.ppm');
  assert.equal(tool('dcm2pnm', [file, ppm]).status, 0);
  const image = spawnSync('head', ['-c', '20', ppm]).stdout.toString('latin1');
  assert.match(image, /^P6\s+40 30\s+255/);
});
