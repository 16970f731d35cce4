/**
 * Zip expansion under a budget: a small zip that declares gigabytes, many small entries,
 * several archives in one call, nested zips, entries that lie about their size, unsafe
 * and duplicate names, damage — each refused with a coded error naming the archive,
 * before the memory is spent.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { entry, rawZip, zeroBomb } from '../dicom/fuzz/raw-zip.ts';
import { ArchiveBudget, expandZip } from './archives.ts';
import { createLibrary } from './library.ts';

const refused =
  (code: string, pattern: RegExp) => (error: Error & { code?: string; file?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };

test('the probe: 400 one-megabyte zero entries (400 KB zip) are refused from the directory, fast and without the memory', () => {
  const bomb = zeroBomb(400, 1_000_000);
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  assert.throws(
    () => expandZip(bomb, 'bomb.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /^bomb\.zip: .*more than 200:1/),
  );
  const ms = performance.now() - started;
  const grewMiB = (process.memoryUsage().rss - rss) / 2 ** 20;
  console.log(
    `# ${(bomb.length / 1e6).toFixed(2)} MB zip declaring 400 MB: refused in ${ms.toFixed(0)} ms, RSS +${grewMiB.toFixed(0)} MiB`,
  );
  assert.ok(ms < 1000, `${ms} ms`);
  assert.ok(grewMiB < 64, `RSS grew ${grewMiB} MiB`);
});

test('the ratio is checked for every entry above 64 KiB, not only above 1 MB', () => {
  assert.throws(
    () =>
      expandZip(zipSync({ 'blank.dcm': new Uint8Array(900_000) }, { level: 9 }), 'small-bomb.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /blank\.dcm compresses .* more than 200:1/),
  );
  // Small, very compressible files (headers, CSVs) are fine.
  assert.equal(
    expandZip(zipSync({ 'a.csv': new Uint8Array(60_000) }, { level: 9 }), 'ok.zip').length,
    1,
  );
});

test('one budget for the whole call: two archives that fit alone are refused together', () => {
  const part = zipSync({ 'a.bin': randomBytes(2_000_000) }, { level: 0 });
  const budget = new ArchiveBudget({ maxTotalBytes: 3_000_000 });
  assert.equal(expandZip(part, 'first.zip', { budget }).length, 1);
  assert.throws(
    () => expandZip(part, 'second.zip', { budget }),
    refused(
      'IMPORT_ARCHIVE_TOO_LARGE',
      /^second\.zip declares .*already expanded in this import.* limit/,
    ),
  );
});

test('one library import call shares one budget (NEOSCOPE_ARCHIVE_MAX_BYTES)', async () => {
  const part = (name: string) => ({
    name,
    bytes: zipSync({ 'x.dcm': randomBytes(2_000_000) }, { level: 0 }),
  });
  process.env.NEOSCOPE_ARCHIVE_MAX_BYTES = '3000000';
  try {
    const report = await createLibrary().importFiles([part('one.zip'), part('two.zip')]);
    assert.deepEqual(
      report.skipped.map((s) => s.fileName),
      ['one.zip'],
    );
    const two = report.failed.find((f) => f.fileName === 'two.zip');
    assert.equal(two?.code, 'IMPORT_ARCHIVE_TOO_LARGE', JSON.stringify(report.failed));
    // The next call has its own budget.
    const next = await createLibrary().importFiles([part('three.zip')]);
    assert.deepEqual(
      next.skipped.map((s) => s.fileName),
      ['three.zip'],
    );
  } finally {
    delete process.env.NEOSCOPE_ARCHIVE_MAX_BYTES;
  }
});

test('more than 10,000 entries are refused before any is read', () => {
  const tiny = entry('t', new Uint8Array([1]));
  const many = rawZip(Array.from({ length: 10_001 }, (_, i) => ({ ...tiny, name: `f${i}.dcm` })));
  assert.throws(
    () => expandZip(many, 'many.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /10,001 entries, over the limit of 10,000/),
  );
});

test('an entry that inflates beyond its declared size is stopped at the declared size', () => {
  const zeros = new Uint8Array(50 * 1024 * 1024);
  const liar = { ...entry('liar.dcm', zeros), size: 1000, crc: 0 };
  const rss = process.memoryUsage().rss;
  assert.throws(
    () => expandZip(rawZip([liar]), 'liar.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /liar\.dcm expands beyond its declared 1,000 bytes/),
  );
  assert.ok(process.memoryUsage().rss - rss < 32 * 2 ** 20, 'nothing near 50 MB was allocated');
});

test('a huge declared size (zip64, 1 TB) is refused without allocating', () => {
  const huge = { ...entry('huge.dcm', new Uint8Array(10)), size: 2 ** 40 };
  assert.throws(
    () => expandZip(rawZip([huge]), 'huge.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /huge/),
  );
});

test('nested zips are expanded within the same budget, two levels deep at most', () => {
  const inner = zipSync({ 'b.dcm': new Uint8Array([1, 2, 3]) });
  const outer = zipSync({ 'a.dcm': new Uint8Array([4]), 'inner.zip': inner }, { level: 0 });
  assert.deepEqual(
    expandZip(outer, 'outer.zip')
      .map((e) => e.name)
      .sort(),
    ['outer.zip/a.dcm', 'outer.zip/inner.zip/b.dcm'],
  );
  const third = zipSync({ 'outer.zip': outer }, { level: 0 });
  assert.throws(
    () => expandZip(third, 'third.zip'),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /nested more than 2 deep/),
  );
  // Nested bytes count too: the outer archive fits, the inner one takes it over.
  const payload = zipSync({ 'p.bin': randomBytes(600_000) }, { level: 0 });
  const wrapped = zipSync({ 'payload.zip': payload }, { level: 0 });
  assert.throws(
    () =>
      expandZip(wrapped, 'wrapped.zip', {
        budget: new ArchiveBudget({ maxTotalBytes: 1_000_000 }),
      }),
    refused('IMPORT_ARCHIVE_TOO_LARGE', /wrapped\.zip\/payload\.zip declares/),
  );
});

test('names: `../x`, `/abs`, `C:\\x` and duplicates refuse the archive; dot-files and __MACOSX are skipped', () => {
  const one = new Uint8Array([7]);
  for (const name of ['../x.dcm', 'a/../../x.dcm', '/etc/x.dcm', 'C:\\x.dcm', '..\\x.dcm']) {
    assert.throws(
      () => expandZip(rawZip([entry(name, one)]), 'names.zip'),
      refused('IMPORT_ARCHIVE_UNREADABLE', /absolute or climbs out/),
      name,
    );
  }
  assert.throws(
    () => expandZip(rawZip([entry('x.dcm', one), entry('x.dcm', one)]), 'dup.zip'),
    refused('IMPORT_ARCHIVE_UNREADABLE', /two entries are named "x\.dcm"/),
  );
  const skipped = expandZip(
    rawZip([
      entry('.DS_Store', one),
      entry('__MACOSX/._x.dcm', one),
      entry('dir/', new Uint8Array()),
      entry('x.dcm', one),
    ]),
    'mac.zip',
  );
  assert.deepEqual(
    skipped.map((e) => e.name),
    ['mac.zip/x.dcm'],
  );
});

test('truncated, overlapping and corrupted archives are unreadable, with the archive named', () => {
  const good = zipSync({ 'a.dcm': randomBytes(5000), 'b.dcm': randomBytes(5000) });
  for (const cut of [10, good.length / 2, good.length - 30]) {
    assert.throws(
      () => expandZip(good.subarray(0, Math.floor(cut)), 'cut.zip'),
      refused('IMPORT_ARCHIVE_UNREADABLE', /zip archive cut\.zip cannot be read/),
    );
  }
  const flipped = good.slice();
  flipped[100]! ^= 0xff;
  assert.throws(
    () => expandZip(flipped, 'flipped.zip'),
    refused('IMPORT_ARCHIVE_UNREADABLE', /CRC-32|inflate/),
  );
  // Entry b's local header and data lie inside entry a's data (the "overlapping" bomb).
  const b = entry('b.dcm', randomBytes(100), 0);
  const bAlone = rawZip([b]);
  const bLocal = bAlone.subarray(0, 30 + 5 + 100);
  const a = entry('a.dcm', bLocal, 0);
  assert.throws(
    () => expandZip(rawZip([a, { ...b, pointsAt: 30 + 5 }]), 'overlap.zip'),
    refused('IMPORT_ARCHIVE_UNREADABLE', /entries a\.dcm and b\.dcm overlap/),
  );
  assert.throws(
    () => expandZip(new Uint8Array(deflateRawSync(randomBytes(100))), 'junk.zip'),
    refused('IMPORT_ARCHIVE_UNREADABLE', /no end-of-archive record/),
  );
});
