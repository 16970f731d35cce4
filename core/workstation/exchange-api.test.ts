/**
 * Exchange through the API, between two workstations: each admin sets up its site, they
 * trust each other's keys, A sends the open patient's images de-identified, B verifies
 * and imports them tagged with A; a damaged package is refused and stores nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFolderFiles } from '../library/read-folder.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation, type Workstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';

async function site(id: string) {
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder: mkdtempSync(join(tmpdir(), `neoscope-${id}-`)),
  });
  const { call } = apiCalls(workstation);
  await call('users.create', {
    username: 'admin',
    displayName: 'Admin',
    role: 'admin',
    password: 'admin-pass-1',
  });
  await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
  const keys = (await call('exchange.initSite', {
    siteId: id,
    passphrase: `${id}-site-pass-1`,
  })) as { siteId: string; publicKey: string; fingerprint: string };
  return { workstation, call, keys };
}

test(
  'A sends a de-identified package through the API; B verifies and imports it; a damaged one is refused',
  { timeout: 120_000 },
  async () => {
    const a = await site('regional-A');
    const b = await site('hub-B');
    const closers: Workstation[] = [a.workstation, b.workstation];
    try {
      const added = (await b.call('exchange.addPartner', {
        siteId: 'regional-A',
        publicKey: a.keys.publicKey,
      })) as { fingerprint: string };
      assert.equal(added.fingerprint, a.keys.fingerprint);
      const imported = await a.workstation.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples')),
      );
      const dicom = imported.imported.filter((i) => i.sopInstanceUid);
      const batch = (await a.call('exchange.createBatch', {
        instanceIds: dicom.map((i) => i.instanceId),
        deidentifyKey: 'regional-A-key',
      })) as { bytes: Uint8Array; files: number; pseudonyms: number };
      assert.equal(batch.files, dicom.length);

      const damaged = batch.bytes.slice(0, Math.floor(batch.bytes.length / 2));
      await assert.rejects(
        b.call('exchange.importBatch', { name: 'half.zip', bytes: damaged }),
        (e: Error & { code?: string }) => e.code === 'EXCHANGE_NOT_A_PACKAGE',
      );
      assert.equal(b.workstation.library.list().length, 0);

      const arrived = (await b.call('exchange.importBatch', {
        name: 'from-A.zip',
        bytes: batch.bytes,
      })) as {
        from: string;
        report: {
          imported: {
            sourceSite?: string;
            patientId: string;
            instanceId: string;
            modality: string;
          }[];
        };
      };
      assert.equal(arrived.from, 'regional-A');
      assert.equal(arrived.report.imported.length, dicom.length);
      assert.ok(
        arrived.report.imported.every(
          (i) => i.sourceSite === 'regional-A' && i.patientId.startsWith('PSN-'),
        ),
      );
      const listed = (await b.call('library.list', {})) as { instances: { sourceSite?: string }[] };
      assert.equal(
        listed.instances.filter((i) => i.sourceSite === 'regional-A').length,
        dicom.length,
        'the worklist shows where they came from',
      );

      // B's radiologist signs the chest CR; B returns the results; A files them under its own patient.
      await a.call('exchange.addPartner', { siteId: 'hub-B', publicKey: b.keys.publicKey });
      await b.call('users.create', {
        username: 'rad',
        displayName: 'Rae Rad',
        role: 'radiologist',
        password: 'chest-film-9',
      });
      await b.call('auth.login', { username: 'rad', password: 'chest-film-9' });
      const cr = (
        arrived.report.imported as { instanceId?: string; modality?: string; patientId: string }[]
      ).find((i) => i.modality === 'CR')!;
      const draft = (await b.call('review.open', { instanceIds: [cr.instanceId] })) as {
        content: { reportId: string };
      };
      await b.call('review.setField', {
        reportId: draft.content.reportId,
        field: 'cardiomegaly',
        value: 'no',
      });
      const signed = (await b.call('review.sign', {
        reportId: draft.content.reportId,
        password: 'chest-film-9',
      })) as { contentHash: string };
      const results = (await b.call('exchange.exportResults', { patientId: cr.patientId })) as {
        bytes: Uint8Array;
        reports: number;
      };
      assert.equal(results.reports, 1);
      const back = (await a.call('exchange.importResults', {
        name: 'results.zip',
        bytes: results.bytes,
      })) as { from: string; attached: { patientId: string; contentHash: string }[] };
      const originalCr = dicom.find((i) => i.modality === 'CR')!;
      assert.deepEqual(
        back.attached.map((r) => [r.patientId, r.contentHash]),
        [[originalCr.patientId, signed.contentHash]],
      );
      const onPatient = (await a.call('exchange.receivedResults', {
        patientId: originalCr.patientId,
      })) as { results: { fromSite: string; pdf?: Uint8Array }[] };
      assert.equal(onPatient.results[0]!.fromSite, 'hub-B');
      assert.equal(new TextDecoder().decode(onPatient.results[0]!.pdf!.subarray(0, 5)), '%PDF-');
    } finally {
      for (const w of closers) w.data?.close();
    }
  },
);
