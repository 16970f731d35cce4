/**
 * Import sources: zip archives (with a zip-bomb guard), DICOM media with a DICOMDIR made
 * by dcmtk's dcmmkdir, and JPEG fundus exports with a sidecar CSV or form metadata.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { createLibrary } from './library.ts';
import { readFolderFiles } from './read-folder.ts';
import { readImportPath } from './read-import-path.ts';

const read = (path: string) => new Uint8Array(readFileSync(path));

test('a zip archive is expanded: good files imported, a bad one listed, the archive noted', async () => {
  const zip = zipSync({
    'batch/chest.dcm': read(samplePath('chest-dx-lateral-highdicom.dcm')),
    'batch/mr.dcm': read(sharedDataPath('dicom/pydicom/MR_small.dcm')),
    'batch/truncated.dcm': read(sharedDataPath('dicom/pydicom/MR_truncated.dcm')),
  });
  const report = await createLibrary().importFiles([{ name: 'site-a.zip', bytes: zip }]);
  assert.deepEqual(report.imported.map((i) => i.fileName).sort(), [
    'site-a.zip/batch/chest.dcm',
    'site-a.zip/batch/mr.dcm',
  ]);
  assert.deepEqual(
    report.failed.map((f) => [f.fileName, f.code]),
    [['site-a.zip/batch/truncated.dcm', 'DICOM_TRUNCATED_PIXEL_DATA']],
  );
  assert.match(report.skipped[0]!.reason, /zip archive expanded: 3 file/);
});

test('a zip bomb is refused before it is expanded in full', async () => {
  const zip = zipSync({ 'zeros.dcm': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
  const report = await createLibrary().importFiles([{ name: 'bomb.zip', bytes: zip }]);
  assert.equal(report.failed[0]?.code, 'IMPORT_ARCHIVE_TOO_LARGE');
  assert.equal(report.imported.length, 0);
});

test('DICOM media: the DICOMDIR is recognised and the images it lists are imported', async () => {
  const media = mkdtempSync(join(tmpdir(), 'neoscope-media-'));
  mkdirSync(join(media, 'IMAGES'));
  copyFileSync(sharedDataPath('dicom/pydicom/CT_small.dcm'), join(media, 'IMAGES', 'IM000001'));
  copyFileSync(sharedDataPath('dicom/pydicom/MR_small.dcm'), join(media, 'IMAGES', 'IM000002'));
  execFileSync(
    'dcmmkdir',
    ['--recurse', '--input-directory', media, '--output-file', join(media, 'DICOMDIR'), 'IMAGES'],
    { stdio: 'pipe' },
  );
  const report = await createLibrary().importFiles(await readFolderFiles(media));
  assert.equal(report.imported.length, 2);
  const dicomdir = report.skipped.find((s) => s.fileName === 'DICOMDIR');
  assert.ok(dicomdir, 'DICOMDIR is noted, not refused');
  assert.match(dicomdir.reason, /DICOMDIR media index with \d+ directory records/);
  assert.deepEqual(report.failed, []);
});

test('fundus exports take patient and eye from the sidecar CSV and keep their colours', async () => {
  const library = createLibrary();
  const report = await library.importFiles(await readFolderFiles(samplePath('fundus-exports')));
  assert.deepEqual(report.failed, []);
  const byEye = Object.fromEntries(report.imported.map((i) => [i.laterality, i]));
  assert.equal(byEye.L?.fileName, 'Image_01L.jpg');
  assert.equal(byEye.R?.fileName, 'Image_01R.jpg');
  assert.equal(byEye.L?.patientId, 'CHASE-01');
  assert.equal(byEye.L?.domain, 'retina');
  assert.equal(byEye.L?.studyDate, '20110101');
  const frame = await library.frame(byEye.L!.instanceId, 0);
  assert.equal(frame.samplesPerPixel, 3);
  assert.deepEqual([frame.columns, frame.rows], [byEye.L!.columns, byEye.L!.rows]);
  // A fundus is red-dominant: in the central region the mean red exceeds green, green exceeds blue.
  const sum = [0, 0, 0];
  for (let y = Math.floor(frame.rows * 0.3); y < frame.rows * 0.7; y++)
    for (let x = Math.floor(frame.columns * 0.3); x < frame.columns * 0.7; x++)
      for (let c = 0; c < 3; c++) sum[c]! += frame.pixels[(y * frame.columns + x) * 3 + c]!;
  assert.ok(sum[0]! > sum[1]! && sum[1]! > sum[2]!, `mean R/G/B ${sum.join('/')}`);
});

test('a fundus export without metadata is refused with what to do; the form metadata imports it', async () => {
  const library = createLibrary();
  const bytes = read(samplePath('fundus-exports/Image_01R.jpg'));
  const refused = await library.importFiles([{ name: 'Image_01R.jpg', bytes }]);
  assert.equal(refused.failed[0]?.code, 'IMPORT_PHOTO_METADATA_MISSING');
  assert.match(refused.failed[0]!.message, /sidecar CSV .* or fill in the import form/);
  const accepted = await library.importFiles([
    {
      name: 'Image_01R.jpg',
      bytes,
      photo: { patientId: 'NICU-42', eye: 'OD', examDate: '20261120' },
    },
  ]);
  assert.equal(accepted.imported[0]?.laterality, 'R');
  assert.match(accepted.imported[0]!.domainReason, /import form/);
});

test('a sidecar CSV with a bad row says which row and why', async () => {
  const csv = new TextEncoder().encode(
    'file,patient_id,eye\nImage_01R.jpg,P1,OD\nImage_01L.jpg,P1,nose\n',
  );
  const report = await createLibrary().importFiles([{ name: 'meta.csv', bytes: csv }]);
  assert.equal(report.failed[0]?.code, 'IMPORT_SIDECAR_INVALID');
  assert.match(report.failed[0]!.message, /row 3: .*OD\/OS\/R\/L/);
});

test('the same file twice is a duplicate; a different file with the same SOP Instance UID is flagged', async () => {
  const library = createLibrary();
  const original = read(sharedDataPath('dicom/pydicom/MR_small.dcm'));
  const edited = original.slice();
  edited[edited.length - 1] = edited[edited.length - 1]! ^ 0xff; // one pixel byte differs, same header
  const report = await library.importFiles([
    { name: 'a.dcm', bytes: original },
    { name: 'a-copy.dcm', bytes: original.slice() },
    { name: 'a-edited.dcm', bytes: edited },
  ]);
  assert.deepEqual(
    report.duplicates.map((d) => d.fileName),
    ['a-copy.dcm'],
  );
  const flagged = report.imported.find((i) => i.fileName === 'a-edited.dcm');
  assert.deepEqual(
    flagged?.warnings.map((w) => w.code),
    ['DICOM_SOP_INSTANCE_UID_CONFLICT'],
  );
});

test('choosing a DICOMDIR file imports the medium it indexes', async () => {
  const media = mkdtempSync(join(tmpdir(), 'neoscope-media2-'));
  mkdirSync(join(media, 'IMAGES'));
  copyFileSync(sharedDataPath('dicom/pydicom/CT_small.dcm'), join(media, 'IMAGES', 'IM000001'));
  execFileSync(
    'dcmmkdir',
    ['--recurse', '--input-directory', media, '--output-file', join(media, 'DICOMDIR'), 'IMAGES'],
    { stdio: 'pipe' },
  );
  const files = await readImportPath(join(media, 'DICOMDIR'));
  assert.deepEqual(files.map((f) => f.name).sort(), ['DICOMDIR', 'IMAGES/IM000001']);
});
