/**
 * Acceptance: each of the files marked MALFORMED in the shared manifest yields a specific
 * problem — a stable code and a message naming it — never an uncaught exception, never a
 * hang; files that can still be shown are imported flagged with a warning, files that
 * cannot are refused with their reason. Importing a folder with them keeps every good file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLibrary } from '../library/library.ts';
import { dicomRows, isMalformed } from '../testing/manifest.ts';
import { sharedDataPath } from '../testing/shared-data.ts';

const GENERIC_CODES = new Set(['API_INTERNAL', 'API_INVALID_RESULT']);
const malformed = dicomRows().filter(isMalformed);

test('the manifest lists 15 malformed files', () => assert.equal(malformed.length, 15));

for (const row of malformed) {
  test(`${row.path} gives a specific problem`, async () => {
    const library = createLibrary();
    const started = performance.now();
    const report = await library.importFiles([
      { name: row.path, bytes: new Uint8Array(readFileSync(sharedDataPath(row.path))) },
    ]);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 2, `took ${seconds.toFixed(2)} s`);
    const problems = [...report.failed, ...report.imported.flatMap((i) => i.warnings)];
    assert.ok(problems.length > 0, 'at least one problem is reported');
    for (const problem of problems) {
      assert.match(problem.code, /^DICOM_[A-Z_]+$/, `stable DICOM code, got ${problem.code}`);
      assert.ok(!GENERIC_CODES.has(problem.code));
      assert.ok(
        problem.message.length > 20,
        `a message that names the problem: "${problem.message}"`,
      );
    }
    console.log(
      `# ${row.path}: ${report.failed.length ? 'refused' : 'imported with warnings'}: ${problems.map((p) => `${p.code} — ${p.message}`).join(' | ')}`,
    );
  });
}

test('specific messages for the classic defects', async () => {
  const library = createLibrary();
  const read = (path: string) => ({
    name: path,
    bytes: new Uint8Array(readFileSync(sharedDataPath(path))),
  });
  const report = await library.importFiles(
    [
      'dicom/pydicom/MR_truncated.dcm',
      'dicom/pydicom/meta_missing_tsyntax.dcm',
      'dicom/pydicom/rtplan_truncated.dcm',
    ].map(read),
  );
  const byFile = Object.fromEntries(report.failed.map((f) => [f.fileName, f]));
  assert.equal(byFile['dicom/pydicom/MR_truncated.dcm']?.code, 'DICOM_TRUNCATED_PIXEL_DATA');
  assert.equal(
    byFile['dicom/pydicom/MR_truncated.dcm']?.message,
    'truncated pixel data: 8,130 of 8,192 bytes',
  );
  assert.equal(
    byFile['dicom/pydicom/meta_missing_tsyntax.dcm']?.code,
    'DICOM_MISSING_TRANSFER_SYNTAX',
  );
  assert.match(
    byFile['dicom/pydicom/rtplan_truncated.dcm']?.message ?? '',
    /element \(300A,00B0\) .* declares 976 bytes, only 711 remain/,
  );
});

test('a folder with malformed files imports every good image and lists each bad one', async () => {
  const library = createLibrary();
  const rows = dicomRows();
  const report = await library.importFiles(
    rows.map((row) => ({
      name: row.path,
      bytes: new Uint8Array(readFileSync(sharedDataPath(row.path))),
    })),
  );
  const failedNames = new Set(report.failed.map((f) => f.fileName));
  const wellFormedImages = rows.filter(
    (r) =>
      !isMalformed(r) &&
      !/no pixel data|non-image|Structured Report|\(no pixel data\)/i.test(r.description),
  );
  for (const row of wellFormedImages) {
    if (/TS=-|PI=-/.test(row.description)) continue; // not an image (SR, RT, private sequence)
    assert.ok(
      !failedNames.has(row.path),
      `${row.path} should import: ${report.failed.find((f) => f.fileName === row.path)?.message}`,
    );
  }
  assert.equal(
    report.imported.length + report.failed.length + report.duplicates.length,
    rows.length,
  );
  for (const failure of report.failed) assert.ok(failure.message.length > 10);
  console.log(
    `# folder import: ${report.imported.length} imported (${report.imported.filter((i) => i.warnings.length).length} with warnings), ${report.duplicates.length} duplicates, ${report.failed.length} refused`,
  );
});
