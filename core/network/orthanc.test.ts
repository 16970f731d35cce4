/**
 * DICOMweb against a real Orthanc (Debian's orthanc + orthanc-dicomweb, started here on
 * loopback ports): a signed SR sent with STOW-RS is found with QIDO-RS and comes back
 * byte for byte with WADO-RS.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildStructuredReport } from '../reports/structured-report.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import { qido, stowInstances, wadoInstance, type DicomWebTarget } from './dicomweb.ts';

const ORTHANC = '/usr/sbin/Orthanc';
const PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
let orthanc: ChildProcess | undefined;
let target: DicomWebTarget;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (!existsSync(ORTHANC) || !existsSync(PLUGIN))
    throw new Error('Orthanc is needed for this test: apt-get install -y orthanc orthanc-dicomweb');
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-orthanc-'));
  const [http, dicom] = [await freePort(), await freePort()];
  writeFileSync(
    join(folder, 'orthanc.json'),
    JSON.stringify({
      Name: 'NeoScopeTest',
      StorageDirectory: join(folder, 'db'),
      IndexDirectory: join(folder, 'db'),
      HttpPort: http,
      DicomPort: dicom,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      Plugins: [PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
    }),
  );
  orthanc = spawn(ORTHANC, [join(folder, 'orthanc.json')], { stdio: 'ignore' });
  target = { baseUrl: `http://127.0.0.1:${http}/dicom-web` };
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${http}/system`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Orthanc did not start within 20 s');
});

after(() => {
  orthanc?.kill('SIGTERM');
});

test(
  'STOW-RS of a signed SR to Orthanc succeeds, QIDO-RS finds it, WADO-RS returns the same bytes',
  { timeout: 60_000 },
  async () => {
    const report: SignedReport = {
      content: {
        reportId: 'r1',
        patientId: 'NICU-9',
        studyInstanceUid: '2.25.5150',
        instanceIds: [],
        domain: 'chest',
        fields: [
          {
            field: 'ctr',
            reader: 0.58,
            ai: {
              value: 0.55,
              model: { id: 'chest-lungs', version: '0.1.0', sha256: 'b'.repeat(64) },
            },
          },
        ],
        freeText: 'Cardiomegaly; echo advised.',
      },
      version: 1,
      signer: 'Rae Radiologist (rad, radiologist)',
      signedAt: '2026-11-23T10:30:00Z',
      models: [{ id: 'chest-lungs', version: '0.1.0', sha256: 'b'.repeat(64) }],
      contentHash: 'd'.repeat(64),
    };
    const sopInstanceUid = '2.25.5150123';
    const seriesInstanceUid = '2.25.5150124';
    const sr = buildStructuredReport(
      report,
      {
        patientName: 'Doe^Baby',
        patientId: 'NICU-9',
        patientBirthDate: '',
        patientSex: '',
        studyInstanceUid: '2.25.5150',
        studyDate: '20261123',
        studyTime: '',
        studyId: '',
        accessionNumber: '',
        referringPhysicianName: '',
        images: [],
      },
      { sopInstanceUid, seriesInstanceUid },
    );
    const stowed = await stowInstances(target, [sr]);
    assert.equal(stowed.stored, 1, JSON.stringify(stowed.response));
    assert.equal(stowed.failed, 0);
    const found = await qido(target, 'instances', { SOPInstanceUID: sopInstanceUid });
    assert.equal(found.length, 1);
    assert.equal(found[0]!['00080060']?.Value?.[0], 'SR');
    const studies = await qido(target, 'studies', { PatientID: 'NICU-9' });
    assert.deepEqual(
      studies.map((s) => s['0020000D']?.Value?.[0]),
      ['2.25.5150'],
    );
    const back = await wadoInstance(target, '2.25.5150', seriesInstanceUid, sopInstanceUid);
    assert.equal(
      createHash('sha256').update(back).digest('hex'),
      createHash('sha256').update(sr).digest('hex'),
    );
  },
);
