/**
 * Tamper evidence, attack by attack, on a real data folder made through the API: a
 * radiologist signs a chest film's report, then someone with access to the files edits them
 * directly. Each attack must be reported by `neoscope audit verify` (exit 4, its own code)
 * and, where it touches a signed report, refused by every export:
 *  - edit v1.json, recompute its hash and the whole audit chain: the signature no longer fits;
 *  - delete v1.json: the audit log says it was signed;
 *  - delete the last audit line after a checkpoint left the machine: the chain is shorter;
 *  - rewrite an entry before a checkpoint and recompute the chain: the checkpoint differs;
 *  - edit v1.json without fixing the hash: PDF, SR and results package refused;
 *  - SQLite edits: a technician made admin, a patient renamed (and not on the PDF), a
 *    field-change row rewritten.
 * Plus the happy path, and a password reset that keeps earlier signatures verifiable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OperationName } from '../api/contract.ts';
import { runCli } from '../cli/commands.ts';
import { readFolderFiles } from '../library/read-folder.ts';
import { openDatabase } from '../store/database.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation, type Workstation } from '../workstation/create-workstation.ts';
import { canonicalJson } from '../base/canonical-json.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const RAD = { username: 'rad', password: 'chest-film-9' };

async function open(folder: string) {
  const ws = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder: folder });
  const call = async <T = never>(op: OperationName, args: unknown): Promise<T> => {
    const r = await ws.dispatch(op, args);
    if (!r.ok)
      throw Object.assign(new Error(`${op}: ${r.error.code}: ${r.error.message}`), {
        code: r.error.code,
      });
    return r.value as T;
  };
  return { ws, call };
}

/** A data folder with an admin, a technician and a radiologist, and one signed chest report. */
async function signedReport() {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-tamper-'));
  const { ws, call } = await open(folder);
  await call('users.create', {
    username: 'admin',
    displayName: 'Site Admin',
    role: 'admin',
    password: 'admin-pass-1',
  });
  await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
  await call('users.create', {
    username: 'tech',
    displayName: 'Tess Tech',
    role: 'technician',
    password: 'tech-pass-22',
  });
  await call('users.create', {
    username: 'rad',
    displayName: 'Rae Rad',
    role: 'radiologist',
    password: RAD.password,
  });
  const files = (await readFolderFiles(join(projectRoot, 'dicom-samples'))).filter((f) =>
    f.name.endsWith('chest-dx-lateral-highdicom.dcm'),
  );
  const { imported } = await ws.library.importFiles(files, 'tech');
  const instance = imported[0]!;
  await call('auth.login', RAD);
  const draft = await call<{ content: { reportId: string } }>('review.open', {
    instanceIds: [instance.instanceId],
  });
  const reportId = draft.content.reportId;
  await call('review.setField', { reportId, field: 'cardiomegaly', value: 'no' });
  await call('review.setField', { reportId, field: 'bpd_findings', value: 'none' });
  await call('review.sign', { reportId, password: RAD.password });
  return {
    folder,
    ws,
    call,
    reportId,
    instance,
    reportFile: join(folder, 'reports', reportId, 'v1.json'),
    auditLog: join(folder, 'audit.log'),
  };
}

async function verify(folder: string, ...extra: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['audit', 'verify', '--data', folder, ...extra], {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
  });
  return { code, out, err, text: `${out}${err}` };
}

function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-tamper-pdf-'));
  writeFileSync(join(dir, 'r.pdf'), bytes);
  const run = spawnSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `pdftotext (poppler-utils) is needed: ${run.stderr ?? run.error}`);
  return run.stdout;
}

/** What an attacker does to v1.json; with `rehash`, the content hash is recomputed to match. */
function editReport(
  file: string,
  change: (
    report: Record<string, unknown> & { content: { fields: { field: string; reader: unknown }[] } },
  ) => void,
  rehash: boolean,
): string {
  chmodSync(file, 0o644);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  change(report);
  if (rehash) {
    const { contentHash: _old, signature: _signature, ...body } = report;
    report.contentHash = sha256(canonicalJson(body));
  }
  writeFileSync(file, `${canonicalJson(report)}\n`);
  return report.contentHash;
}

/** What an attacker does to audit.log: edit entries, then recompute every sequence number and hash. */
function rechain(
  file: string,
  edit: (entries: Record<string, unknown>[]) => Record<string, unknown>[],
) {
  const entries = edit(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
  let prev = '0'.repeat(64);
  for (const [i, e] of entries.entries()) {
    e.seq = i + 1;
    e.prevHash = prev;
    const { hash: _hash, ...body } = e;
    e.hash = sha256(canonicalJson(body));
    prev = e.hash as string;
  }
  writeFileSync(file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** A direct edit of the SQLite file, with the workstation closed (as an attacker would). */
function sqlite(folder: string, edit: (db: ReturnType<typeof openDatabase>) => void) {
  const db = openDatabase(folder);
  try {
    edit(db);
  } finally {
    db.close();
  }
}

const close = (ws: Workstation) => ws.data?.close();
const setReader =
  (field: string, value: string) =>
  (r: { content: { fields: { field: string; reader: unknown }[] } }) =>
    void (r.content.fields.find((f) => f.field === field)!.reader = value);

test(
  "happy path: signed with the reader's key, verify exits 0, PDF and SR export with the checkpoint and the key on the PDF",
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, reportFile } = await signedReport();
    try {
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      assert.equal(
        report.signature?.algorithm,
        'Ed25519',
        "the report carries the reader's signature",
      );
      assert.equal(report.signature?.username, 'rad');
      assert.equal(
        report.content.study?.patientName,
        'Dog AVeryGood',
        'the patient is frozen into the signed content',
      );
      const pdf = await call<{ bytes: Uint8Array }>('report.pdf', { reportId, version: 1 });
      const text = pdfText(pdf.bytes);
      assert.match(text, /Patient: Dog AVeryGood, ID 123456,/);
      assert.match(
        text,
        new RegExp(`Ed25519 signature by rad, key fingerprint ${report.signature.keyFingerprint}`),
      );
      const footer = /Audit checkpoint: (\d+) entries, hash ([0-9a-f]{64})/.exec(text);
      assert.ok(footer, `the PDF carries the audit checkpoint:\n${text}`);
      const sr = await call<{ bytes: Uint8Array }>('report.dicom', { reportId, version: 1 });
      assert.ok(sr.bytes.length > 500);
      const intact = await verify(folder, '--checkpoint', `${footer[1]}:${footer[2]}`);
      assert.equal(intact.code, 0, intact.text);
      assert.match(intact.out, /signed reports intact: 1 version/);
      assert.match(intact.out, /checkpoints: the chain passes through all \d+ known/);
      assert.match(
        intact.out,
        /database agrees with the audit log: 3 account\(s\), 3 signing key\(s\), 0 patient record\(s\), 1 instance\(s\), 2 field change\(s\)/,
      );
    } finally {
      close(ws);
    }
  },
);

test(
  'attack: edit v1.json, recompute its hash and the audit chain; the signature catches it and exports refuse',
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, reportFile, auditLog } = await signedReport();
    try {
      const forged = editReport(reportFile, setReader('cardiomegaly', 'yes'), true);
      rechain(auditLog, (entries) =>
        entries.map((e) =>
          e.action === 'sign-off'
            ? { ...e, details: { ...(e.details as object), contentHash: forged } }
            : e,
        ),
      );
      const check = await verify(folder);
      assert.equal(check.code, 4, check.text);
      assert.match(
        check.err,
        /REPORT_SIGNATURE_INVALID: signed report BROKEN: .*v1\.json: the signature by rad .* does not match the content/,
      );
      assert.match(
        check.err,
        /audit verify FAILED: 1 problem\(s\); the first: REPORT_SIGNATURE_INVALID/,
      );
      await assert.rejects(
        call('report.pdf', { reportId, version: 1 }),
        (e: Error & { code?: string }) =>
          e.code === 'REPORT_TAMPERED' && /REPORT_SIGNATURE_INVALID/.test(e.message),
      );
    } finally {
      close(ws);
    }
  },
);

test(
  'attack: delete reports/<id>/v1.json; the audit log says it was signed',
  { timeout: 180_000 },
  async () => {
    const { folder, ws, reportFile } = await signedReport();
    try {
      unlinkSync(reportFile);
      const check = await verify(folder);
      assert.equal(check.code, 4, check.text);
      assert.match(
        check.err,
        /REPORT_MISSING: signed report BROKEN: .*v1\.json: the audit log records its sign-off \(entry \d+, hash [0-9a-f]{16}…\) but the file is gone \(deleted\)/,
      );
    } finally {
      close(ws);
    }
  },
);

test(
  "attack: delete the last audit line after a checkpoint left on a PDF; a cut past the PDF's checkpoint is caught with --checkpoint",
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, auditLog } = await signedReport();
    const text = pdfText(
      (await call<{ bytes: Uint8Array }>('report.pdf', { reportId, version: 1 })).bytes,
    );
    close(ws);
    const lines = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      auditLog,
      lines
        .slice(0, -1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const cut = await verify(folder);
    assert.equal(cut.code, 4, cut.text);
    assert.match(
      cut.err,
      new RegExp(
        `AUDIT_TRUNCATED: the audit log has ${lines.length - 1} entries but .* says it had ${lines.length}: entries were removed from its end`,
      ),
    );
    const footer = /Audit checkpoint: (\d+) entries, hash ([0-9a-f]{64})/.exec(text);
    assert.ok(footer, 'the PDF carries the checkpoint');

    // The attacker also removes what the folder remembers of the checkpoint, and cuts back past it:
    // only the copy that left the machine (the PDF footer) still shows it.
    rmSync(join(folder, 'audit-checkpoints.jsonl'), { force: true });
    const n = Number(footer[1]);
    writeFileSync(
      auditLog,
      lines
        .slice(0, n - 1)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const withPdf = await verify(folder, '--checkpoint', `${footer[1]}:${footer[2]}`);
    assert.equal(withPdf.code, 4, withPdf.text);
    assert.match(
      withPdf.err,
      new RegExp(
        `AUDIT_TRUNCATED: the audit log has ${n - 1} entries but the checkpoint given to audit verify says it had ${n}`,
      ),
    );
  },
);

test(
  'attack: rewrite an entry before a checkpoint and recompute the chain after it; the checkpoint no longer matches',
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, auditLog } = await signedReport();
    await call('report.pdf', { reportId, version: 1 });
    close(ws);
    // The technician's import is made to look like the admin's, and the chain recomputed.
    rechain(auditLog, (entries) =>
      entries.map((e) => (e.action === 'import' ? { ...e, actor: 'admin' } : e)),
    );
    const check = await verify(folder);
    assert.equal(check.code, 4, check.text);
    assert.match(
      check.err,
      /AUDIT_CHECKPOINT_MISMATCH: entry \d+ hashes to [0-9a-f]{64}, but .* says [0-9a-f]{64}: the log was rewritten up to there/,
    );
  },
);

test(
  'attack: edit v1.json without fixing the hash; PDF, SR and results exports are refused, and verify names it',
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, reportFile, instance } = await signedReport();
    try {
      editReport(reportFile, setReader('cardiomegaly', 'yes'), false);
      const refused = (e: Error & { code?: string }) =>
        e.code === 'REPORT_TAMPERED' &&
        /is not exported: REPORT_TAMPERED: its content does not match its signed hash/.test(
          e.message,
        );
      await assert.rejects(call('report.pdf', { reportId, version: 1 }), refused);
      await assert.rejects(call('report.dicom', { reportId, version: 1 }), refused);
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('exchange.initSite', { siteId: 'hub-B', passphrase: 'hub-site-pass-1' });
      await call('auth.login', RAD);
      await assert.rejects(
        call('exchange.exportResults', { patientId: instance.patientId }),
        refused,
      );
      const check = await verify(folder);
      assert.equal(check.code, 4, check.text);
      assert.match(
        check.err,
        /REPORT_TAMPERED: signed report BROKEN: .*v1\.json: its content does not match its signed hash/,
      );
    } finally {
      close(ws);
    }
  },
);

test(
  'attack: a technician made admin in SQLite directly is reported',
  { timeout: 180_000 },
  async () => {
    const { folder, ws } = await signedReport();
    close(ws);
    sqlite(folder, (db) => db.run("UPDATE users SET role = 'admin' WHERE username = 'tech'"));
    const check = await verify(folder);
    assert.equal(check.code, 4, check.text);
    assert.match(
      check.err,
      /ACCOUNT_ROLE_ALTERED: account tech is admin in the database, but the audit log gives technician \(entry \d+\)/,
    );
  },
);

/** The sample's patient renamed in the instances table, as someone with the SQLite file would. */
async function renamedPatient() {
  const signed = await signedReport();
  close(signed.ws);
  sqlite(signed.folder, (db) => {
    const row = db.get('SELECT summary_json FROM instances WHERE id = ?', [
      signed.instance.instanceId,
    ])!;
    db.run('UPDATE instances SET summary_json = ? WHERE id = ?', [
      JSON.stringify({ ...JSON.parse(String(row.summary_json)), patientName: 'Mallory^Eve' }),
      signed.instance.instanceId,
    ]);
  });
  return signed;
}

test(
  'attack: a patient renamed in SQLite is reported by audit verify',
  { timeout: 180_000 },
  async () => {
    const { folder } = await renamedPatient();
    const check = await verify(folder);
    assert.equal(check.code, 4, check.text);
    assert.match(
      check.err,
      /PATIENT_IDENTITY_ALTERED: instance [0-9a-f]{12}… \(chest-dx-lateral-highdicom\.dcm\): the patient's name or ID in the database \(now "Mallory\^Eve", "123456"\) is not what was imported/,
    );
  },
);

test(
  'attack: a patient renamed in SQLite is not shown on the re-exported signed PDF: it prints the name that was signed',
  { timeout: 180_000 },
  async () => {
    const { folder, reportId } = await renamedPatient();
    const again = await open(folder);
    try {
      await again.call('auth.login', RAD);
      const text = pdfText(
        (await again.call<{ bytes: Uint8Array }>('report.pdf', { reportId, version: 1 })).bytes,
      );
      assert.doesNotMatch(text, /Mallory/, 'the renamed patient is not on the signed report');
      assert.match(text, /Patient: Dog AVeryGood, ID 123456,/);
    } finally {
      close(again.ws);
    }
  },
);

test(
  'attack: a field-change history row rewritten in SQLite is reported',
  { timeout: 180_000 },
  async () => {
    const { folder, ws } = await signedReport();
    close(ws);
    sqlite(folder, (db) =>
      db.run("UPDATE field_changes SET to_value = 'yes' WHERE field = 'cardiomegaly'"),
    );
    const check = await verify(folder);
    assert.equal(check.code, 4, check.text);
    assert.match(
      check.err,
      /FIELD_HISTORY_ALTERED: report chest-[0-9a-f]+-[A-Z]+: change 1 in the database \(row \d+\) reads "cardiomegaly: null → "yes" by rad", but the audit log recorded "cardiomegaly: null → "no" by rad" \(entry \d+\): the history was rewritten/,
    );
  },
);

test(
  'a password reset makes a new key; the old public key stays on record and earlier signatures still verify',
  { timeout: 180_000 },
  async () => {
    const { folder, ws, call, reportId, reportFile } = await signedReport();
    try {
      const v1 = JSON.parse(readFileSync(reportFile, 'utf8'));
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.resetPassword', { username: 'rad', password: 'new-chest-film-10' });
      await call('auth.login', { username: 'rad', password: 'new-chest-film-10' });
      await call('review.amend', { reportId });
      await call('review.setField', { reportId, field: 'cardiomegaly', value: 'yes' });
      await call('review.sign', {
        reportId,
        password: 'new-chest-film-10',
        reason: 'cardiomegaly on re-review',
      });
      const v2 = JSON.parse(readFileSync(join(folder, 'reports', reportId, 'v2.json'), 'utf8'));
      assert.ok(v1.signature && v2.signature, 'both versions are signed');
      assert.notEqual(
        v2.signature.keyFingerprint,
        v1.signature.keyFingerprint,
        'the reset made a new key',
      );
      const keys = ws.data!.db.all(
        "SELECT fingerprint, retired_at FROM signing_keys WHERE username = 'rad' ORDER BY created_at, rowid",
      );
      assert.deepEqual(
        keys.map((k) => [k.fingerprint, k.retired_at !== null]),
        [
          [v1.signature.keyFingerprint, true],
          [v2.signature.keyFingerprint, false],
        ],
      );
      const check = await verify(folder);
      assert.equal(check.code, 0, check.text);
      assert.match(check.out, /signed reports intact: 2 version/);
      for (const version of [1, 2])
        assert.match(
          pdfText((await call<{ bytes: Uint8Array }>('report.pdf', { reportId, version })).bytes),
          /Ed25519 signature by rad/,
        );
      assert.equal(existsSync(join(folder, 'audit-checkpoints.jsonl')), true);
    } finally {
      close(ws);
    }
  },
);
