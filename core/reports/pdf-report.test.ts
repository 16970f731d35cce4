import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { buildPdfReport } from './pdf-report.ts';
import type { SignedReport } from './signed-reports.ts';

test('the PDF shows AI and reader values, the model and the signature block, and renders with pdftoppm', async () => {
  const model = { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) };
  const report: SignedReport = {
    content: {
      reportId: 'exam-1-OD',
      patientId: 'NICU-1',
      studyInstanceUid: '2.25.1',
      instanceIds: [],
      domain: 'retina',
      fields: [
        { field: 'tortuosity_index', ai: { value: 1.083, model }, reader: 1.083 },
        {
          field: 'vascular_category',
          ai: { value: 'below standard photograph', model },
          reader: 'at or above plus mean',
        },
        { field: 'zone', reader: 'II' },
      ],
      freeText: 'Re-examine in 1 week — both eyes.',
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
    'below standard photograph (retina-vessels 0.1.0)',
    'at or above plus mean',
    '(corrected AI)',
    '1.083 (accepted AI)',
    'Electronically signed by Ada Reader (ada, ophthalmologist)',
    `sha256:${'c'.repeat(64)}`,
    'INVESTIGATIONAL',
    'Re-examine in 1 week - both eyes.',
  ]) {
    assert.ok(text.stdout.includes(expected), `PDF text lacks "${expected}":\n${text.stdout}`);
  }
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
