import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog, readAuditEntries } from '../audit/audit-log.ts';
import { SignedReportStore, verifySignedReports, type ReportContent } from './signed-reports.ts';

const vessels = { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) };

function draft(reader: string): ReportContent {
  return {
    reportId: 'exam-0001-OD',
    patientId: 'NICU-17',
    studyInstanceUid: '2.25.1',
    instanceIds: ['f'.repeat(64)],
    domain: 'retina',
    fields: [
      { field: 'plus', ai: { value: 'pre-plus', confidence: 0.71, model: vessels }, reader },
      { field: 'zone', reader: 'II' },
    ],
    freeText: 'Follow-up in 1 week.',
  };
}

function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-reports-'));
  const audit = new AuditLog(join(folder, 'audit.log'));
  return {
    folder,
    audit,
    store: new SignedReportStore(
      join(folder, 'reports'),
      audit,
      () => new Date('2026-11-23T10:00:00Z'),
    ),
  };
}

test('a signed report is frozen: read-only on disk, never signed twice; an amendment keeps both versions', async () => {
  const { folder, audit, store } = setup();
  const v1 = await store.sign(draft('pre-plus'), 'dr.ophth');
  assert.deepEqual(v1.models, [vessels]);
  const v1Path = join(folder, 'reports', 'exam-0001-OD', 'v1.json');
  assert.equal(statSync(v1Path).mode & 0o222, 0, 'no write permission on a signed version');
  const v1Bytes = readFileSync(v1Path);
  await assert.rejects(
    store.sign(draft('plus'), 'dr.other'),
    (e: Error & { code?: string }) => e.code === 'REPORT_ALREADY_SIGNED',
  );

  await assert.rejects(store.amend(draft('plus'), 'dr.ophth', ' '), /needs a reason/);
  const v2 = await store.amend(draft('plus'), 'dr.ophth', 'plus seen on re-review');
  assert.equal(v2.version, 2);
  assert.deepEqual(v2.amends, {
    version: 1,
    contentHash: v1.contentHash,
    reason: 'plus seen on re-review',
  });
  assert.deepEqual(readFileSync(v1Path), v1Bytes, 'the amended version is untouched');
  assert.deepEqual(await store.versions('exam-0001-OD'), [1, 2]);
  assert.equal((await store.read('exam-0001-OD', 1)).content.fields[0]!.reader, 'pre-plus');

  const entries = await readAuditEntries(audit.path);
  assert.deepEqual(
    entries.map((e) => [e.action, e.details?.version, e.details?.contentHash]),
    [
      ['sign-off', 1, v1.contentHash],
      ['amendment', 2, v2.contentHash],
    ],
  );
  assert.deepEqual(await verifySignedReports(join(folder, 'reports'), entries), {
    ok: true,
    reports: 2,
  });
  await assert.rejects(
    store.sign({ ...draft('x'), reportId: '../escape' }, 'dr'),
    /not a safe file name/,
  );
});

test('flipping any byte of a signed report is detected and names the file', async () => {
  const { folder, audit, store } = setup();
  await store.sign(draft('none'), 'dr.ophth');
  const path = join(folder, 'reports', 'exam-0001-OD', 'v1.json');
  const original = readFileSync(path);
  const entries = await readAuditEntries(audit.path);
  chmodSync(path, 0o644);
  for (let i = 0; i < original.length; i++) {
    const copy = Buffer.from(original);
    copy[i] = copy[i]! ^ 0x01;
    writeFileSync(path, copy);
    const check = await verifySignedReports(join(folder, 'reports'), entries);
    assert.ok(!check.ok && check.file === path, `byte ${i} flipped undetected`);
  }
  writeFileSync(path, original);
  assert.equal((await verifySignedReports(join(folder, 'reports'), entries)).ok, true);
  // A report the audit log never saw signed (e.g. planted) is rejected too.
  assert.match(
    JSON.stringify(await verifySignedReports(join(folder, 'reports'), [])),
    /no sign-off for this version/,
  );
});

test('recovery after a crash: a committed sign-off is completed, an uncommitted one discarded, a torn audit line cut and recorded', async () => {
  const { openDataFolder } = await import('../store/data-folder.ts');
  const { verifyDataFolder } = await import('../store/verify-data-folder.ts');
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-recover-'));
  let data = await openDataFolder(folder);
  const signed = await data.reports.sign(draft('none'), 'dr.ophth');
  data.close();
  const reportFolder = join(folder, 'reports', 'exam-0001-OD');
  const final = join(reportFolder, 'v1.json');
  // Crash after the audit commit, before the rename: only the partial file is there.
  const bytes = readFileSync(final);
  chmodSync(final, 0o644);
  const { renameSync } = await import('node:fs');
  renameSync(final, join(reportFolder, '.v1.json.partial'));
  // Crash before the commit of a second report: partial file and claim, no audit entry.
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(folder, 'reports', 'r2'));
  writeFileSync(join(folder, 'reports', 'r2', '.v1.json.partial'), '{"content":');
  writeFileSync(join(folder, 'reports', 'r2', 'v1.lock'), '');
  // And a torn last audit line.
  const { appendFileSync, existsSync } = await import('node:fs');
  appendFileSync(join(folder, 'audit.log'), '{"seq":2,"time":"2026');

  data = await openDataFolder(folder);
  try {
    assert.deepEqual(
      data.recovered.map((r) => r.replace(/\(.*\)/, '').trim()),
      [
        'removed an incomplete last audit entry',
        'completed sign-off exam-0001-OD/v1',
        'discarded unfinished sign-off r2/v1',
      ],
    );
    assert.deepEqual(readFileSync(final), bytes);
    assert.equal((await data.reports.read('exam-0001-OD', 1)).contentHash, signed.contentHash);
    assert.equal(
      existsSync(join(folder, 'reports', 'r2', 'v1.lock')),
      false,
      'the unfinished claim is freed',
    );
    const check = await verifyDataFolder(folder);
    assert.ok(check.ok, check.lines.join('\n'));
    // The r2 version can now be signed for real.
    await data.reports.sign({ ...draft('none'), reportId: 'r2' }, 'dr.ophth');
  } finally {
    data.close();
  }
});
