/**
 * The reading loop through the API, on a real fundus export with the shipped vessel model:
 * sign in, open the exam, record AI values from the verified model, accept one and correct
 * another, sign with the password again, export PDF and SR; then the signed report refuses
 * edits, and an amendment keeps both versions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFolderFiles } from '../library/read-folder.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';
import { readAuditEntries } from '../audit/audit-log.ts';
import { verifyDataFolder } from '../store/verify-data-folder.ts';

test(
  'sign-in, AI values, accept and correct, sign, PDF and SR, no edits after signing',
  { timeout: 180_000 },
  async () => {
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-api-')),
    });
    const { call, fails } = apiCalls(workstation);
    try {
      const imported = await workstation.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples', 'fundus-exports')),
      );
      const fundus = imported.imported.find((i) => i.fileName.endsWith('Image_01R.jpg'))!;

      await fails('review.open', { instanceIds: [fundus.instanceId] }, 'AUTH_REQUIRED');
      await fails(
        'users.create',
        {
          username: 'ada',
          displayName: 'Ada Reader',
          role: 'ophthalmologist',
          password: 'retina-2026!',
        },
        'AUTH_FORBIDDEN',
      ); // first must be admin
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await fails(
        'users.create',
        {
          username: 'ada',
          displayName: 'Ada Reader',
          role: 'ophthalmologist',
          password: 'retina-2026!',
        },
        'AUTH_REQUIRED',
      );
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('auth.logout', {});
      const user = (await call('auth.login', { username: 'ada', password: 'retina-2026!' })) as {
        role: string;
      };
      assert.equal(user.role, 'ophthalmologist');

      const opened = (await call('review.open', { instanceIds: [fundus.instanceId] })) as {
        content: { reportId: string; fields: { field: string; ai?: unknown }[] };
      };
      const reportId = opened.content.reportId;
      assert.ok(
        opened.content.fields.every((f) => !f.ai),
        'nothing is prefilled before a model runs',
      );
      const analysed = (await call('review.analyze', { reportId })) as {
        content: {
          fields: {
            field: string;
            ai?: { value: string | number; model: { id: string; sha256: string } };
          }[];
        };
        aiNotes: string[];
      };
      const ti = analysed.content.fields.find((f) => f.field === 'od_tortuosity_index')!.ai!;
      const category = analysed.content.fields.find((f) => f.field === 'od_vascular_category')!.ai!;
      assert.equal(ti.model.id, 'retina-vessels');
      assert.ok(typeof ti.value === 'number' && ti.value > 1 && ti.value < 1.5);
      assert.ok(
        analysed.content.fields
          .filter((f) => /^o[ds]_(zone|stage|plus|a_rop)$/.test(f.field))
          .every((f) => !f.ai),
        'no ROP stage is predicted without a model',
      );
      assert.ok(analysed.aiNotes.some((n) => /no model installed for rop-icrop3/.test(n)));

      await call('review.setField', { reportId, field: 'od_tortuosity_index', value: ti.value }); // accept
      const corrected =
        category.value === 'at or above plus mean'
          ? 'below standard photograph'
          : 'at or above plus mean';
      await call('review.setField', { reportId, field: 'od_vascular_category', value: corrected }); // correct
      await call('review.setField', { reportId, field: 'od_zone', value: 'II' });
      await fails('review.sign', { reportId, password: 'wrong-password' }, 'AUTH_INVALID');
      const signed = (await call('review.sign', { reportId, password: 'retina-2026!' })) as {
        version: number;
        contentHash: string;
      };
      assert.equal(signed.version, 1);
      await fails('review.setField', { reportId, field: 'od_zone', value: 'I' }, 'REVIEW_SIGNED');

      const pdf = (await call('report.pdf', { reportId, version: 1 })) as { bytes: Uint8Array };
      assert.equal(new TextDecoder().decode(pdf.bytes.subarray(0, 5)), '%PDF-');
      const sr = (await call('report.dicom', { reportId, version: 1 })) as {
        bytes: Uint8Array;
        captures: { bytes: Uint8Array }[];
      };
      assert.equal(parseDicomBytes(sr.bytes, 'sr.dcm').dataSet.string('x00080060'), 'SR');
      assert.equal(sr.captures.length, 1, 'one overlay: the vessel map');
      const exportFolder = mkdtempSync(join(tmpdir(), 'neoscope-api-export-'));
      for (const [name, bytes] of [
        ['sr.dcm', sr.bytes],
        ['overlay.dcm', sr.captures[0]!.bytes],
      ] as const) {
        writeFileSync(join(exportFolder, name), bytes);
        const iod = spawnSync('dciodvfy', [join(exportFolder, name)], { encoding: 'utf8' });
        assert.doesNotMatch(
          `${iod.stdout}${iod.stderr}`,
          /^Error/m,
          `${name}: ${iod.stdout}${iod.stderr}`,
        );
      }

      await call('review.amend', { reportId });
      await call('review.setField', { reportId, field: 'od_zone', value: 'I' });
      await fails('review.sign', { reportId, password: 'retina-2026!' }, 'REPORT_INVALID'); // an amendment needs a reason
      const amended = (await call('review.sign', {
        reportId,
        password: 'retina-2026!',
        reason: 'zone I on review',
      })) as { version: number };
      assert.equal(amended.version, 2);
      const history = (await call('review.history', { reportId })) as {
        changes: { field: string; who: string }[];
      };
      assert.deepEqual(
        history.changes.filter((c) => c.who === 'ada').map((c) => c.field),
        [
          'od_tortuosity_index (AI)',
          'od_vascular_category (AI)',
          'od_tortuosity_index',
          'od_vascular_category',
          'od_zone',
          'od_zone',
        ],
      );

      // With the infant's gestational age the exam has a postmenstrual age on the trajectory:
      // 27+2 weeks at birth on 2010-11-20, examined 2011-01-01 (42 days later) → 33+2 weeks.
      await fails(
        'patients.set',
        { patientId: fundus.patientId, birthDate: '2010-11-20', gaWeeks: 19, gaDays: 0 },
        'PATIENT_INVALID',
      );
      await call('patients.set', {
        patientId: fundus.patientId,
        birthDate: '2010-11-20',
        gaWeeks: 27,
        gaDays: 2,
      });
      const course = (await call('patients.trajectory', { patientId: fundus.patientId })) as {
        points: {
          reportId: string;
          version: number;
          pma: string;
          measure: { value: number; source: string };
        }[];
      };
      assert.deepEqual(
        course.points.map((p) => [p.reportId, p.version, p.pma, p.measure.value, p.measure.source]),
        [[reportId, 2, '33+2 weeks', ti.value, 'reader']],
      );

      // The audit trail has every kind of event the loop produced, chained and intact.
      const entries = await readAuditEntries(workstation.data!.audit.path);
      const kinds = new Set(entries.map((e) => e.action));
      for (const kind of [
        'import',
        'login',
        'login-failed',
        'view',
        'analysis',
        'edit',
        'sign-off',
        'export',
        'amendment',
      ])
        assert.ok(kinds.has(kind as never), `audit log lacks ${kind}`);
      assert.equal(entries.filter((e) => e.action === 'import').length, imported.imported.length);
      const check = await verifyDataFolder(workstation.data!.folder);
      assert.ok(check.ok, check.lines.join('\n'));
    } finally {
      workstation.data?.close();
    }
  },
);

test('without a data folder the review operations say why they cannot work', async () => {
  const workstation = await createWorkstation(projectRoot, 'browser', () => {});
  const response = await workstation.dispatch('auth.login', { username: 'a', password: 'b' });
  assert.ok(!response.ok && (response.error.code as string) === 'STORE_REQUIRED');
});

test(
  'a saved disc ruler places the optic disc for the vascular metrics (the reader clicks it, the metrics recompute)',
  { timeout: 180_000 },
  async () => {
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-disc-')),
    });
    const { call } = apiCalls(workstation);
    try {
      const imported = await workstation.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples', 'fundus-exports')),
      );
      const fundus = imported.imported.find((i) => i.fileName.endsWith('Image_01R.jpg'))!;
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('auth.login', { username: 'ada', password: 'retina-2026!' });
      const opened = (await call('review.open', { instanceIds: [fundus.instanceId] })) as {
        content: { reportId: string };
      };
      const before = (await call('review.analyze', { reportId: opened.content.reportId })) as {
        aiNotes: string[];
      };
      assert.ok(
        !before.aiNotes.some((n) => /placed by the reader/.test(n)),
        'detected, not placed',
      );
      // The disc ruler's two points are opposite edges of the disc (CHASE Image_01R: disc near x 600, y 470).
      await call('annotations.save', {
        instanceId: fundus.instanceId,
        kind: 'disc-ruler',
        points: [
          { x: 560, y: 470 },
          { x: 640, y: 470 },
        ],
        label: '1 DD = 80 px',
      });
      const after = (await call('review.analyze', { reportId: opened.content.reportId })) as {
        aiNotes: string[];
      };
      assert.ok(
        after.aiNotes.some((n) => /retina-vessels: optic disc placed by the reader/.test(n)),
        after.aiNotes.join(' | '),
      );
    } finally {
      workstation.data?.close();
    }
  },
);
