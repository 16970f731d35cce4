import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog, readAuditEntries, verifyAuditLog, verifyAuditText } from './audit-log.ts';

async function logWith(entries: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'neoscope-audit-')), 'audit.log');
  const log = new AuditLog(path, () => new Date('2026-11-23T10:00:00Z'));
  for (let i = 0; i < entries; i++)
    await log.append({
      actor: 'dr.a',
      action: i % 2 ? 'view' : 'import',
      subject: `instance-${i}`,
      details: { n: i },
    });
  return path;
}

test('an intact chain verifies; concurrent appends keep sequence and links', async () => {
  const path = await logWith(0);
  const log = new AuditLog(path);
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      log.append({ actor: 'tech', action: 'import', subject: `s${i}` }),
    ),
  );
  const check = await verifyAuditLog(path);
  assert.deepEqual({ ok: check.ok, entries: check.entries }, { ok: true, entries: 20 });
  assert.deepEqual(
    (await readAuditEntries(path)).map((e) => e.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  // A fresh writer continues the chain where the file ends.
  await new AuditLog(path).append({ actor: 'tech', action: 'export', subject: 'batch-1' });
  assert.equal((await verifyAuditLog(path)).entries, 21);
});

test('flipping any single byte of the log is detected, at or before the entry that holds it', async () => {
  const path = await logWith(4);
  const bytes = readFileSync(path);
  const lineStarts = [0];
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0x0a) lineStarts.push(i + 1);
  let detected = 0;
  for (let i = 0; i < bytes.length; i++) {
    const copy = Buffer.from(bytes);
    copy[i] = copy[i]! ^ 0x01;
    const check = verifyAuditText(copy.toString('latin1'));
    assert.equal(
      check.ok,
      false,
      `byte ${i} (${JSON.stringify(String.fromCharCode(bytes[i]!))}) flipped undetected`,
    );
    const entryOfByte = lineStarts.filter((s) => s <= i).length;
    if (!check.ok)
      assert.ok(
        check.brokenAt <= entryOfByte + 1,
        `byte ${i} in entry ${entryOfByte} reported at ${check.brokenAt}`,
      );
    detected++;
  }
  assert.equal(detected, bytes.length);
});

test('a removed entry, a torn last line and a broken chain each get their own reason; nothing is appended to a broken log', async () => {
  const path = await logWith(3);
  const lines = readFileSync(path, 'utf8').split('\n');
  const removed = verifyAuditText([lines[0], lines[2], ''].join('\n'));
  assert.ok(
    !removed.ok && removed.brokenAt === 2 && /sequence number 3 where 2/.test(removed.reason),
  );
  const torn = verifyAuditText(readFileSync(path, 'utf8').slice(0, -20));
  assert.ok(!torn.ok && torn.brokenAt === 3 && /incomplete/.test(torn.reason));

  const edited = lines[1]!.replace('"view"', '"edit"');
  writeFileSync(path, [lines[0], edited, lines[2], ''].join('\n'));
  const check = await verifyAuditLog(path);
  assert.ok(
    !check.ok && check.brokenAt === 2 && /content does not match its hash/.test(check.reason),
  );
  await assert.rejects(
    new AuditLog(path).append({ actor: 'x', action: 'view', subject: 'y' }),
    /broken at entry 2/,
  );
});

test('neoscope audit verify: exit 0 on an intact folder, 4 naming the first broken entry or report', async () => {
  const { runCli } = await import('../cli/commands.ts');
  const { SignedReportStore } = await import('../reports/signed-reports.ts');
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-data-'));
  const log = new AuditLog(join(folder, 'audit.log'));
  await log.append({ actor: 'tech', action: 'import', subject: 'study-1' });
  const store = new SignedReportStore(join(folder, 'reports'), log);
  await store.sign(
    {
      reportId: 'r1',
      patientId: 'p',
      studyInstanceUid: '2.25.9',
      instanceIds: [],
      domain: 'chest',
      fields: [{ field: 'ctr', reader: 0.55 }],
      freeText: '',
    },
    'dr.rad',
  );
  const run = async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['audit', 'verify', '--data', folder], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  const intact = await run();
  assert.equal(intact.code, 0, intact.err);
  assert.match(intact.out, /2 entries.*\n.*1 version/);

  const report = join(folder, 'reports', 'r1', 'v1.json');
  const original = readFileSync(report, 'utf8');
  chmodSync(report, 0o644);
  writeFileSync(report, original.replace('0.55', '0.45'));
  const tamperedReport = await run();
  assert.equal(tamperedReport.code, 4);
  assert.match(
    tamperedReport.err,
    /signed report BROKEN: .*r1\/v1\.json: its content does not match its signed hash/,
  );
  writeFileSync(report, original);

  const logText = readFileSync(join(folder, 'audit.log'), 'utf8');
  writeFileSync(join(folder, 'audit.log'), logText.replace('"study-1"', '"study-2"'));
  const tamperedLog = await run();
  assert.equal(tamperedLog.code, 4);
  assert.match(tamperedLog.err, /audit log BROKEN at entry 1 \(line 1/);
});
