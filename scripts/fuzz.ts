/** `npm run fuzz [iterations] [seed]`: the DICOM fuzzer with more iterations than CI runs. */
import { FUZZ_CORPUS } from '../core/dicom/fuzz/fuzz-corpus.ts';
import { runFuzz } from '../core/dicom/fuzz/run-fuzz.ts';

const iterations = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
console.log(`fuzzing ${iterations} mutations, seed ${seed}…`);
const report = await runFuzz({ seed, iterations, files: FUZZ_CORPUS, perFileLimitMs: 2000 });
console.log(JSON.stringify(report, null, 2));
process.exitCode = report.uncaught.length || report.overLimit ? 1 : 0;
