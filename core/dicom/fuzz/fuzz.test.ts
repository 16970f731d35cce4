/**
 * Acceptance: ≥ 2,000 seeded mutations of real files through the import path — no
 * uncaught exception, no file over 2 s, no runaway memory. `npm run fuzz` runs more.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUZZ_CORPUS } from './fuzz-corpus.ts';
import { runFuzz } from './run-fuzz.ts';

test(
  '2,000 mutated files: coded errors only, each under 2 s, memory bounded',
  { timeout: 600_000 },
  async () => {
    const report = await runFuzz({
      seed: 20261123,
      iterations: 2000,
      files: FUZZ_CORPUS,
      perFileLimitMs: 2000,
    });
    console.log(`# fuzz: ${JSON.stringify({ ...report, uncaught: report.uncaught.slice(0, 5) })}`);
    assert.deepEqual(report.uncaught, []);
    assert.equal(
      report.overLimit,
      0,
      `slowest ${report.slowest.ms.toFixed(0)} ms (${report.slowest.file}, ${report.slowest.kind})`,
    );
    assert.ok(
      report.rssPeakMiB - report.rssStartMiB < 512,
      `RSS grew from ${report.rssStartMiB.toFixed(0)} to ${report.rssPeakMiB.toFixed(0)} MiB`,
    );
    assert.ok(report.imported > 0 && report.refused > 0, 'mutations both survive and break files');
  },
);
