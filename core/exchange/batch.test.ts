/**
 * Site A (regional) sends a de-identified batch to site B (hub): every file hash matches
 * end to end and the exams arrive tagged with A. Flipped, dropped and added files, a
 * missing signature, an unknown key, an altered manifest and a truncated archive are each
 * refused with their own code, and nothing from such a package is stored.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { createLibrary } from '../library/library.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { samplePath } from '../testing/shared-data.ts';
import { importBatch } from './batch-import.ts';
import { createBatch, pseudonymFor } from './batch-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const samples = [
  'chest-dx-lateral-highdicom.dcm',
  'chest-cr-j2k-pydicom.dcm',
  'retina-op-heidelberg-dcmjs.dcm',
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(samplePath(name))) }));

async function sites() {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-site-a-'));
  const b = mkdtempSync(join(tmpdir(), 'neoscope-site-b-'));
  const identityA = await SiteIdentity.init(a, 'regional-A');
  await SiteIdentity.init(b, 'hub-B');
  const partnersB = new PartnerKeys(b);
  const added = await partnersB.add({ siteId: 'regional-A', publicKey: identityA.publicKey });
  assert.equal(
    added.fingerprint,
    identityA.fingerprint,
    'the fingerprint read over the phone is the one B stores',
  );
  const dataB = await openDataFolder(b);
  const libraryB = createLibrary({ store: dataB.instances });
  return { a, b, identityA, partnersB, dataB, libraryB };
}

function rezip(zip: Uint8Array, change: (entries: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(zip);
  change(entries);
  return zipSync(entries);
}

test('round trip: a de-identified batch from A arrives at B with every hash intact, tagged with A', async () => {
  const { identityA, partnersB, dataB, libraryB } = await sites();
  try {
    const { zip, manifest, reidentification } = await createBatch(samples, identityA, {
      softwareVersion: '0.1.0',
      deidentify: { key: 'site-A-secret' },
    });
    assert.equal(manifest.counts.files, 3);
    assert.ok(
      reidentification.every(
        (r) =>
          r.pseudonym === pseudonymFor(r.patientId || r.patientName || 'unknown', 'site-A-secret'),
      ),
    );
    const { report } = await importBatch(zip, 'batch.zip', {
      library: libraryB,
      partners: partnersB,
      audit: dataB.audit,
      actor: 'hub-tech',
    });
    assert.equal(report.imported.length, 3);
    for (const instance of report.imported) {
      assert.equal(instance.sourceSite, 'regional-A');
      assert.match(instance.patientId, /^PSN-[0-9A-F]{12}$/, 'only the pseudonym travels');
      // End to end: the stored bytes are exactly the bytes A listed and signed.
      const stored = await dataB.instances.bytes(instance.instanceId);
      const hash = createHash('sha256').update(stored).digest('hex');
      assert.ok(
        manifest.files.some((f) => f.sha256 === hash),
        `${instance.fileName} arrived with a hash A did not sign`,
      );
    }
    await assert.rejects(
      importBatch(zip, 'batch.zip', {
        library: libraryB,
        partners: partnersB,
        audit: dataB.audit,
        actor: 'hub-tech',
      }),
      { code: 'EXCHANGE_REPLAYED' },
      'a package is imported once',
    );
    assert.equal(libraryB.list().length, 3);
  } finally {
    dataB.close();
  }
});

test('every kind of tampering is refused with its own message, and nothing is stored', async () => {
  const { a, identityA, partnersB, dataB, libraryB } = await sites();
  try {
    const { zip, manifest } = await createBatch(samples, identityA, { softwareVersion: '0.1.0' });
    const target = manifest.files[1]!.path;
    const stranger = await SiteIdentity.init(
      mkdtempSync(join(tmpdir(), 'neoscope-site-c-')),
      'regional-A',
    ); // same name, other key
    const { zip: forged } = await createBatch(samples, stranger, { softwareVersion: '0.1.0' });
    const unknownSender = await createBatch(
      samples,
      await SiteIdentity.init(mkdtempSync(join(tmpdir(), 'neoscope-site-d-')), 'unknown-D'),
      { softwareVersion: '0.1.0' },
    );
    const cases: [string, Uint8Array, string, RegExp][] = [
      [
        'flipped byte',
        rezip(zip, (e) => void (e[target]![5000]! ^= 0x01)),
        'EXCHANGE_FILE_ALTERED',
        new RegExp(`${target} does not match its SHA-256`),
      ],
      [
        'dropped file',
        rezip(zip, (e) => void delete e[target]),
        'EXCHANGE_FILE_MISSING',
        new RegExp(`${target} is listed in the manifest but missing`),
      ],
      [
        'added file',
        rezip(zip, (e) => void (e['files/99999-extra.dcm'] = samples[0]!.bytes)),
        'EXCHANGE_FILE_UNLISTED',
        /files\/99999-extra\.dcm is in the package but not in the signed manifest/,
      ],
      [
        'unsigned',
        rezip(zip, (e) => void delete e['manifest.sig']),
        'EXCHANGE_UNSIGNED',
        /not signed/,
      ],
      [
        'altered manifest',
        rezip(
          zip,
          (e) =>
            void (e['manifest.json'] = new TextEncoder().encode(
              new TextDecoder()
                .decode(e['manifest.json'])
                .replace('"deidentified": false', '"deidentified": true'),
            )),
        ),
        'EXCHANGE_BAD_SIGNATURE',
        /signature does not match site regional-A/,
      ],
      ['signed with another key', forged, 'EXCHANGE_BAD_SIGNATURE', /signature does not match/],
      [
        'unknown sender',
        unknownSender.zip,
        'EXCHANGE_UNKNOWN_SENDER',
        /site unknown-D .* whose key this site has not imported/,
      ],
      [
        'truncated',
        zip.subarray(0, Math.floor(zip.length * 0.6)),
        'EXCHANGE_NOT_A_PACKAGE',
        /damaged or truncated/,
      ],
    ];
    for (const [label, bytes, code, message] of cases) {
      await assert.rejects(
        importBatch(bytes, 'batch.zip', {
          library: libraryB,
          partners: partnersB,
          audit: dataB.audit,
          actor: 'hub-tech',
        }),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, code, `${label}: ${e.message}`);
          assert.match(e.message, message, label);
          return true;
        },
      );
    }
    assert.equal(libraryB.list().length, 0, 'nothing from a refused package is stored');
    assert.ok(a);
  } finally {
    dataB.close();
  }
});
