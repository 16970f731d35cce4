/**
 * `npm run fuzz [iterations] [seed]`: the DICOM fuzzer and the archive/package fuzzer with
 * more iterations than CI runs (archives: a tenth as many, at least 500). Fails on an
 * uncoded error, a case over its time limit, an accepted zip bomb, or a peak RSS of 1 GiB
 * or more; the archive fuzzer runs first so its peak is measured on its own.
 */
import { archiveFuzzFailures, runArchiveFuzz } from '../core/dicom/fuzz/archive-fuzz.ts';
import { FUZZ_CORPUS } from '../core/dicom/fuzz/fuzz-corpus.ts';
import { runFuzz } from '../core/dicom/fuzz/run-fuzz.ts';

const RSS_CEILING_MIB = 1024;
const iterations = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const archiveIterations = Math.max(500, Math.round(iterations / 10));

console.log(`fuzzing ${archiveIterations} hostile zips and packages, seed ${seed}…`);
const archives = await runArchiveFuzz({
  seed,
  iterations: archiveIterations,
  perCaseLimitMs: 2000,
  rssCeilingMiB: RSS_CEILING_MIB,
});
console.log(JSON.stringify({ ...archives, uncaught: archives.uncaught.slice(0, 10) }, null, 2));
const archiveFailures = archiveFuzzFailures(archives);

console.log(`fuzzing ${iterations} DICOM mutations, seed ${seed}…`);
const report = await runFuzz({ seed, iterations, files: FUZZ_CORPUS, perFileLimitMs: 2000 });
console.log(JSON.stringify(report, null, 2));
const peakMiB = process.resourceUsage().maxRSS / 1024;
const failures = [
  ...archiveFailures.map((f) => `archives: ${f}`),
  ...(report.uncaught.length ? [`dicom: ${report.uncaught.length} uncaught`] : []),
  ...(report.overLimit ? [`dicom: ${report.overLimit} file(s) over the time limit`] : []),
  ...(peakMiB >= RSS_CEILING_MIB
    ? [
        `peak RSS of the whole run ${peakMiB.toFixed(0)} MiB reached the ${RSS_CEILING_MIB} MiB ceiling`,
      ]
    : []),
];
console.log(
  failures.length
    ? `FUZZ FAILED:\n  ${failures.join('\n  ')}`
    : `fuzz passed; peak RSS ${peakMiB.toFixed(0)} MiB (ceiling ${RSS_CEILING_MIB} MiB)`,
);
process.exitCode = failures.length ? 1 : 0;
