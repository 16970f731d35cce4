/**
 * A camera's export folder, chosen with the folder picker: the import table shows each
 * photo's eye from the sidecar CSV, marks a chest film that sits among the fundus photos
 * (named like a right-eye photo) as a chest film without an eye, and what is imported
 * matches the table — fundus photos as Ophthalmic Photography on their eyes, the film as a
 * chest image that no retina model is offered for.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { samplePath, sharedDataPath } from '../core/testing/shared-data.ts';
import { artifacts, openWorkstation, type Harness } from './harness.ts';

let harness: Harness;

before(async () => {
  harness = await openWorkstation('photo-import', { viewport: { width: 1280, height: 800 } });
});

after(async () => harness?.close());

test('a camera export folder: the table shows eyes from the sidecar and the chest film among the photos', async () => {
  const { page, workstation } = harness;
  const folder = join(mkdtempSync(join(tmpdir(), 'neoscope-camera-')), 'RetCam-2011-01-01');
  mkdirSync(folder);
  for (const name of ['Image_01R.jpg', 'Image_01L.jpg', 'fundus-exports.csv'])
    copyFileSync(samplePath(`fundus-exports/${name}`), join(folder, name));
  copyFileSync(
    sharedDataPath('cxr/Montgomery-imlab/images/mont_1.jpg'),
    join(folder, 'Image_02R.jpg'),
  );

  await page.getByTestId('import-folder-input').setInputFiles(folder);
  const form = page.getByRole('dialog', { name: 'Fundus photo details' });
  const table = form.getByTestId('photo-table');
  await table.waitFor();
  const row = (file: string) => table.locator(`tr[data-file-name$="${file}"]`);
  assert.equal(
    await row('Image_01R.jpg')
      .getByLabel(/^Eye of/)
      .inputValue(),
    'OD',
  );
  assert.equal(
    await row('Image_01L.jpg')
      .getByLabel(/^Eye of/)
      .inputValue(),
    'OS',
  );
  assert.match(await row('Image_01L.jpg').innerText(), /eye: the sidecar CSV/);
  assert.equal(
    await row('Image_02R.jpg')
      .getByLabel(/^Kind of/)
      .inputValue(),
    'chest',
  );
  assert.ok(
    await row('Image_02R.jpg')
      .getByLabel(/^Eye of/)
      .isDisabled(),
    'a chest film has no eye',
  );
  // The film has no sidecar row: its patient and date are typed once, above the table.
  assert.match(await row('Image_02R.jpg').innerText(), /needs patient ID, exam date/);
  await form.getByLabel('Patient ID').fill('CHASE-01');
  await form.getByLabel('Exam date').fill('2011-01-01');
  await page.screenshot({ path: join(artifacts, 'photo-import-table.png') });
  await form.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Imported 3 image(s)').first().waitFor();

  const imported = Object.fromEntries(
    workstation.library.list().map((i) => [i.fileName.split('/').pop(), i]),
  );
  assert.deepEqual(
    ['Image_01R.jpg', 'Image_01L.jpg', 'Image_02R.jpg'].map((f) => [
      imported[f]?.sopClassUid,
      imported[f]?.laterality,
      imported[f]?.domain,
      imported[f]?.patientId,
      imported[f]?.studyDate,
    ]),
    [
      ['1.2.840.10008.5.1.4.1.1.77.1.5.1', 'R', 'retina', 'CHASE-01', '20110101'],
      ['1.2.840.10008.5.1.4.1.1.77.1.5.1', 'L', 'retina', 'CHASE-01', '20110101'],
      ['1.2.840.10008.5.1.4.1.1.77.1.4', '', 'chest', 'CHASE-01', '20110101'],
    ],
  );
});
