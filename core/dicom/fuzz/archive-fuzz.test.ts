/**
 * A bounded, seeded run of the archive and package fuzzer (CI runs this; `npm run fuzz`
 * runs more): hostile zips and packages are refused with coded errors only, no bomb is
 * accepted, no case takes over 2 s, and the process never reaches 1 GiB of RSS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARCHIVE_CASES, archiveFuzzFailures, runArchiveFuzz } from './archive-fuzz.ts';

test(
  '400 hostile zips and packages: coded refusals only, no bomb accepted, peak RSS under 1 GiB',
  { timeout: 120_000 },
  async () => {
    const report = await runArchiveFuzz({
      seed: 20261130,
      iterations: 400,
      perCaseLimitMs: 2000,
      rssCeilingMiB: 1024,
    });
    console.log(
      `# archive fuzz: ${JSON.stringify({ ...report, uncaught: report.uncaught.slice(0, 3) })}`,
    );
    assert.deepEqual(archiveFuzzFailures(report), []);
    for (const kind of ARCHIVE_CASES) assert.ok(report.byCase[kind], `case ${kind} was exercised`);
    assert.ok(
      report.byOutcome.ok &&
        report.byOutcome.IMPORT_ARCHIVE_TOO_LARGE &&
        report.byOutcome.EXCHANGE_FILE_UNLISTED,
      JSON.stringify(report.byOutcome),
    );
  },
);
