import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { buildPdfReport } from './pdf-report.ts';
import type { SignedReport } from './signed-reports.ts';
import { assessVisit } from '../review/rop-assessment.ts';

test('the PDF speaks clinically: OD and OS side by side, GA, PMA, summary and next exam; AI and reader values, the model and the signature block; it renders with pdftoppm', async () => {
  const model = { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) };
  const fields = [
    { field: 'od_zone', reader: 'II' },
    { field: 'od_stage', reader: '2' },
    { field: 'od_plus', reader: 'pre-plus' },
    { field: 'od_tortuosity_index', ai: { value: 1.083, model }, reader: 1.083 },
    {
      field: 'od_vascular_category',
      ai: { value: 'below standard photograph', model },
      reader: 'at or above plus mean',
    },
    { field: 'os_zone', reader: 'II' },
    { field: 'os_stage', reader: '1' },
    { field: 'os_plus', reader: 'none' },
    { field: 'os_a_rop', reader: null },
  ];
  const report: SignedReport = {
    content: {
      reportId: 'exam-1-OD',
      patientId: 'NICU-1',
      studyInstanceUid: '2.25.1',
      instanceIds: [],
      domain: 'retina',
      fields,
      clinical: {
        examDate: '2026-11-23',
        birthDate: '2026-09-01',
        gaAtBirth: '26+3 weeks',
        pmaAtExam: '38+2 weeks',
        pmaDays: 268,
      },
      assessment: assessVisit(fields, { examDate: '2026-11-23', pmaDays: 268 }),
      freeText: 'Re-examine in 1 week — both eyes.',
      measurements: [
        // The line is printed from the numbers: a stale reading next to them is not what is shown.
        {
          instanceId: 'a'.repeat(64),
          kind: 'ctr',
          values: [
            {
              quantity: 'cardiothoracic-ratio',
              value: 0.55,
              unit: 'ratio',
              calibration: 'not-applicable',
            },
            { quantity: 'cardiac-width', value: 44, unit: 'mm', calibration: 'uncalibrated' },
            { quantity: 'thoracic-width', value: 80, unit: 'mm', calibration: 'uncalibrated' },
          ],
          label: 'CTR 0.40',
          by: 'ada',
          at: '2026-11-23T10:00:00.000Z',
        },
        // Signed before numbers were kept: the frozen reading.
        {
          instanceId: 'a'.repeat(64),
          kind: 'length',
          label: '7.5 mm',
          by: 'ada',
          at: '2026-11-23T10:01:00.000Z',
        },
      ],
    },
    version: 1,
    signer: 'Ada Reader (ada, ophthalmologist)',
    signedAt: '2026-11-23T10:15:00.000Z',
    models: [model],
    contentHash: 'c'.repeat(64),
  };
  const png = await sharp({
    create: { width: 120, height: 90, channels: 3, background: { r: 180, g: 60, b: 20 } },
  })
    .png()
    .toBuffer();
  const pdf = await buildPdfReport(
    report,
    {
      patientName: 'Doe^Baby',
      patientId: 'NICU-1',
      patientBirthDate: '20260901',
      patientSex: 'F',
      studyInstanceUid: '2.25.1',
      studyDate: '20261123',
      studyTime: '0930',
      studyId: '1',
      accessionNumber: '',
      referringPhysicianName: '',
      images: [],
    },
    [{ caption: 'OD with vessel overlay', png: new Uint8Array(png) }],
    [
      {
        ...model,
        name: 'Retinal vessel segmentation',
        investigational: true,
        intendedUse: 'Measurement support.',
      },
    ],
  );
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-pdf-'));
  writeFileSync(join(folder, 'report.pdf'), pdf);
  const text = spawnSync('pdftotext', ['-layout', join(folder, 'report.pdf'), '-'], {
    encoding: 'utf8',
  });
  assert.equal(text.status, 0, `pdftotext (poppler-utils) is needed: ${text.stderr ?? text.error}`);
  for (const expected of [
    'ROP screening report',
    'Patient: Doe Baby, ID NICU-1, female, born 2026-09-01',
    'GA at birth 26+3 weeks, PMA at exam 38+2 weeks',
    'Exam: 2026-11-23',
    'OD zone II stage 2, pre-plus; OS zone II stage 1; next exam in 1–2 weeks'.replace('–', '-'),
    'Next exam: 1-2 weeks, due by 2026-12-07',
    'OD (right eye): ETROP neither',
    'OD (right eye)',
    'OS (left eye)',
    'Tortuosity index (measured)',
    'AI below standard photograph',
    'at or above plus mean',
    '(corrected AI)',
    '1.083 (accepted AI)',
    'Electronically signed by Ada Reader (ada, ophthalmologist)',
    `sha256:${'c'.repeat(64)}`,
    'INVESTIGATIONAL',
    'Re-examine in 1 week - both eyes.',
    'Cardiothoracic ratio: CTR 0.55 · heart 44 mm / thorax 80 mm (uncalibrated) - by ada, 2026-11-23 10:00',
    'Length: 7.5 mm - by ada, 2026-11-23 10:01',
  ]) {
    assert.ok(text.stdout.includes(expected), `PDF text lacks "${expected}":\n${text.stdout}`);
  }
  // No internal key reaches the page.
  for (const key of ['od_', 'os_', 'a rop', 'tortuosity index', '20261123', 'born unknown'])
    assert.ok(!text.stdout.includes(key), `PDF text shows "${key}":\n${text.stdout}`);
  const render = spawnSync('pdftoppm', [
    '-png',
    '-r',
    '50',
    join(folder, 'report.pdf'),
    join(folder, 'page'),
  ]);
  assert.equal(render.status, 0);
  const pages = readdirSync(folder).filter((n) => n.startsWith('page') && n.endsWith('.png'));
  assert.equal(pages.length, 1);
  // The embedded image is on the page: its orange is found in the rendering.
  const { data, info } = await sharp(join(folder, pages[0]!))
    .raw()
    .toBuffer({ resolveWithObject: true });
  let orange = 0;
  for (let i = 0; i < data.length; i += info.channels)
    if (data[i]! > 150 && data[i + 1]! < 90 && data[i + 2]! < 60) orange++;
  assert.ok(orange > 500, `${orange} image pixels on the rendered page`);
});

test('a Korean name prints in Hangul and hanja on the report, not as "?"', async () => {
  const report: SignedReport = {
    content: {
      reportId: 'chest-1-CXR',
      patientId: 'KR-7',
      studyInstanceUid: '2.25.7',
      instanceIds: [],
      domain: 'chest',
      fields: [{ field: 'ctr', reader: 0.61 }],
      freeText: '',
    },
    version: 1,
    signer: 'Kim Reader (kim, radiologist)',
    signedAt: '2026-11-23T10:15:00.000Z',
    models: [],
    contentHash: 'c'.repeat(64),
  };
  const pdf = await buildPdfReport(
    report,
    {
      patientName: 'Hong^Gildong=洪^吉洞=홍^길동',
      patientId: 'KR-7',
      patientBirthDate: '',
      patientSex: 'M',
      studyInstanceUid: '2.25.7',
      studyDate: '20261123',
      studyTime: '',
      studyId: '',
      accessionNumber: '',
      referringPhysicianName: '',
      images: [],
    },
    [],
    [],
  );
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-pdf-kr-'));
  writeFileSync(join(folder, 'r.pdf'), pdf);
  const text = spawnSync('pdftotext', [join(folder, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout;
  assert.match(text, /Patient: Hong Gildong \/ 洪 吉洞 \/ 홍 길동, ID KR-7, male/);
  assert.doesNotMatch(text, /\?\?/);
});
