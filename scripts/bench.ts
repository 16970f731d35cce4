/**
 * `npm run bench`: every hot path, each as ratios against a reference measured in the
 * same run. Benchmarks measure; tests check correctness.
 */
import { benchDicom, formatDicomFigures } from '../core/dicom/bench/dicom-bench.ts';
import { benchBackends, benchOcclusion } from '../core/inference/bench/inference-bench.ts';
import { createNativeNodeEngine } from '../core/inference/engine-native-node.ts';
import { createWasmNodeEngine } from '../core/inference/engine-wasm-node.ts';
import type { InferenceEngine } from '../core/inference/portable/engine.ts';
import { benchmarkCnnModel } from '../core/inference/testing/onnx-builder.ts';
import { dicomRows, isMalformed } from '../core/testing/manifest.ts';
import { sharedDataPath } from '../core/testing/shared-data.ts';

const files = dicomRows().filter((row) => !isMalformed(row)).map((row) => sharedDataPath(row.path));
const skipped: string[] = [];
console.log(formatDicomFigures(await benchDicom(files, skipped)));
if (skipped.length) console.log(`left out: ${skipped.join('; ')}`);

// Inference. No trained model ships yet, so the figures are for a constructed compact CNN
// (4 stride-2 3×3 convolutions, 16 channels, 256×256 input) of the size the shipped ones will be.
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
for (const f of figures) console.log(`${f.backend.padEnd(34)} ${f.msPerImage.toFixed(2).padStart(8)} ms/image ${f.imagesPerSecond.toFixed(1).padStart(8)} images/s`);
if (figures[1]) console.log(`WASM / native throughput: ${(figures[0]!.imagesPerSecond / figures[1].imagesPerSecond).toFixed(2)}× (goal ≥ 0.8×)`);
const session = await createWasmNodeEngine(2).createSession(model);
const occlusion = await benchOcclusion(session, SIZE, 28);
console.log(`14×14 occlusion map (196 perturbed images), WASM: batched (28/run) ${occlusion.batchedMs.toFixed(0)} ms, unbatched ${occlusion.unbatchedMs.toFixed(0)} ms, ratio ${(occlusion.unbatchedMs / occlusion.batchedMs).toFixed(2)}×`);
await session.release();
