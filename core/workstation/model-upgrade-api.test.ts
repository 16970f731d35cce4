/**
 * Guarded upgrades through the API: a model's first version is checked on every engine at
 * install and is active at once; a new version waits as a candidate (exams are still analysed
 * by the active one); an admin compares both on the site's signed cases, side by side, and
 * activates one (audited). The intended-use gate labels a film outside the package's age range
 * and records the label with the AI value.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { OperationResult } from '../api/contract.ts';
import { readAuditEntries } from '../audit/audit-log.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';
import { pdaPackage } from './testing/pda-fixture.ts';

type Draft = OperationResult<'review.open'>;

test(
  'models.import settles a new version as a candidate; models.compare and models.activate',
  { timeout: 240_000 },
  async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-upgrade-'));
    const modelsFolder = mkdtempSync(join(tmpdir(), 'neoscope-upgrade-models-'));
    cpSync(join(projectRoot, 'models', 'slots'), join(modelsFolder, 'slots'), { recursive: true });
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder,
      modelsFolder,
    });
    const { call } = apiCalls(workstation);
    const as = async (username: string, password: string) => {
      await call('auth.logout', {});
      await call('auth.login', { username, password });
    };
    const admin = () => as('admin', 'admin-pass-1');
    const reader = () => as('rad', 'chest-films-2026');
    // Neonates (days 0 to 28 after birth) only, labelled when outside.
    const scope = {
      domain: 'chest' as const,
      age: { measure: 'chronologicalDays' as const, max: 28 },
      outsideUse: 'label' as const,
    };
    try {
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'rad',
        displayName: 'Rae Diologist',
        role: 'radiologist',
        password: 'chest-films-2026',
      });
      const first = (await call('models.import', {
        name: 'pda-1.0.0.zip',
        bytes: pdaPackage('1.0.0', 0.5, scope).zip,
      })) as OperationResult<'models.import'>;
      assert.equal(first.state, 'active', "a model's first version is active at once");
      assert.deepEqual(first.engineCheck!.engines.sort(), ['node', 'wasm']);
      assert.ok(
        first.engineCheck!.maxAbsDifference! <= 1e-5,
        `${first.engineCheck!.maxAbsDifference}`,
      );
      assert.equal(first.engineCheck!.passed, true);
      assert.equal(first.engineCheck!.toleranceSource, 'default');

      // Four infants' films of increasing brightness, read and signed: the reader says yes
      // from the second on; version 1.0.0 (threshold 0.5) says yes from the third.
      const film = async (patientId: string, grey: number, examDate: string) => {
        const jpeg = await sharp({
          create: { width: 64, height: 64, channels: 3, background: { r: grey, g: grey, b: grey } },
        })
          .jpeg({ quality: 95 })
          .toBuffer();
        const report = (await call('library.importFiles', {
          files: [
            {
              name: `${patientId}.jpg`,
              bytes: new Uint8Array(jpeg),
              photo: {
                patientId,
                birthDate: '20260101',
                examDate,
                domain: 'chest',
                gestationalAgeWeeks: 30,
              },
            },
          ],
        })) as { imported: { instanceId: string }[] };
        return report.imported[0]!.instanceId;
      };
      const films = [
        await film('BABY-1', 0.2 * 255, '20260103'),
        await film('BABY-2', 0.4 * 255, '20260103'),
        await film('BABY-3', 0.6 * 255, '20260103'),
        await film('BABY-4', 0.8 * 255, '20260315'), // 73 days old: outside 0–28 days
      ];
      await reader();
      const reportIds: string[] = [];
      for (const [n, instanceId] of films.entries()) {
        const { content } = (await call('review.open', { instanceIds: [instanceId] })) as Draft;
        const analysed = (await call('review.analyze', { reportId: content.reportId })) as Draft;
        const ai = analysed.content.fields.find((f) => f.field === 'hs_pda')!.ai!;
        assert.equal(ai.model.version, '1.0.0');
        assert.equal(ai.value, n >= 2 ? 'yes' : 'no');
        if (n === 3) {
          assert.match(ai.outsideIntendedUse ?? '', /age since birth 73 days is above/);
          assert.ok(
            analysed.aiNotes.some((t) =>
              /^pda-site: outside intended use \(age since birth/.test(t),
            ),
            analysed.aiNotes.join(' | '),
          );
        } else assert.equal(ai.outsideIntendedUse, undefined);
        await call('review.setField', {
          reportId: content.reportId,
          field: 'hs_pda',
          value: n >= 1 ? 'yes' : 'no',
        });
        await call('review.sign', { reportId: content.reportId, password: 'chest-films-2026' });
        reportIds.push(content.reportId);
      }

      // Version 1.1.0 (threshold 0.3) agrees with the reader on all four.
      await admin();
      const second = (await call('models.import', {
        name: 'pda-1.1.0.zip',
        bytes: pdaPackage('1.1.0', 0.3, scope).zip,
      })) as OperationResult<'models.import'>;
      assert.equal(second.state, 'candidate');
      const states = async () =>
        ((await call('models.list', {})) as OperationResult<'models.list'>).models.map((m) =>
          m.ok ? `${m.manifest.version} ${m.activation?.state}` : 'broken',
        );
      assert.deepEqual((await states()).sort(), ['1.0.0 active', '1.1.0 candidate']);

      const fifth = await film('BABY-5', 0.4 * 255, '20260104');
      await reader();
      const { content } = (await call('review.open', { instanceIds: [fifth] })) as Draft;
      const byActive = (await call('review.analyze', { reportId: content.reportId })) as Draft;
      assert.equal(
        byActive.content.fields.find((f) => f.field === 'hs_pda')!.ai!.model.version,
        '1.0.0',
        'a candidate does not analyse exams',
      );
      await assert.rejects(call('models.compare', { id: 'pda-site', version: '1.1.0' }), {
        code: 'AUTH_FORBIDDEN',
      });

      await admin();
      const comparison = (await call('models.compare', {
        id: 'pda-site',
        version: '1.1.0',
      })) as OperationResult<'models.compare'>;
      assert.deepEqual(comparison.reports.sort(), reportIds.map((id) => `${id}@1`).sort());
      assert.equal(comparison.capped, false);
      const agreement = (side: (typeof comparison)['candidate']) =>
        side.report.groups.find((g) => g.field === 'hs_pda')!.agreement!;
      assert.deepEqual([agreement(comparison.active!).x, agreement(comparison.active!).n], [3, 4]);
      assert.deepEqual(
        [agreement(comparison.candidate).x, agreement(comparison.candidate).n],
        [4, 4],
      );
      assert.equal(comparison.candidate.report.groups[0]!.modelVersion, '1.1.0');
      const capped = (await call('models.compare', {
        id: 'pda-site',
        version: '1.1.0',
        limit: 2,
      })) as OperationResult<'models.compare'>;
      assert.equal(capped.reports.length, 2);
      assert.equal(capped.capped, true);
      await assert.rejects(call('models.compare', { id: 'pda-site', version: '1.0.0' }), {
        code: 'API_INVALID_ARGUMENTS',
      });

      const activated = (await call('models.activate', {
        id: 'pda-site',
        version: '1.1.0',
      })) as OperationResult<'models.activate'>;
      assert.equal(activated.previous, '1.0.0');
      assert.deepEqual((await states()).sort(), ['1.0.0 previous', '1.1.0 active']);
      assert.ok(existsSync(join(modelsFolder, 'activation.json')));
      const audit = await readAuditEntries(join(dataFolder, 'audit.log'));
      const choice = audit.filter((e) => e.action === 'model-activate');
      assert.equal(choice.length, 1);
      assert.equal(choice[0]!.actor, 'admin');
      assert.equal(choice[0]!.subject, 'pda-site@1.1.0');
      assert.equal(choice[0]!.details?.previous, '1.0.0');
      const installs = audit.filter((e) => e.action === 'model-install');
      assert.deepEqual(
        installs.map((e) => e.details?.state),
        ['active', 'candidate'],
      );

      await reader();
      const byNew = (await call('review.analyze', { reportId: content.reportId })) as Draft;
      const ai = byNew.content.fields.find((f) => f.field === 'hs_pda')!.ai!;
      assert.deepEqual([ai.model.version, ai.value], ['1.1.0', 'yes']);
    } finally {
      workstation.data?.close();
    }
  },
);
