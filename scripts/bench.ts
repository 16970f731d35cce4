/**
 * `npm run bench`: every hot path, each as ratios against a reference measured in the
 * same run. Benchmarks measure; tests check correctness.
 */
import { benchDicom, formatDicomFigures } from '../core/dicom/bench/dicom-bench.ts';
import { dicomRows, isMalformed } from '../core/testing/manifest.ts';
import { sharedDataPath } from '../core/testing/shared-data.ts';

const files = dicomRows().filter((row) => !isMalformed(row)).map((row) => sharedDataPath(row.path));
const skipped: string[] = [];
console.log(formatDicomFigures(await benchDicom(files, skipped)));
if (skipped.length) console.log(`left out: ${skipped.join('; ')}`);
