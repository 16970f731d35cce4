import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { verifyDataFolder } from '../store/verify-data-folder.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { Accounts } from '../users/accounts.ts';
import { ReviewService } from './review-service.ts';

const vessels = { id: 'retina-vessels', version: '0.1.0', sha256: 'a'.repeat(64) };
const exam = {
  reportId: 'exam-1-OD',
  patientId: 'NICU-1',
  studyInstanceUid: '2.25.1',
  instanceIds: ['f'.repeat(64)],
  domain: 'retina' as const,
};

async function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-review-'));
  const data = await openDataFolder(folder);
  let clock = new Date('2026-11-23T10:00:00Z');
  const now = () => clock;
  const accounts = new Accounts(data.db, data.audit, now);
  const ophth = await accounts.create(
    {
      username: 'ada',
      displayName: 'Ada Reader',
      role: 'ophthalmologist',
      password: 'retina-2026!',
    },
    'admin',
  );
  const rad = await accounts.create(
    { username: 'rob', displayName: 'Rob Rad', role: 'radiologist', password: 'chest-film-9' },
    'admin',
  );
  return {
    folder,
    data,
    accounts,
    review: new ReviewService(data.db, data.audit, data.reports, accounts, now),
    ophth,
    rad,
    tick: (ms: number) => (clock = new Date(clock.getTime() + ms)),
  };
}

test('passwords: wrong ones are counted, five lock the account for 15 minutes, all audited', async () => {
  const { accounts, data, tick } = await setup();
  try {
    await assert.rejects(
      accounts.create(
        { username: 'weak', displayName: 'W', role: 'admin', password: 'short' },
        'admin',
      ),
      (e: Error & { code?: string }) => e.code === 'AUTH_WEAK_PASSWORD',
    );
    await assert.rejects(
      accounts.create(
        { username: 'ada', displayName: 'Dup', role: 'admin', password: 'another-pass-1' },
        'admin',
      ),
      (e: Error & { code?: string }) => e.code === 'AUTH_USER_EXISTS',
    );
    for (let i = 0; i < 4; i++)
      await assert.rejects(
        accounts.authenticate('ada', 'wrong', 'login'),
        (e: Error & { code?: string }) => e.code === 'AUTH_INVALID',
      );
    await assert.rejects(
      accounts.authenticate('ada', 'wrong', 'login'),
      (e: Error & { code?: string }) => e.code === 'AUTH_LOCKED',
    );
    await assert.rejects(
      accounts.authenticate('ada', 'retina-2026!', 'login'),
      /locked/,
      'the right password does not open a locked account',
    );
    tick(16 * 60_000);
    assert.equal(
      (await accounts.authenticate('ada', 'retina-2026!', 'login')).role,
      'ophthalmologist',
    );
    const actions = (await readAuditEntries(data.audit.path)).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'login-failed').length, 5);
    assert.equal(actions.at(-1), 'login');
  } finally {
    data.close();
  }
});

test('a reader accepts one AI value, corrects another, signs; the signed report cannot be edited, only amended', async () => {
  const { review, ophth, rad, data, folder } = await setup();
  try {
    await review.open(ophth, exam);
    await review.setAi(exam.reportId, 'od_tortuosity_index', { value: 1.083, model: vessels });
    await review.setAi(exam.reportId, 'od_vascular_category', {
      value: 'below standard photograph',
      model: vessels,
    });
    await assert.rejects(
      review.setField(rad, exam.reportId, 'od_plus', 'none'),
      (e: Error & { code?: string }) => e.code === 'AUTH_FORBIDDEN',
    );
    await assert.rejects(
      review.setField(ophth, exam.reportId, 'od_zone', 'IV'),
      /not one of I, posterior II, II, III/,
    );
    await review.setField(ophth, exam.reportId, 'od_tortuosity_index', 1.083); // accepted
    await review.setField(
      ophth,
      exam.reportId,
      'od_vascular_category',
      'between standard photograph and plus mean',
    ); // corrected
    await review.setField(ophth, exam.reportId, 'od_zone', 'II');
    await assert.rejects(
      review.sign(ophth, exam.reportId, 'not-my-password'),
      (e: Error & { code?: string }) => e.code === 'AUTH_INVALID',
    );
    assert.deepEqual(
      await data.reports.versions(exam.reportId),
      [],
      'a wrong password signs nothing',
    );
    const v1 = await review.sign(ophth, exam.reportId, 'retina-2026!');
    assert.equal(v1.signer, 'Ada Reader (ada, ophthalmologist)');
    assert.deepEqual(v1.models, [vessels]);
    const category = v1.content.fields.find((f) => f.field === 'od_vascular_category')!;
    assert.deepEqual(
      [category.ai?.value, category.reader],
      ['below standard photograph', 'between standard photograph and plus mean'],
    );

    await assert.rejects(
      review.setField(ophth, exam.reportId, 'od_zone', 'I'),
      (e: Error & { code?: string }) => e.code === 'REVIEW_SIGNED',
    );
    await review.startAmendment(ophth, exam.reportId);
    await review.setField(ophth, exam.reportId, 'od_zone', 'I');
    const v2 = await review.sign(
      ophth,
      exam.reportId,
      'retina-2026!',
      'zone I on the second image',
    );
    assert.equal(v2.version, 2);
    assert.equal(v2.amends?.version, 1);
    assert.equal(
      (await data.reports.read(exam.reportId, 1)).content.fields.find((f) => f.field === 'od_zone')!
        .reader,
      'II',
      'version 1 unchanged',
    );

    const changes = review
      .history(exam.reportId)
      .map((c) => `${c.field}:${c.from}->${c.to}:${c.who}`);
    assert.deepEqual(changes, [
      'od_tortuosity_index (AI):null->1.083:system',
      'od_vascular_category (AI):null->below standard photograph:system',
      'od_tortuosity_index:null->1.083:ada',
      'od_vascular_category:null->between standard photograph and plus mean:ada',
      'od_zone:null->II:ada',
      'od_zone:II->I:ada',
    ]);
    const check = await verifyDataFolder(folder);
    assert.ok(check.ok, check.lines.join('\n'));
  } finally {
    data.close();
  }
});

test('one visit, both eyes: "same as other eye" copies a section; signing freezes the assessment and the infant\'s ages', async () => {
  const { review, ophth, data } = await setup();
  try {
    const visit = { ...exam, reportId: 'visit-1-OU' };
    await review.open(ophth, visit);
    await review.setField(ophth, visit.reportId, 'od_zone', 'II');
    await review.setField(ophth, visit.reportId, 'od_stage', '2');
    await review.setField(ophth, visit.reportId, 'od_plus', 'plus');
    const copied = await review.copyEye(ophth, visit.reportId, 'OD');
    const os = (key: string) => copied.content.fields.find((f) => f.field === `os_${key}`)!.reader;
    assert.deepEqual([os('zone'), os('stage'), os('plus')], ['II', '2', 'plus']);
    await review.setField(ophth, visit.reportId, 'os_plus', 'none');
    await review.setField(ophth, visit.reportId, 'os_stage', '1');
    const draft = await review.get(visit.reportId);
    const assessment = review.assessment(draft.content)!;
    assert.equal(assessment.eyes[0]!.etrop.category, 'type 1', 'zone II stage 2 with plus');
    assert.match(assessment.eyes[0]!.etrop.rule, /Zone II, stage 2 or 3 ROP with plus disease/);
    assert.equal(assessment.eyes[1]!.etrop.category, 'neither');
    assert.equal(assessment.treatmentWarranted, true);
    assert.match(
      assessment.summary,
      /^OD zone II stage 2, plus disease; OS zone II stage 1; Type 1 ROP — treatment warranted$/,
    );
    const history = review.history(visit.reportId).map((c) => c.field);
    assert.ok(
      history.includes('os_zone') && history.includes('os_plus'),
      'the copy is recorded per field',
    );

    // The reader's own interval replaces the computed one, said so.
    await review.setField(ophth, visit.reportId, 'follow_up_override', '1 week or less');
    const own = review.assessment((await review.get(visit.reportId)).content)!;
    assert.equal(own.followUp.byReader, true);
    assert.match(own.summary, /next exam in 1 week or less$/);
    await review.setField(ophth, visit.reportId, 'follow_up_override', null);

    const signed = await review.sign(ophth, visit.reportId, 'retina-2026!');
    assert.equal(signed.content.assessment?.treatmentWarranted, true);
    assert.match(signed.content.assessment!.summary, /Type 1 ROP/);
  } finally {
    data.close();
  }
});
