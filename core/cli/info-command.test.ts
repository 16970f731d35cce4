/**
 * `neoscope info --json` reports what the importer finds: every malformed file in the
 * shared manifest gives its specific code (as the error, with a non-zero exit, or as a
 * warning), errors are JSON on stdout, and names are decoded with their character set.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dicomRows, isMalformed } from '../testing/manifest.ts';
import { sharedDataPath } from '../testing/shared-data.ts';
import { runCli } from './commands.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** Each MALFORMED file and the code `info` must give for it: 'error' refuses, 'warning' flags. */
const EXPECTED: Record<string, { code: string; as: 'error' | 'warning' }> = {
  'dicom/pydicom/MR_truncated.dcm': { code: 'DICOM_TRUNCATED_PIXEL_DATA', as: 'error' },
  'dicom/pydicom/JPEG2000-embedded-sequence-delimiter.dcm': {
    code: 'DICOM_CODEC_FAILED',
    as: 'error',
  },
  'dicom/pydicom/JPEG-lossy.dcm': { code: 'DICOM_JPEG_SCAN_PARAMETERS', as: 'warning' },
  'dicom/pydicom/ExplVR_BigEndNoMeta.dcm': { code: 'DICOM_NO_FILE_META', as: 'warning' },
  'dicom/pydicom/no_meta.dcm': { code: 'DICOM_NOT_DICOM', as: 'error' },
  'dicom/pydicom/meta_missing_tsyntax.dcm': { code: 'DICOM_MISSING_TRANSFER_SYNTAX', as: 'error' },
  'dicom/pydicom/badVR.dcm': { code: 'DICOM_INVALID_ATTRIBUTE', as: 'error' },
  'dicom/pydicom/rtplan_truncated.dcm': { code: 'DICOM_TRUNCATED', as: 'error' },
  'dicom/pydicom-data/emri_small_jpeg_2k_lossless_too_short.dcm': {
    code: 'DICOM_MISSING_SEQUENCE_DELIMITER',
    as: 'warning',
  },
  'dicom/pydicom-data/bad_sequence.dcm': { code: 'DICOM_UN_SEQUENCE', as: 'warning' },
  'dicom/fo-dicom/GH1339.dcm': { code: 'DICOM_MISSING_SEQUENCE_DELIMITER', as: 'warning' },
  'dicom/fo-dicom/GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm': {
    code: 'DICOM_PARSE_FAILED',
    as: 'error',
  },
  'dicom/fo-dicom/GH340.dcm': { code: 'DICOM_INVALID_ATTRIBUTE', as: 'error' },
  'dicom/fo-dicom/GH1301.dcm': { code: 'DICOM_INVALID_CS_VALUE', as: 'warning' },
  'dicom/dcmjs/no-meta-length-test.dcm': { code: 'DICOM_META_GROUP_LENGTH_MISSING', as: 'warning' },
};

test('the table names every MALFORMED file of the manifest', () => {
  assert.deepEqual(
    dicomRows()
      .filter(isMalformed)
      .map((row) => row.path)
      .sort(),
    Object.keys(EXPECTED).sort(),
  );
});

for (const [path, expected] of Object.entries(EXPECTED)) {
  test(`info --json ${path}: ${expected.code} as ${expected.as}`, async () => {
    const { code, out, err } = await run('info', sharedDataPath(path), '--json');
    assert.equal(err, '', 'nothing on stderr with --json');
    const info = JSON.parse(out) as {
      error?: { code: string; message: string };
      warnings?: { code: string; message: string }[];
    };
    if (expected.as === 'error') {
      assert.notEqual(code, 0);
      assert.equal(info.error?.code, expected.code);
      assert.ok((info.error?.message.length ?? 0) > 20, info.error?.message);
    } else {
      assert.equal(code, 0, JSON.stringify(info.error));
      const warning = info.warnings?.find((w) => w.code === expected.code);
      assert.ok(warning, `warnings: ${JSON.stringify(info.warnings)}`);
      assert.ok(warning.message.length > 20, warning.message);
    }
    for (const w of info.warnings ?? []) assert.match(w.code, /^DICOM_[A-Z0-9_]+$/);
  });
}

test('a file the importer refuses is still described, with the refusal as error', async () => {
  const { code, out } = await run(
    'info',
    sharedDataPath('dicom/pydicom/JPEG2000-embedded-sequence-delimiter.dcm'),
    '--json',
  );
  assert.equal(code, 3);
  const info = JSON.parse(out);
  assert.equal(info.series.modality, 'NM');
  assert.equal(info.transferSyntax.uid, '1.2.840.10008.1.2.4.91');
  assert.equal(info.error.code, 'DICOM_CODEC_FAILED');
  const truncated = JSON.parse(
    (await run('info', sharedDataPath('dicom/pydicom/MR_truncated.dcm'), '--json')).out,
  );
  assert.deepEqual(truncated, {
    error: {
      code: 'DICOM_TRUNCATED_PIXEL_DATA',
      message: 'truncated pixel data: 8,130 of 8,192 bytes',
      file: 'MR_truncated.dcm',
    },
  });
});

test('unreadable input: JSON error on stdout with --json, text on stderr without', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-info-'));
  const missing = await run('info', join(dir, 'absent.dcm'), '--json');
  assert.equal(missing.code, 3);
  assert.deepEqual(JSON.parse(missing.out), {
    error: {
      code: 'FILE_UNREADABLE',
      message: 'cannot read the file (ENOENT)',
      file: 'absent.dcm',
    },
  });
  writeFileSync(join(dir, 'notes.txt'), 'not an image at all');
  const text = await run('info', join(dir, 'notes.txt'), '--json');
  assert.equal(JSON.parse(text.out).error.code, 'DICOM_NOT_DICOM');
  const plain = await run('info', join(dir, 'notes.txt'));
  assert.equal(plain.code, 3);
  assert.equal(plain.out, '');
  assert.match(plain.err, /notes\.txt: DICOM_NOT_DICOM: not a DICOM file/);
});

test('text output lists the warnings; names are decoded with the character set', async () => {
  const { code, out } = await run('info', sharedDataPath('dicom/fo-dicom/GH1301.dcm'));
  assert.equal(code, 0);
  assert.match(out, /^patient {7}Wang\^XiaoDong=王\^小东= /m);
  assert.match(out, /^charset {7}GB18030$/m);
  assert.match(out, /^warning {7}DICOM_INVALID_CS_VALUE: /m);
  const json = JSON.parse(
    (await run('info', sharedDataPath('dicom/fo-dicom/GH1301.dcm'), '--json')).out,
  );
  assert.equal(json.patient.name, 'Wang^XiaoDong=王^小东=');
  assert.deepEqual(json.patient.nameGroups, {
    alphabetic: 'Wang^XiaoDong',
    ideographic: '王^小东',
    phonetic: '',
  });
});
