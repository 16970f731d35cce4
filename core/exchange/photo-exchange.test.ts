/**
 * Camera exports across sites, through the `neoscope` commands: regional site A imports the
 * bundled fundus JPEGs with their sidecar CSV and sends the folder as a batch (plain, and
 * de-identified); hub B imports every file (none refused) and finds each photo on the right
 * patient (or pseudonym) and the right eye.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { batchCommand } from '../cli/exchange-commands.ts';
import { readImportPath } from '../library/read-import-path.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { libraryFor } from '../workstation/stored-library.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { pseudonymFor } from './batch-package.ts';
import { readReidentification } from './reidentification-table.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const passphrase = { readLine: async () => 'regional-A-pass-1', osUser: 'tester' };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    text: () => out.join('') + err.join(''),
  };
}

async function sites() {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-photo-a-'));
  const b = mkdtempSync(join(tmpdir(), 'neoscope-photo-b-'));
  const siteA = await SiteIdentity.init(a, 'regional-A', 'regional-A-pass-1');
  await SiteIdentity.init(b, 'hub-B');
  await new PartnerKeys(b).add(siteA.public);
  return { a, b };
}

async function photosAt(folder: string) {
  const data = await openDataFolder(folder);
  try {
    return libraryFor(data)
      .list()
      .filter((i) => /Image_01[LR]\.jpg/.test(i.fileName))
      .map((i) => ({
        file: i.fileName.replace(/^.*(Image_01[LR]\.jpg).*$/, '$1'),
        patientId: i.patientId,
        eye: i.laterality,
        domain: i.domain,
        studyDate: i.studyDate,
        sourceSite: i.sourceSite,
        instanceId: i.instanceId,
      }))
      .sort((x, y) => x.file.localeCompare(y.file));
  } finally {
    data.close();
  }
}

async function send(a: string, args: string[] = []) {
  const out = join(a, `batch-${args.length}.zip`);
  const created = capture();
  const code = await batchCommand(
    [
      'create',
      '--data',
      a,
      '--out',
      out,
      '--passphrase-stdin',
      ...args,
      join(projectRoot, 'dicom-samples'),
    ],
    created.io,
    passphrase,
  );
  assert.equal(code, 0, created.text());
  return out;
}

async function receive(b: string, zip: string) {
  const imported = capture();
  const code = await batchCommand(['import', '--data', b, zip], imported.io);
  assert.equal(code, 0, imported.text());
  assert.match(imported.text(), / 0 unreadable/);
}

test(
  'A imports the fundus exports with their sidecar and sends them; B imports all of it, each photo on its patient and eye',
  { timeout: 240_000 },
  async () => {
    const { a, b } = await sites();
    const dataA = await openDataFolder(a);
    try {
      const report = await libraryFor(dataA).importFiles(
        await readImportPath(join(projectRoot, 'dicom-samples')),
        'regional-tech',
      );
      assert.deepEqual(report.failed, []);
    } finally {
      dataA.close();
    }
    const atA = await photosAt(a);
    assert.deepEqual(
      atA.map((p) => [p.file, p.patientId, p.eye, p.domain, p.studyDate]),
      [
        ['Image_01L.jpg', 'CHASE-01', 'L', 'retina', '20110101'],
        ['Image_01R.jpg', 'CHASE-01', 'R', 'retina', '20110101'],
      ],
    );

    const zip = await send(a);
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync(zip))));
    assert.ok(
      names.some((n) => n.endsWith('Image_01R.jpg.dcm')),
      names.join(', '),
    );
    assert.ok(
      !names.some((n) => /\.csv$|\.jpg$/.test(n)),
      'photos travel as DICOM, CSVs stay home',
    );
    await receive(b, zip);
    const atB = await photosAt(b);
    assert.deepEqual(
      atB.map((p) => [p.file, p.patientId, p.eye, p.domain, p.sourceSite]),
      [
        ['Image_01L.jpg', 'CHASE-01', 'L', 'retina', 'regional-A'],
        ['Image_01R.jpg', 'CHASE-01', 'R', 'retina', 'regional-A'],
      ],
    );
    assert.deepEqual(
      atB.map((p) => p.instanceId),
      atA.map((p) => p.instanceId),
      'the object B holds is the one A made at import, byte for byte',
    );
  },
);

test(
  'a de-identified batch of photos reaches B under the pseudonym, eyes intact; A keeps who it is',
  { timeout: 240_000 },
  async () => {
    const { a, b } = await sites();
    const zip = await send(a, ['--deidentify', '--key', 'A-secret']);
    await receive(b, zip);
    const pseudonym = pseudonymFor('CHASE-01', 'A-secret');
    const atB = await photosAt(b);
    assert.deepEqual(
      atB.map((p) => [p.file, p.patientId, p.eye, p.domain]),
      [
        ['Image_01L.jpg', pseudonym, 'L', 'retina'],
        ['Image_01R.jpg', pseudonym, 'R', 'retina'],
      ],
    );
    const table = await readReidentification(a);
    assert.equal(table.find((r) => r.pseudonym === pseudonym)?.patientId, 'CHASE-01');
  },
);
