/**
 * The whole offline loop between a regional site A and a hub B: A sends a de-identified
 * batch; B imports it, analyses, signs (through the API) and returns a signed results
 * package; A verifies it and finds the results on its own patient and study. Every file
 * hash matches end to end.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OperationName } from '../api/contract.ts';
import { readString } from '../dicom/attributes.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { createWorkstation } from '../workstation/create-workstation.ts';
import { importBatch } from './batch-import.ts';
import { createBatch } from './batch-package.ts';
import { createResultsBatch, importResults, receivedResults } from './results-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test(
  'regional A → hub B → signed results back to A, on the right patient, hashes intact',
  { timeout: 180_000 },
  async () => {
    const folderA = mkdtempSync(join(tmpdir(), 'neoscope-rt-a-'));
    const folderB = mkdtempSync(join(tmpdir(), 'neoscope-rt-b-'));
    const siteA = await SiteIdentity.init(folderA, 'regional-A');
    const siteB = await SiteIdentity.init(folderB, 'hub-B');
    await new PartnerKeys(folderB).add(siteA.public);
    await new PartnerKeys(folderA).add(siteB.public);

    const film = new Uint8Array(readFileSync(samplePath('chest-cr-j2k-pydicom.dcm')));
    const original = parseDicomBytes(film, 'film.dcm').dataSet;
    const [originalPatient, originalStudy] = [
      readString(original, 'x00100020'),
      readString(original, 'x0020000d'),
    ];
    const sent = await createBatch([{ name: 'film.dcm', bytes: film }], siteA, {
      softwareVersion: '0.1.0',
      deidentify: { key: 'A-secret' },
    });

    // Hub B: import, read, sign through the API, export SR and PDF.
    const hub = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder: folderB });
    try {
      const { report: arrival } = await importBatch(sent.zip, 'from-A.zip', {
        library: hub.library,
        partners: new PartnerKeys(folderB),
        audit: hub.data!.audit,
        actor: 'hub-tech',
      });
      const instance = arrival.imported[0]!;
      assert.notEqual(instance.patientId, originalPatient, 'the hub never sees the identity');
      assert.equal(
        sha(await hub.data!.instances.bytes(instance.instanceId)),
        sent.manifest.files[0]!.sha256,
      );
      const call = async (op: OperationName, args: unknown) => {
        const r = await hub.dispatch(op, args);
        if (!r.ok) throw new Error(`${op}: ${r.error.code}: ${r.error.message}`);
        return r.value as never;
      };
      await call('users.create', {
        username: 'admin',
        displayName: 'Hub Admin',
        role: 'admin',
        password: 'hub-admin-1',
      });
      await call('auth.login', { username: 'admin', password: 'hub-admin-1' });
      await call('users.create', {
        username: 'rad',
        displayName: 'Rae Radiologist',
        role: 'radiologist',
        password: 'chest-film-9',
      });
      await call('auth.login', { username: 'rad', password: 'chest-film-9' });
      const draft = (await call('review.open', { instanceIds: [instance.instanceId] })) as {
        content: { reportId: string };
      };
      const reportId = draft.content.reportId;
      await call('review.analyze', { reportId });
      await call('review.setField', { reportId, field: 'cardiomegaly', value: 'no' });
      await call('review.sign', { reportId, password: 'chest-film-9' });
      const sr = (await call('report.dicom', { reportId, version: 1 })) as { bytes: Uint8Array };
      const pdf = (await call('report.pdf', { reportId, version: 1 })) as { bytes: Uint8Array };
      const signed = await hub.data!.reports.read(reportId, 1);
      const results = await createResultsBatch(
        [{ report: signed, sr: sr.bytes, pdf: pdf.bytes }],
        siteB,
        '0.1.0',
      );

      // Regional A: verify, re-identify locally, attach to its own patient.
      const dataA = await openDataFolder(folderA);
      try {
        const { attached } = await importResults(results.zip, 'results-from-B.zip', {
          data: dataA,
          partners: new PartnerKeys(folderA),
          reidentification: sent.reidentification,
          actor: 'regional-tech',
        });
        assert.deepEqual(
          attached.map((a) => [a.patientId, a.studyInstanceUid, a.contentHash]),
          [[originalPatient, originalStudy, signed.contentHash]],
        );
        const [onPatient] = receivedResults(dataA, originalPatient);
        assert.equal(onPatient!.fromSite, 'hub-B');
        const reidentified = parseDicomBytes(
          await dataA.objects.get(onPatient!.srObject),
          'sr.dcm',
        ).dataSet;
        assert.equal(readString(reidentified, 'x00100020'), originalPatient);
        assert.equal(readString(reidentified, 'x0020000d'), originalStudy);
        assert.equal(
          sha(await dataA.objects.get(onPatient!.pdfObject!)),
          sha(pdf.bytes),
          'the PDF A holds is the one B signed off',
        );
        for (const f of results.manifest.files)
          assert.ok(
            (await dataA.objects.get(f.sha256).catch(() => undefined)) ||
              f.path.endsWith('results.json'),
            `${f.path} stored under its hash`,
          );
      } finally {
        dataA.close();
      }
    } finally {
      hub.data?.close();
    }
  },
);
