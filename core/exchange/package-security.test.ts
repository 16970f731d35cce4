/**
 * A package is judged by its signed manifest before anything else in it is expanded: a
 * bomb without a manifest costs nothing, unsigned extra entries (`.x`, `../x`, a second
 * copy) refuse it, a batch id is imported once, images and results packages cannot be
 * swapped, and an old package needs confirmation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { entry, rawZip, zeroBomb } from '../dicom/fuzz/raw-zip.ts';
import { createLibrary } from '../library/library.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { samplePath } from '../testing/shared-data.ts';
import { importBatch } from './batch-import.ts';
import { createBatch, verifyBatch } from './batch-package.ts';
import { importResults } from './results-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const samples = ['chest-dx-lateral-highdicom.dcm', 'retina-op-heidelberg-dcmjs.dcm'].map(
  (name) => ({ name, bytes: new Uint8Array(readFileSync(samplePath(name))) }),
);
const DAY = 24 * 3600 * 1000;

async function sites() {
  const a = mkdtempSync(join(tmpdir(), 'neoscope-pkg-a-'));
  const b = mkdtempSync(join(tmpdir(), 'neoscope-pkg-b-'));
  const identityA = await SiteIdentity.init(a, 'regional-A');
  const identityB = await SiteIdentity.init(b, 'hub-B');
  await new PartnerKeys(b).add(identityA.public);
  await new PartnerKeys(a).add(identityB.public);
  const dataB = await openDataFolder(b);
  return {
    a,
    b,
    identityA,
    identityB,
    partnersB: new PartnerKeys(b),
    dataB,
    libraryB: createLibrary({ store: dataB.instances }),
  };
}

const refused = (code: string, pattern: RegExp) => (error: Error & { code?: string }) => {
  assert.equal(error.code, code, error.message);
  assert.match(error.message, pattern);
  return true;
};

/** The package's entries rewritten raw (rawZip keeps names fflate would clean, and duplicates). */
function repack(zip: Uint8Array, extra: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const entries = Object.entries(unzipSync(zip)).map(([name, bytes]) => entry(name, bytes, 0));
  return rawZip([...entries, ...extra.map((e) => entry(e.name, e.bytes))]);
}

test('a bomb posing as a package is refused from its directory: nothing is expanded, no manifest', async () => {
  const { partnersB, dataB } = await sites();
  try {
    const bomb = zeroBomb(400, 1_000_000, 'files/x');
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    await assert.rejects(
      verifyBatch(bomb, 'bomb.zip', partnersB),
      refused('EXCHANGE_MANIFEST_INVALID', /has no manifest\.json/),
    );
    const ms = performance.now() - started;
    const grewMiB = (process.memoryUsage().rss - rss) / 2 ** 20;
    console.log(
      `# ${(bomb.length / 1e6).toFixed(2)} MB package declaring 400 MB: refused in ${ms.toFixed(0)} ms, RSS +${grewMiB.toFixed(0)} MiB`,
    );
    assert.ok(ms < 1000, `${ms} ms`);
    assert.ok(grewMiB < 64, `RSS grew ${grewMiB} MiB`);
  } finally {
    dataB.close();
  }
});

test('the signature is checked before any listed or unlisted file is expanded', async () => {
  const { identityA, partnersB, dataB } = await sites();
  try {
    const { zip } = await createBatch(samples, identityA, { softwareVersion: '0.1.0' });
    const entries = unzipSync(zip);
    entries['manifest.sig'] = new TextEncoder().encode(
      identityA.sign(new TextEncoder().encode('something else')),
    );
    // An entry whose deflate stream is garbage: expanding it would fail as "damaged".
    const garbage = {
      ...entry('files/zz-garbage.dcm', new Uint8Array(1000)),
      data: new Uint8Array(64).fill(0xff),
    };
    const forged = rawZip([
      ...Object.entries(entries).map(([name, bytes]) => entry(name, bytes, 0)),
      garbage,
    ]);
    await assert.rejects(
      verifyBatch(forged, 'forged.zip', partnersB),
      refused('EXCHANGE_BAD_SIGNATURE', /signature does not match/),
    );
  } finally {
    dataB.close();
  }
});

test('unsigned extra entries — `.x`, `../x`, `__MACOSX/…`, a second copy of a listed file — refuse the package, by name', async () => {
  const { identityA, partnersB, dataB, libraryB } = await sites();
  try {
    const { zip, manifest } = await createBatch(samples, identityA, { softwareVersion: '0.1.0' });
    const listed = manifest.files[0]!;
    const cases: [string, Uint8Array, RegExp][] = [
      [
        '.x',
        repack(zip, [{ name: '.x', bytes: samples[0]!.bytes }]),
        /\.x is in the package but not in the signed manifest/,
      ],
      [
        '../x',
        repack(zip, [{ name: '../x', bytes: samples[0]!.bytes }]),
        /\.\.\/x is in the package but not in the signed manifest/,
      ],
      [
        'files/.hidden',
        repack(zip, [{ name: 'files/.hidden.dcm', bytes: samples[0]!.bytes }]),
        /files\/\.hidden\.dcm is in the package but not/,
      ],
      [
        '__MACOSX',
        repack(zip, [{ name: '__MACOSX/._x', bytes: new Uint8Array(10) }]),
        /__MACOSX\/\._x is in the package but not/,
      ],
      [
        'duplicate',
        repack(zip, [{ name: listed.path, bytes: unzipSync(zip)[listed.path]! }]),
        new RegExp(`"${listed.path}" appears more than once`),
      ],
    ];
    for (const [label, bytes, message] of cases) {
      await assert.rejects(
        importBatch(bytes, 'batch.zip', {
          library: libraryB,
          partners: partnersB,
          audit: dataB.audit,
          actor: 'hub-tech',
        }),
        refused('EXCHANGE_FILE_UNLISTED', message),
        label,
      );
    }
    assert.equal(libraryB.list().length, 0, 'nothing from a refused package is stored');
  } finally {
    dataB.close();
  }
});

test('replay: a batch already imported is refused, naming when; a killed import (no audit entry yet) may run again', async () => {
  const { identityA, partnersB, dataB, libraryB } = await sites();
  try {
    const { zip, manifest } = await createBatch(samples, identityA, { softwareVersion: '0.1.0' });
    const deps = { library: libraryB, partners: partnersB, audit: dataB.audit, actor: 'hub-tech' };
    // Two imports at once: one wins, the other is refused while it runs.
    const [first, second] = await Promise.allSettled([
      importBatch(zip, 'batch.zip', deps),
      importBatch(zip, 'batch-copy.zip', deps),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    assert.equal((second as PromiseRejectedResult).reason.code, 'EXCHANGE_REPLAYED');
    await assert.rejects(
      importBatch(zip, 'batch-again.zip', deps),
      refused(
        'EXCHANGE_REPLAYED',
        new RegExp(
          `batch ${manifest.batchId} from site regional-A was already imported on .* by hub-tech \\(audit entry \\d+\\)`,
        ),
      ),
    );
    assert.equal(libraryB.list().length, samples.length);
  } finally {
    dataB.close();
  }
});

test('kind: an images batch is not imported as results, nor a results package as images; results are imported once', async () => {
  const { a, identityA, identityB, partnersB, dataB, libraryB } = await sites();
  const dataA = await openDataFolder(a);
  try {
    const results = await createBatch(
      [{ name: 'results.json', bytes: new TextEncoder().encode('[]') }],
      identityA,
      { kind: 'results', softwareVersion: '0.1.0' },
    );
    await assert.rejects(
      importBatch(results.zip, 'results.zip', {
        library: libraryB,
        partners: partnersB,
        audit: dataB.audit,
        actor: 'hub-tech',
      }),
      refused('EXCHANGE_WRONG_KIND', /results\.zip is a results package .* not an images batch/),
    );
    const bImages = await createBatch(samples, identityB, { softwareVersion: '0.1.0' });
    await assert.rejects(
      importResults(bImages.zip, 'images-from-B.zip', {
        data: dataA,
        partners: new PartnerKeys(a),
        reidentification: [],
        actor: 'regional-tech',
      }),
      refused(
        'EXCHANGE_WRONG_KIND',
        /images-from-B\.zip is an images batch .* not a results package/,
      ),
    );
    assert.equal(libraryB.list().length, 0);
    // A results package is imported once too.
    const fromB = await createBatch(
      [{ name: 'results.json', bytes: new TextEncoder().encode('[]') }],
      identityB,
      { kind: 'results', softwareVersion: '0.1.0' },
    );
    const resultsDeps = {
      data: dataA,
      partners: new PartnerKeys(a),
      reidentification: [],
      actor: 'regional-tech',
    };
    assert.deepEqual(
      (await importResults(fromB.zip, 'results-from-B.zip', resultsDeps)).attached,
      [],
    );
    await assert.rejects(
      importResults(fromB.zip, 'results-from-B.zip', resultsDeps),
      refused('EXCHANGE_REPLAYED', /already imported on .* by regional-tech/),
    );
  } finally {
    dataA.close();
    dataB.close();
  }
});

test('age: a package older than 30 days (or dated ahead) needs confirmation; the window is configurable', async () => {
  const { identityA, partnersB, dataB, libraryB } = await sites();
  try {
    const deps = { library: libraryB, partners: partnersB, audit: dataB.audit, actor: 'hub-tech' };
    const old = await createBatch(samples, identityA, {
      softwareVersion: '0.1.0',
      now: new Date(Date.now() - 45 * DAY),
    });
    await assert.rejects(
      importBatch(old.zip, 'old.zip', deps),
      refused(
        'EXCHANGE_TOO_OLD',
        /old\.zip was created .*, 45 days ago, older than the 30-day window: confirm .*--accept-old/,
      ),
    );
    await assert.rejects(
      importBatch(old.zip, 'old.zip', { ...deps, maxAgeDays: 40 }),
      refused('EXCHANGE_TOO_OLD', /40-day window/),
    );
    assert.equal(libraryB.list().length, 0);
    const accepted = await importBatch(old.zip, 'old.zip', { ...deps, acceptOld: true });
    assert.equal(accepted.report.imported.length, samples.length);
    const windowed = await createBatch(samples, identityA, {
      softwareVersion: '0.1.0',
      now: new Date(Date.now() - 45 * DAY),
    });
    assert.equal(
      (await importBatch(windowed.zip, 'w.zip', { ...deps, maxAgeDays: 60 })).report.duplicates
        .length,
      samples.length,
    );
    const future = await createBatch(samples, identityA, {
      softwareVersion: '0.1.0',
      now: new Date(Date.now() + 3 * DAY),
    });
    await assert.rejects(
      importBatch(future.zip, 'future.zip', deps),
      refused('EXCHANGE_FROM_FUTURE', /ahead of this computer's clock/),
    );
  } finally {
    dataB.close();
  }
});
