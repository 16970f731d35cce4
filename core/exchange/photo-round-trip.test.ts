/**
 * The whole loop for a regional site that screens with a camera exporting JPEGs: site A
 * imports the bundled fundus exports with their sidecar CSV and sends the day's work as a
 * signed batch (plain through the API by date, de-identified with `neoscope batch create
 * --deidentify`); hub B verifies and imports all of it (nothing refused), finds both photos
 * on the right patient (or pseudonym) and eye, signs one visit report with both eyes, and
 * sends the signed results back; A verifies them and files them on its own patient and
 * study (de-identified: re-identified by A's own table, which never left it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { OperationName } from '../api/contract.ts';
import type { InstanceSummary } from '../base/schemas.ts';
import { batchCommand } from '../cli/exchange-commands.ts';
import { readString } from '../dicom/attributes.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { readImportPath } from '../library/read-import-path.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { libraryFor } from '../workstation/stored-library.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation, type Workstation } from '../workstation/create-workstation.ts';
import { pseudonymFor } from './batch-package.ts';
import { createResultsBatch, importResults, receivedResults } from './results-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const FUNDUS = join(projectRoot, 'dicom-samples', 'fundus-exports');
const PASS_A = 'regional-A-pass-1';

type Call = (op: OperationName, args: unknown) => Promise<never>;

/** A workstation on a data folder with a signed-in admin, its site key created or unlocked. */
async function open(folder: string, siteId: string, passphrase: string, firstRun: boolean) {
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder: folder,
  });
  const call: Call = async (op, args) => {
    const r = await workstation.dispatch(op, args);
    if (!r.ok) throw Object.assign(new Error(`${op}: ${r.error.message}`), { code: r.error.code });
    return r.value as never;
  };
  if (firstRun)
    await call('users.create', {
      username: 'admin',
      displayName: 'Site Admin',
      role: 'admin',
      password: `${siteId}-admin-1`,
    });
  await call('auth.login', { username: 'admin', password: `${siteId}-admin-1` });
  const keys = (await call('exchange.initSite', { siteId, passphrase })) as {
    publicKey: string;
  };
  return { workstation, call, keys };
}

/** Site A after importing the camera export folder with its sidecar; B knows A's key. */
async function regionalSiteWithPhotos() {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-loop-a-'));
  const b = mkdtempSync(join(tmpdir(), 'neoscope-loop-b-'));
  const siteA = await open(a, 'regional-A', PASS_A, true);
  const imported = await siteA.workstation.library.importFiles(
    await readImportPath(FUNDUS),
    'regional-tech',
  );
  assert.deepEqual(imported.failed, []);
  const photos = imported.imported.sort((x, y) => x.fileName.localeCompare(y.fileName));
  assert.deepEqual(
    photos.map((p) => [p.patientId, p.laterality, p.domain, p.studyDate]),
    [
      ['CHASE-01', 'L', 'retina', '20110101'],
      ['CHASE-01', 'R', 'retina', '20110101'],
    ],
  );
  const hub = await open(b, 'hub-B', 'hub-B-pass-1', true);
  await hub.call('exchange.addPartner', { siteId: 'regional-A', publicKey: siteA.keys.publicKey });
  await siteA.call('exchange.addPartner', { siteId: 'hub-B', publicKey: hub.keys.publicKey });
  return { a, siteA, hub, photos };
}

/** B imports the package (nothing refused), reads the visit with both eyes, signs, returns results. */
async function hubReadsAndReturns(hub: Awaited<ReturnType<typeof open>>, zip: Uint8Array) {
  const arrival = (await hub.call('exchange.importBatch', { name: 'from-A.zip', bytes: zip })) as {
    from: string;
    report: { imported: InstanceSummary[]; failed: unknown[]; duplicates: unknown[] };
  };
  assert.equal(arrival.from, 'regional-A');
  assert.deepEqual(arrival.report.failed, [], 'nothing refused');
  const photos = arrival.report.imported;
  assert.ok(photos.every((p) => p.sourceSite === 'regional-A' && p.domain === 'retina'));
  assert.deepEqual(
    photos.map((p) => [/Image_01[LR]/.exec(p.fileName)?.[0], p.laterality]).sort(),
    [
      ['Image_01L', 'L'],
      ['Image_01R', 'R'],
    ],
    'each photo keeps its eye',
  );

  await hub.call('users.create', {
    username: 'oph',
    displayName: 'Olu Ophthalmologist',
    role: 'ophthalmologist',
    password: 'retina-reader-7',
  });
  await hub.call('auth.login', { username: 'oph', password: 'retina-reader-7' });
  const exams = (await hub.call('worklist.exams', {})) as {
    exams: { reportId: string; instanceIds: string[]; eyes: string[] }[];
  };
  assert.equal(exams.exams.length, 1, 'both eyes of the infant and date are one visit');
  assert.deepEqual(exams.exams[0]!.eyes, ['OD', 'OS']);
  const draft = (await hub.call('review.open', {
    instanceIds: photos.map((p) => p.instanceId),
  })) as { content: { reportId: string; patientId: string } };
  const reportId = draft.content.reportId;
  for (const [field, value] of [
    ['od_zone', 'II'],
    ['od_stage', '1'],
    ['od_plus', 'none'],
    ['os_zone', 'III'],
    ['os_stage', '0'],
    ['os_plus', 'none'],
  ] as const)
    await hub.call('review.setField', { reportId, field, value });
  const signed = (await hub.call('review.sign', { reportId, password: 'retina-reader-7' })) as {
    contentHash: string;
  };
  const results = (await hub.call('exchange.exportResults', {
    patientId: draft.content.patientId,
  })) as { bytes: Uint8Array; reports: number };
  assert.equal(results.reports, 1);
  return { patientAtHub: photos[0]!.patientId, contentHash: signed.contentHash, results };
}

/** A verifies the results and finds them on its own patient, study and exam. */
async function regionalSiteFilesResults(
  siteA: Awaited<ReturnType<typeof open>>,
  photos: InstanceSummary[],
  returned: Awaited<ReturnType<typeof hubReadsAndReturns>>,
) {
  const back = (await siteA.call('exchange.importResults', {
    name: 'results-from-B.zip',
    bytes: returned.results.bytes,
  })) as { from: string; attached: { patientId: string; studyInstanceUid: string }[] };
  assert.equal(back.from, 'hub-B');
  assert.deepEqual(
    back.attached.map((r) => [r.patientId, r.studyInstanceUid]),
    [['CHASE-01', photos[0]!.studyInstanceUid]],
  );
  const onPatient = (await siteA.call('exchange.receivedResults', { patientId: 'CHASE-01' })) as {
    results: { fromSite: string; contentHash: string; pdf?: Uint8Array }[];
  };
  assert.deepEqual(
    onPatient.results.map((r) => [r.fromSite, r.contentHash]),
    [['hub-B', returned.contentHash]],
  );
  assert.equal(new TextDecoder().decode(onPatient.results[0]!.pdf!.subarray(0, 5)), '%PDF-');
  const [stored] = receivedResults(siteA.workstation.data!, 'CHASE-01');
  const sr = parseDicomBytes(await siteA.workstation.data!.objects.get(stored!.srObject), 'sr.dcm');
  assert.equal(readString(sr.dataSet, 'x00100020'), 'CHASE-01');
  assert.equal(readString(sr.dataSet, 'x0020000d'), photos[0]!.studyInstanceUid);
  const exams = (await siteA.call('worklist.exams', {})) as {
    exams: { instanceIds: string[]; statusDetail?: string }[];
  };
  const exam = exams.exams.find((e) => e.instanceIds.includes(photos[0]!.instanceId))!;
  assert.match(exam.statusDetail ?? '', /hub-B/, 'the exam shows the results came back');
}

test(
  "plain: A sends the day's photos by date through the API; B signs the visit; A files the results on CHASE-01",
  { timeout: 300_000 },
  async () => {
    const { siteA, hub, photos } = await regionalSiteWithPhotos();
    const closers: Workstation[] = [siteA.workstation, hub.workstation];
    try {
      const batch = (await siteA.call('exchange.createBatch', {
        studyDates: { from: '2011-01-01', to: '2011-01-01' },
      })) as { bytes: Uint8Array; files: number; patients: number; pseudonyms: number };
      assert.deepEqual([batch.files, batch.patients, batch.pseudonyms], [2, 1, 0]);
      await assert.rejects(
        siteA.call('exchange.createBatch', { studyDates: { from: '2030-01-01' } }),
        (e: Error & { code?: string }) =>
          e.code === 'NOT_FOUND' &&
          /study date from 2030-01-01 on: nothing to send/.test(e.message),
      );
      const returned = await hubReadsAndReturns(hub, batch.bytes);
      assert.equal(returned.patientAtHub, 'CHASE-01');
      await regionalSiteFilesResults(siteA, photos, returned);
    } finally {
      for (const w of closers) w.data?.close();
    }
  },
);

test(
  'de-identified: `batch create --deidentify` from the export folder; B sees a pseudonym; A re-identifies the results',
  { timeout: 300_000 },
  async () => {
    const { a, siteA, hub, photos } = await regionalSiteWithPhotos();
    const closers: Workstation[] = [hub.workstation];
    try {
      // The command line needs the data folder the workstation holds: A closes it first.
      siteA.workstation.data?.close();
      const out = join(a, 'to-hub.zip');
      const lines: string[] = [];
      const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t) };
      const code = await batchCommand(
        ['create', '--data', a, '--out', out, '--passphrase-stdin'].concat([
          '--deidentify',
          '--key',
          'A-secret',
          FUNDUS,
        ]),
        io,
        { readLine: async () => PASS_A, osUser: 'tester' },
      );
      assert.equal(code, 0, lines.join(''));
      const returned = await hubReadsAndReturns(hub, new Uint8Array(readFileSync(out)));
      assert.equal(returned.patientAtHub, pseudonymFor('CHASE-01', 'A-secret'));

      const reopened = await open(a, 'regional-A', PASS_A, false);
      closers.push(reopened.workstation);
      await regionalSiteFilesResults(reopened, photos, returned);
      // A results package is filed once: the same bytes again are refused as a replay.
      await assert.rejects(
        reopened.call('exchange.importResults', {
          name: 'again.zip',
          bytes: returned.results.bytes,
        }),
        (e: Error & { code?: string }) => /^EXCHANGE_/.test(e.code ?? ''),
      );
    } finally {
      for (const w of closers) w.data?.close();
    }
  },
);

test('results for a patient A neither pseudonymised nor holds are refused, and nothing is filed', async () => {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-loop-stranger-'));
  const data = await openDataFolder(a);
  try {
    const report = await libraryFor(data).importFiles(await readImportPath(FUNDUS), 'tech');
    assert.equal(report.failed.length, 0);
  } finally {
    data.close();
  }
  const hub = await SiteIdentity.init(mkdtempSync(join(tmpdir(), 'neoscope-loop-hub-')), 'hub-B');
  await new PartnerKeys(a).add(hub.public);
  const stranger = {
    content: { reportId: 'rop-x', patientId: 'SOMEONE-ELSE', studyInstanceUid: '1.2.3' },
    version: 1,
    contentHash: 'f'.repeat(64),
    signer: 'Olu',
  } as unknown as Parameters<typeof createResultsBatch>[0][number]['report'];
  const { zip } = await createResultsBatch(
    [{ report: stranger, sr: new Uint8Array([1, 2, 3]) }],
    hub,
    '0.0.0-test',
  );
  const folder = await openDataFolder(a);
  try {
    await assert.rejects(
      importResults(zip, 'stranger.zip', {
        data: folder,
        partners: new PartnerKeys(a),
        reidentification: [],
        actor: 'tech',
      }),
      /SOMEONE-ELSE, neither a pseudonym this site issued nor a patient and study it holds/,
    );
    assert.deepEqual(receivedResults(folder, 'SOMEONE-ELSE'), []);
  } finally {
    folder.close();
  }
});
