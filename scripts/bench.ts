/**
 * `npm run bench`: every hot path, each as ratios against a reference measured in the
 * same run. Benchmarks measure; tests check correctness.
 */
import { benchDicom, formatDicomFigures } from '../core/dicom/bench/dicom-bench.ts';
import { benchBackends, benchOcclusion } from '../core/inference/bench/inference-bench.ts';
import {
  benchSaliencyFaithfulness,
  formatSaliencyFaithfulness,
} from '../core/inference/bench/saliency-bench.ts';
import { loadModelPackage } from '../core/inference/load-package.ts';
import { createNativeNodeEngine } from '../core/inference/engine-native-node.ts';
import { createWasmNodeEngine } from '../core/inference/engine-wasm-node.ts';
import type { InferenceEngine } from '../core/inference/portable/engine.ts';
import { benchmarkCnnModel } from '../core/inference/testing/onnx-builder.ts';
import { dicomRows, isMalformed } from '../core/testing/manifest.ts';
import { projectRoot, sharedDataPath } from '../core/testing/shared-data.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { benchDisplay, formatDisplayFigures } from '../core/imaging/bench/display-bench.ts';
import { redFree } from '../renderer/features/viewer/display-modes.ts';
import { benchWorklist, formatWorklistFigures } from '../core/worklist/bench/worklist-bench.ts';
import { join } from 'node:path';

const files = dicomRows()
  .filter((row) => !isMalformed(row))
  .map((row) => sharedDataPath(row.path));
const skipped: string[] = [];
console.log(formatDicomFigures(await benchDicom(files, skipped)));
if (skipped.length) console.log(`left out: ${skipped.join('; ')}`);

// Inference: a constructed compact CNN (4 stride-2 3×3 convolutions, 16 channels, 256×256
// input) as the common reference, then every shipped package at its own input size.
const SIZE = 256;
const model = benchmarkCnnModel(SIZE);
const engines: Array<{ label: string; engine: InferenceEngine }> = [
  // ORT-Web fixes its thread count when its WASM starts, so one setting per process: both use 2 (this machine's cores).
  { label: 'onnxruntime-web WASM, 2 threads', engine: createWasmNodeEngine(2) },
];
const native = await createNativeNodeEngine(2).catch((error: Error) => {
  console.log(`onnxruntime-node not available: ${error.message}`);
  return undefined;
});
if (native) engines.push({ label: 'onnxruntime-node, 2 threads', engine: native });
const figures = await benchBackends(model, SIZE, engines);
console.log('\nInference, constructed compact CNN 256×256 (ratios measured in this run)');
for (const f of figures)
  console.log(
    `${f.backend.padEnd(34)} ${f.msPerImage.toFixed(2).padStart(8)} ms/image ${f.imagesPerSecond.toFixed(1).padStart(8)} images/s`,
  );
if (figures[1])
  console.log(
    `WASM / native throughput: ${(figures[0]!.imagesPerSecond / figures[1].imagesPerSecond).toFixed(2)}× (goal ≥ 0.8×)`,
  );
for (const folder of readdirSync(join(projectRoot, 'models'), { withFileTypes: true })) {
  const manifestPath = join(projectRoot, 'models', folder.name, 'manifest.json');
  if (!folder.isDirectory() || !existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const onnx = new Uint8Array(readFileSync(join(projectRoot, 'models', folder.name, 'model.onnx')));
  const shipped = await benchBackends(
    onnx,
    {
      name: manifest.input.name,
      channels: manifest.input.channels,
      height: manifest.input.height,
      width: manifest.input.width,
    },
    engines,
  );
  console.log(
    `\nShipped ${manifest.id} ${manifest.version} (${manifest.input.width}×${manifest.input.height})`,
  );
  for (const f of shipped)
    console.log(
      `${f.backend.padEnd(34)} ${f.msPerImage.toFixed(1).padStart(8)} ms/image ${f.imagesPerSecond.toFixed(2).padStart(8)} images/s`,
    );
  if (shipped[1])
    console.log(
      `WASM / native throughput: ${(shipped[0]!.imagesPerSecond / shipped[1].imagesPerSecond).toFixed(2)}×`,
    );
}
const session = await createWasmNodeEngine(2).createSession(model);
const occlusion = await benchOcclusion(session, SIZE, 28);
console.log(
  `14×14 occlusion map (196 perturbed images), WASM: batched (28/run) ${occlusion.batchedMs.toFixed(0)} ms, unbatched ${occlusion.unbatchedMs.toFixed(0)} ms, ratio ${(occlusion.unbatchedMs / occlusion.batchedMs).toFixed(2)}×`,
);
await session.release();

// Saliency faithfulness of the shipped classifier on pneumonia films of its test split.
{
  const loaded = await loadModelPackage(
    join(projectRoot, 'models', 'chest-pneumonia'),
    createWasmNodeEngine(2),
  );
  const rows = await benchSaliencyFaithfulness(
    loaded,
    sharedDataPath('cxr/kermany-pediatric-224/test/PNEUMONIA'),
    8,
    1000,
  );
  console.log(
    formatSaliencyFaithfulness(rows, `${loaded.manifest.id} ${loaded.manifest.version}, WASM`),
  );
  await loaded.session.release();
}

// The viewer's fundus views on a bundled photograph.
{
  const { data, info } = await sharp(
    join(projectRoot, 'dicom-samples', 'fundus-exports', 'Image_01R.jpg'),
  )
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  console.log(
    formatDisplayFigures(benchDisplay(new Uint8Array(data), info.width, info.height, redFree)),
  );
}

console.log(formatWorklistFigures(benchWorklist(1000)));
