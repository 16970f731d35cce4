/**
 * Signing keys per account: sealed under the password (nothing usable in the database
 * without it), made at the first sign-off for an account from before keys, replaced at a
 * password reset; a key planted in the database, a report re-signed with a key the account
 * never had, one signed with a key a reset had replaced, and a report whose signature was
 * stripped are each reported.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { fingerprintOf, newEd25519KeyPair, signEd25519 } from '../audit/ed25519.ts';
import { verifyDataFolder } from '../store/verify-data-folder.ts';
import {
  reportBytes,
  reportHash,
  type ReportContent,
  type SignedReport,
} from '../reports/signed-reports.ts';
import { ReviewService } from '../review/review-service.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { Accounts } from './accounts.ts';
import { hashPassword } from './passwords.ts';
import { openSealedSecret } from './sealed-key.ts';

const exam = {
  reportId: 'exam-1-OD',
  patientId: 'NICU-1',
  studyInstanceUid: '2.25.1',
  instanceIds: [],
  domain: 'retina' as const,
};

async function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-keys-'));
  const data = await openDataFolder(folder);
  const accounts = new Accounts(data.db, data.audit);
  await accounts.create(
    { username: 'admin', displayName: 'Admin', role: 'admin', password: 'admin-pass-1' },
    'first-run',
  );
  const ada = await accounts.create(
    {
      username: 'ada',
      displayName: 'Ada Reader',
      role: 'ophthalmologist',
      password: 'retina-2026!',
    },
    'admin',
  );
  const review = new ReviewService(data.db, data.audit, data.reports, accounts);
  const sign = async (reportId: string, password: string) => {
    await review.open(ada, { ...exam, reportId });
    await review.setField(ada, reportId, 'od_zone', 'II');
    return review.sign(ada, reportId, password);
  };
  return { folder, data, accounts, ada, review, sign };
}

const problems = async (folder: string) =>
  (await verifyDataFolder(folder)).problems.map((p) => `${p.code}: ${p.message}`).join('\n');

test('sealed keys: nothing usable in the database without the password; the wrong password or another account does not open one', async () => {
  const { data } = await setup();
  try {
    const sealed = String(
      data.db.get("SELECT signing_key_sealed FROM users WHERE username = 'ada'")!
        .signing_key_sealed,
    );
    assert.doesNotMatch(sealed, /PRIVATE KEY/);
    assert.ok(await openSealedSecret(sealed, 'retina-2026!', 'neoscope signing key of ada'));
    assert.equal(
      await openSealedSecret(sealed, 'retina-2027!', 'neoscope signing key of ada'),
      undefined,
    );
    assert.equal(
      await openSealedSecret(sealed, 'retina-2026!', 'neoscope signing key of admin'),
      undefined,
      'bound to its account',
    );
    const keys = (await readAuditEntries(data.audit.path))
      .filter((e) => e.action === 'signing-key')
      .map((e) => [e.subject, e.details?.reason]);
    assert.deepEqual(keys, [
      ['user:admin', 'account created'],
      ['user:ada', 'account created'],
    ]);
  } finally {
    data.close();
  }
});

test('an account from before signing keys gets one at its first sign-off, recorded in the audit log', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-keys-legacy-'));
  const data = await openDataFolder(folder);
  try {
    // An account as an earlier version made it: a password hash, an audited creation, no key.
    data.db.run(
      'INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      [
        'ada',
        'Ada Reader',
        'ophthalmologist',
        await hashPassword('retina-2026!'),
        new Date().toISOString(),
      ],
    );
    await data.audit.append({
      actor: 'admin',
      action: 'edit',
      subject: 'user:ada',
      details: { created: true, role: 'ophthalmologist' },
    });
    const accounts = new Accounts(data.db, data.audit);
    assert.deepEqual(accounts.keyHistory('ada'), []);
    const review = new ReviewService(data.db, data.audit, data.reports, accounts);
    const ada = accounts.get('ada');
    await review.open(ada, exam);
    await review.setField(ada, exam.reportId, 'od_zone', 'II');
    const signed = await review.sign(ada, exam.reportId, 'retina-2026!');
    assert.equal(signed.signature?.username, 'ada');
    const made = (await readAuditEntries(data.audit.path)).filter(
      (e) => e.action === 'signing-key',
    );
    assert.deepEqual(
      made.map((e) => [e.subject, e.details?.reason, e.details?.fingerprint]),
      [['user:ada', 'first sign-off', signed.signature!.keyFingerprint]],
    );
    assert.equal(accounts.keyHistory('ada').length, 1);
    assert.equal(await problems(folder), '');
  } finally {
    data.close();
  }
});

test('a key planted in the database and a report re-signed with it are reported; so is a stripped signature', async () => {
  const { data, folder, sign } = await setup();
  try {
    await sign('exam-1-OD', 'retina-2026!');
    await sign('exam-2-OD', 'retina-2026!');
    // The attacker's own key, put on record for ada in SQLite, and exam 1 re-signed with it.
    const forger = newEd25519KeyPair();
    data.db.run(
      'INSERT INTO signing_keys (username, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?)',
      ['ada', forger.publicKey, forger.fingerprint, new Date().toISOString()],
    );
    const file1 = join(folder, 'reports', 'exam-1-OD', 'v1.json');
    const report = JSON.parse(readFileSync(file1, 'utf8')) as SignedReport;
    const { contentHash: _hash, signature: _signature, ...body } = report;
    const forged: SignedReport = {
      ...body,
      contentHash: reportHash(body),
      signature: {
        algorithm: 'Ed25519',
        username: 'ada',
        keyFingerprint: forger.fingerprint,
        value: signEd25519(forger.privateKey, reportBytes(body)),
      },
    };
    chmodSync(file1, 0o644);
    writeFileSync(file1, `${canonicalJson(forged)}\n`);
    // Exam 2: the signature removed, everything else left as signed.
    const file2 = join(folder, 'reports', 'exam-2-OD', 'v1.json');
    const { signature: _removed, ...unsigned } = JSON.parse(
      readFileSync(file2, 'utf8'),
    ) as SignedReport;
    chmodSync(file2, 0o644);
    writeFileSync(file2, `${canonicalJson(unsigned)}\n`);
    const found = await problems(folder);
    assert.match(
      found,
      /REPORT_SIGNATURE_INVALID: signed report BROKEN: .*exam-1-OD\/v1\.json: its signature names another key than the audit log recorded at sign-off/,
    );
    assert.match(
      found,
      /REPORT_UNSIGNED: signed report BROKEN: .*exam-2-OD\/v1\.json: the audit log recorded a signature at sign-off, but the report carries none/,
    );
    assert.match(
      found,
      new RegExp(
        `SIGNING_KEY_UNRECORDED: signing key ${forger.fingerprint} of ada is in the database but not in the audit log`,
      ),
    );
  } finally {
    data.close();
  }
});

test('after a password reset, the old key (even with the old password and a copy of its sealed form) no longer signs', async () => {
  const { data, accounts, folder, sign } = await setup();
  try {
    const v1 = await sign('exam-1-OD', 'retina-2026!');
    const oldSealed = String(
      data.db.get("SELECT signing_key_sealed FROM users WHERE username = 'ada'")!
        .signing_key_sealed,
    );
    await accounts.resetPassword('ada', 'retina-2027!', 'admin');
    const history = accounts.keyHistory('ada');
    assert.equal(history.length, 2);
    assert.equal(history[0]!.fingerprint, v1.signature!.keyFingerprint);
    assert.ok(history[0]!.retiredAt && !history[1]!.retiredAt);
    // Someone who kept the old sealed key and knew the old password signs a new report with it.
    const der = await openSealedSecret(oldSealed, 'retina-2026!', 'neoscope signing key of ada');
    const oldKey = createPrivateKey({ key: der!, format: 'der', type: 'pkcs8' });
    const content: ReportContent = {
      ...exam,
      reportId: 'exam-9-OD',
      fields: [{ field: 'od_zone', reader: 'I' }],
      freeText: '',
    };
    await data.reports.sign(content, 'Ada Reader (ada, ophthalmologist)', {
      username: 'ada',
      publicKey: history[0]!.publicKey,
      fingerprint: fingerprintOf(history[0]!.publicKey),
      sign: (bytes) => signEd25519(oldKey, bytes),
    });
    assert.match(
      await problems(folder),
      /REPORT_KEY_UNKNOWN: signed report BROKEN: .*exam-9-OD\/v1\.json: signed with key .*, which ada's password reset had replaced \(entry \d+\) before this sign-off/,
    );
    await assert.rejects(
      data.reports.readVerified('exam-9-OD', 1),
      (e: Error & { code?: string }) => e.code === 'REPORT_TAMPERED',
    );
    // The report ada signed before the reset still verifies.
    assert.equal((await data.reports.readVerified('exam-1-OD', 1)).contentHash, v1.contentHash);
    // The sealed key in the database is the new one, opened by the new password only.
    assert.ok(
      await openSealedSecret(
        String(
          data.db.get("SELECT signing_key_sealed FROM users WHERE username = 'ada'")!
            .signing_key_sealed,
        ),
        'retina-2027!',
        'neoscope signing key of ada',
      ),
    );
  } finally {
    data.close();
  }
});
