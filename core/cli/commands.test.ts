/** The `neoscope` CLI in-process: info --json fields, pixels output, errors and exit codes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { runCli } from './commands.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

test('info --json describes a chest film: geometry, spacing with calibration status, domain', async () => {
  const { code, out } = await run('info', samplePath('chest-dx-lateral-highdicom.dcm'), '--json');
  assert.equal(code, 0);
  const info = JSON.parse(out);
  assert.equal(info.series.modality, 'DX');
  assert.equal(info.transferSyntax.uid, '1.2.840.10008.1.2.1');
  assert.deepEqual([info.image.rows, info.image.columns, info.image.frames], [169, 211, 1]);
  assert.equal(info.image.photometric, 'MONOCHROME1');
  assert.equal(info.spacing.source, 'PixelSpacing');
  assert.match(info.calibration, /^calibrated/);
  assert.equal(info.domain, 'chest');
});

test('info recognises the ophthalmic photograph as retina with its laterality', async () => {
  const { code, out } = await run('info', sharedDataPath('dicom/dcmjs/sample-op.dcm'), '--json');
  assert.equal(code, 0);
  const info = JSON.parse(out);
  assert.equal(info.domain, 'retina');
  assert.equal(info.laterality, 'R');
});

test('pixels writes the stored values of the requested frame', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'neoscope-cli-')), 'f1.raw');
  const { code } = await run(
    'pixels',
    sharedDataPath('dicom/dicomParser/encapsulated/multi-frame/CT0012.not_fragmented_bot_rle.dcm'),
    '--frame',
    '1',
    '--out',
    out,
  );
  assert.equal(code, 0);
  const bytes = readFileSync(out);
  assert.equal(bytes.length, 512 * 512 * 2);
  const frame0 = join(tmpdir(), `neoscope-f0-${process.pid}.raw`);
  await run(
    'pixels',
    sharedDataPath('dicom/dicomParser/encapsulated/multi-frame/CT0012.not_fragmented_bot_rle.dcm'),
    '--frame',
    '0',
    '--out',
    frame0,
  );
  assert.notDeepEqual(readFileSync(frame0), bytes, 'frames differ');
});

test('bad input and bad usage give specific errors and exit codes', async () => {
  const truncated = await run(
    'pixels',
    sharedDataPath('dicom/pydicom/MR_truncated.dcm'),
    '--out',
    join(tmpdir(), 'x.raw'),
  );
  assert.equal(truncated.code, 3);
  assert.match(
    truncated.err,
    /DICOM_TRUNCATED_PIXEL_DATA: truncated pixel data: 8,130 of 8,192 bytes/,
  );
  const outOfRange = await run(
    'pixels',
    samplePath('chest-dx-lateral-highdicom.dcm'),
    '--frame',
    '5',
    '--out',
    join(tmpdir(), 'y.raw'),
  );
  assert.equal(outOfRange.code, 3);
  assert.match(outOfRange.err, /DICOM_FRAME_OUT_OF_RANGE/);
  assert.equal((await run('pixels', 'x.dcm')).code, 2);
  assert.equal((await run('frobnicate')).code, 2);
});

test('deidentify writes a file without the patient name, readable by our own parser', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-cli-deid-'));
  const out = join(dir, 'anon.dcm');
  const { code } = await run(
    'deidentify',
    sharedDataPath('dicom/pydicom/CT_small.dcm'),
    out,
    '--key',
    'site-secret',
  );
  assert.equal(code, 0);
  const info = JSON.parse((await run('info', out, '--json')).out);
  assert.equal(info.patient.name, '');
  assert.match(info.sopInstanceUid, /^2\.25\./);
  assert.equal((await run('deidentify', 'a.dcm', 'b.dcm')).code, 2, 'the key is required');
});
