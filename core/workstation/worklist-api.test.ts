/**
 * The worklist through the API on a real fundus export: an exam moves new → analysed →
 * in review → signed → sent as the reading loop runs, is unread for each user until that
 * user opens it, and shows the infant's PMA; measurements saved with the image come back,
 * malformed ones are refused, saving and deleting are audited, and signing freezes them
 * into the report and its PDF.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readAuditEntries } from '../audit/audit-log.ts';
import { readFolderFiles } from '../library/read-folder.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';

test(
  'exam status, unread and PMA follow the reading loop; annotations are saved and audited',
  { timeout: 180_000 },
  async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-worklist-'));
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder });
    const { call, fails } = apiCalls(workstation);
    type Exam = {
      reportId: string;
      instanceIds: string[];
      status: string;
      statusDetail?: string;
      unread: boolean;
      pma?: string;
      gaAtBirth?: string;
    };
    try {
      const imported = await workstation.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples', 'fundus-exports')),
      );
      const fundus = imported.imported.find((i) => i.fileName.endsWith('Image_01R.jpg'))!;
      const examOf = async () =>
        ((await call('worklist.exams', {})) as { exams: Exam[] }).exams.find((e) =>
          e.instanceIds.includes(fundus.instanceId),
        )!;

      await fails('worklist.exams', {}, 'AUTH_REQUIRED'); // nobody signed in: no worklist at all

      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      let exam = await examOf();
      assert.equal(exam.status, 'new');
      assert.equal(exam.pma, undefined);
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('users.create', {
        username: 'ben',
        displayName: 'Ben Reader',
        role: 'ophthalmologist',
        password: 'retina-2027!',
      });
      await call('exchange.initSite', { siteId: 'hub-nicu', passphrase: 'hub-nicu-pass-1' });
      await call('auth.logout', {});

      await call('auth.login', { username: 'ada', password: 'retina-2026!' });
      // The sidecar dates the photo 2011-01-01; born 2010-11-20 at 26+3 weeks: 42 days later, PMA 32+3.
      await call('patients.set', {
        patientId: fundus.patientId,
        birthDate: '2010-11-20',
        gaWeeks: 26,
        gaDays: 3,
      });
      exam = await examOf();
      assert.equal(exam.unread, true);
      assert.equal(exam.gaAtBirth, '26+3 weeks');
      assert.equal(exam.pma, '32+3 weeks');

      const { content } = (await call('review.open', { instanceIds: [fundus.instanceId] })) as {
        content: { reportId: string };
      };
      assert.equal(
        content.reportId,
        exam.reportId,
        'the worklist and the reading panel name the exam alike',
      );
      assert.equal((await examOf()).status, 'new', 'opening the report is not reviewing it');
      await call('review.analyze', { reportId: exam.reportId });
      assert.equal((await examOf()).status, 'analysed');
      await call('review.setField', { reportId: exam.reportId, field: 'od_zone', value: 'II' });
      assert.equal((await examOf()).status, 'in review');
      await call('worklist.markViewed', { instanceId: fundus.instanceId });
      assert.equal((await examOf()).unread, false);
      await call('review.sign', { reportId: exam.reportId, password: 'retina-2026!' });
      exam = await examOf();
      assert.equal(exam.status, 'signed');
      assert.equal(exam.statusDetail, 'signed by ada');
      await call('exchange.exportResults', { patientId: fundus.patientId });
      assert.equal((await examOf()).status, 'sent');
      await call('review.amend', { reportId: exam.reportId });
      assert.equal((await examOf()).status, 'in review', 'an amendment reopens the exam');

      await call('auth.logout', {});
      await call('auth.login', { username: 'ben', password: 'retina-2027!' });
      assert.equal((await examOf()).unread, true, 'unread is per user');

      // Measurements saved with the image.
      const length = {
        instanceId: fundus.instanceId,
        kind: 'length',
        points: [
          { x: 10, y: 20 },
          { x: 110, y: 20 },
        ],
        label: '100.0 px',
      };
      const saved = (await call('annotations.save', length)) as { id: string; createdBy: string };
      assert.equal(saved.createdBy, 'ben');
      await call('annotations.save', {
        ...length,
        kind: 'angle',
        points: [
          { x: 0, y: 0 },
          { x: 50, y: 50 },
          { x: 100, y: 0 },
        ],
        label: '90.0°',
      });
      await fails('annotations.save', { ...length, kind: 'angle' }, 'ANNOTATION_INVALID'); // an angle needs three points
      await fails(
        'annotations.save',
        {
          ...length,
          points: [
            { x: 10, y: 20 },
            { x: fundus.columns + 5, y: 20 },
          ],
        },
        'ANNOTATION_INVALID',
      );
      let listed = (
        (await call('annotations.list', { instanceId: fundus.instanceId })) as {
          annotations: { id: string; kind: string; points: unknown }[];
        }
      ).annotations;
      assert.deepEqual(
        listed.map((a) => a.kind),
        ['length', 'angle'],
      );
      assert.deepEqual(listed[0]!.points, length.points);
      await call('annotations.delete', { id: saved.id });
      listed = (
        (await call('annotations.list', { instanceId: fundus.instanceId })) as {
          annotations: { id: string; kind: string; points: unknown }[];
        }
      ).annotations;
      assert.deepEqual(
        listed.map((a) => a.kind),
        ['angle'],
      );

      // Signing (here the amendment Ada opened) freezes the saved measurements into the report and its PDF.
      const signed = (await call('review.sign', {
        reportId: exam.reportId,
        password: 'retina-2027!',
        reason: 'angle measured',
      })) as { version: number };
      const stored = await workstation.data!.reports.read(exam.reportId, signed.version);
      assert.deepEqual(
        stored.content.measurements?.map((m) => [m.kind, m.label, m.by]),
        [['angle', '90.0°', 'ben']],
      );
      const first = await workstation.data!.reports.read(exam.reportId, 1);
      assert.equal(
        first.content.measurements,
        undefined,
        'version 1 was signed before any measurement was saved',
      );
      const pdf = (await call('report.pdf', {
        reportId: exam.reportId,
        version: signed.version,
      })) as { bytes: Uint8Array };
      const pdfFile = join(dataFolder, 'report.pdf');
      writeFileSync(pdfFile, pdf.bytes);
      assert.match(
        spawnSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' }).stdout,
        /Angle: 90\.0° - by ben/,
      );
      const sr = (await call('report.dicom', {
        reportId: exam.reportId,
        version: signed.version,
      })) as { bytes: Uint8Array };
      const srFile = join(dataFolder, 'report-sr.dcm');
      writeFileSync(srFile, sr.bytes);
      const dump = spawnSync('dsrdump', [srFile], { encoding: 'utf8' }).stdout;
      assert.match(dump, /NUM:\(,,"Angle"\)="90" \(deg,UCUM,"degree"\)/);
      assert.match(dump, /TEXT:\(,,"Reading as shown"\)="angle: 90\.0° \(by ben\)"/);
      assert.match(
        dump,
        /Verifying Observers : [\d: -]+, Reader\^Ben, /,
        'the observer is the signer\'s name, without "(username, role)"',
      );
      assert.doesNotMatch(spawnSync('dciodvfy', [srFile], { encoding: 'utf8' }).stderr, /^Error/m);

      await call('auth.logout', {});
      await fails('annotations.save', length, 'AUTH_REQUIRED');

      const audit = await readAuditEntries(join(dataFolder, 'audit.log'));
      const annotate = audit.filter((e) => e.action === 'annotate');
      assert.equal(annotate.length, 3, 'two saves and one delete');
      assert.equal(annotate[2]!.details?.deleted, true);
    } finally {
      workstation.data?.close();
    }
  },
);
