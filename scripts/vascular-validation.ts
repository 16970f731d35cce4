/**
 * Checks the ordering of the vascular severity indicator on the images we have: premature
 * infants' fundus images from ROP screening (unlabelled for plus disease) against normal
 * child retinas (CHASE_DB1 test subjects) and adult retinas (DRIVE test subjects). Prints
 * a markdown table; with --write it also stores it as
 * models/retina-vessels/VASCULAR-VALIDATION.md (linked from the card).
 *
 *     npx tsx scripts/vascular-validation.ts [--write]
 */
import { writeFileSync } from 'node:fs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeImage } from '../core/inference/analyze-image.ts';
import { createWasmNodeEngine } from '../core/inference/engine-wasm-node.ts';
import { loadModelPackage } from '../core/inference/load-package.ts';
import { decodePhotoFrame } from '../core/library/photo-export.ts';
import { deriveMeasurement, type VascularResult } from '../core/measurements/derive-measurements.ts';
import { projectRoot, sharedDataPath } from '../core/testing/shared-data.ts';

const model = await loadModelPackage(join(projectRoot, 'models', 'retina-vessels'), createWasmNodeEngine());
// CHASE_DB1 and DRIVE subjects the model did not train on (models/retina-vessels/CARD.md).
const card = readFileSync(join(projectRoot, 'models', 'retina-vessels', 'CARD.md'), 'utf8');
const testNames = new Set([...card.matchAll(/(CHASE_DB1|DRIVE):([^,.\s]+\.\w+)/g)].map((m) => `${m[1]}/${m[2]}`));
const list = (folder: string, filter: (n: string) => boolean = () => true) =>
  readdirSync(sharedDataPath(...folder.split('/')))
    .filter(filter)
    .sort()
    .map((n) => join(sharedDataPath(...folder.split('/')), n));
const groups: [string, string[]][] = [
  ['ROP screening, premature infants (Ostrava)', list('retina/ROP-Ostrava-samples/images')],
  ['ROP screening with ridge, barrel-distorted (HVDROPDB)', list('retina/HVDROPDB-Ridge-augmented/images')],
  ['normal children (CHASE_DB1 test subjects)', list('retina/CHASE_DB1/images', (n) => testNames.has(`CHASE_DB1/${n}`))],
  ['adults (DRIVE test subjects)', list('retina/DRIVE/images', (n) => testNames.has(`DRIVE/${n}`))],
];

const lines: string[] = [];
const print = (line: string) => {
  console.log(line);
  lines.push(line);
};
print('| group | image | disc (x, y) | quadrants measured | mean TI | quadrant score sum | category |');
print('|---|---|---|---|---|---|---|');
const means: string[] = [];
for (const [group, files] of groups) {
  const values: number[] = [];
  for (const file of files) {
    const frame = await decodePhotoFrame(new Uint8Array(readFileSync(file)), 'validation', file);
    const analysis = await analyzeImage(frame, model, 'none');
    const result = deriveMeasurement('retinal-vascular-metrics', frame, analysis.probabilityMap!) as VascularResult;
    const { opticDisc, severity } = result.metrics;
    if (severity.meanTortuosityIndex !== null) values.push(severity.meanTortuosityIndex);
    print(`| ${group} | ${file.split('/').pop()} | ${opticDisc.x.toFixed(0)}, ${opticDisc.y.toFixed(0)} | ${severity.quadrantsMeasured} | ${severity.meanTortuosityIndex?.toFixed(3) ?? '—'} | ${severity.quadrantScoreSum} | ${severity.category} |`);
  }
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  means.push(`${group}: mean TI ${mean.toFixed(3)} over ${values.length} image(s)`);
}
print('');
for (const line of means) print(`- ${line}`);
if (process.argv.includes('--write')) {
  const header = ['# Vascular severity indicator on the images at hand', '', 'Produced by `npx tsx scripts/vascular-validation.ts --write` with retina-vessels ' + model.manifest.version + ' (disc diameter estimated from the field of view; laterality unknown, so quadrants are named by image side). None of these images has a plus-disease label; see CARD.md for what this can and cannot show.', ''];
  writeFileSync(join(projectRoot, 'models', 'retina-vessels', 'VASCULAR-VALIDATION.md'), [...header, ...lines, ''].join('\n'));
}
await model.session.release();
