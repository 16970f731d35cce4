/**
 * `npm run bench`: every hot path, each as ratios against a reference measured in the
 * same run. Benchmarks measure; tests check correctness.
 */
import { benchDicom, formatDicomFigures } from '../core/dicom/bench/dicom-bench.ts';
import { benchOcclusion } from '../core/inference/bench/inference-bench.ts';
import {
  benchModelOnEngines,
  enginesHere,
  formatEngineFigures,
} from '../core/inference/bench/engine-bench.ts';
import { makeVisitFolder, timeVisit } from '../core/inference/bench/visit-bench.ts';
import {
  benchVascularMetrics,
  formatVascularFigures,
  vesselMapsOf,
} from '../core/measurements/vascular/bench/vascular-bench.ts';
import {
  benchSaliencyFaithfulness,
  formatSaliencyFaithfulness,
} from '../core/inference/bench/saliency-bench.ts';
import { loadModelPackage } from '../core/inference/load-package.ts';
import { createWasmNodeEngine } from '../core/inference/engine-wasm-node.ts';
import { benchmarkCnnModel } from '../core/inference/testing/onnx-builder.ts';
import { dicomRows, isMalformed } from '../core/testing/manifest.ts';
import { projectRoot, sharedDataPath } from '../core/testing/shared-data.ts';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { build } from 'esbuild';
import sharp from 'sharp';
import { benchDisplay, formatDisplayFigures } from '../core/imaging/bench/display-bench.ts';
import { redFree } from '../renderer/features/viewer/display-modes.ts';
import { benchWorklist, formatWorklistFigures } from '../core/worklist/bench/worklist-bench.ts';
import { join } from 'node:path';

/** Every figure is printed with the load average it was measured under (shared machines). */
function loadAverage(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} on ${availableParallelism()} cores`;
}

/**
 * The CLI and its worker threads bundled from this checkout into dist/bench-cli/ (the same
 * esbuild settings as scripts/build.ts), so the visit times the code being measured.
 */
async function buildBenchCli(): Promise<string[]> {
  const out = join(projectRoot, 'dist', 'bench-cli');
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    packages: 'external' as const,
    format: 'esm' as const,
    logLevel: 'warning' as const,
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(projectRoot, 'core/cli/main.ts')],
      outfile: join(out, 'neoscope.mjs'),
    }),
    ...['inference-worker', 'measurement-worker'].map((worker) =>
      build({
        ...common,
        entryPoints: [join(projectRoot, `core/inference/worker/${worker}.ts`)],
        outfile: join(out, `${worker}.mjs`),
      }),
    ),
  ]);
  return [process.execPath, join(out, 'neoscope.mjs')];
}

/** `npm run bench -- inference visit` runs only the sections named; none named: all. */
const SECTIONS = ['dicom', 'inference', 'visit', 'vascular', 'saliency', 'display', 'worklist'];
const asked = process.argv.slice(2).filter((a) => SECTIONS.includes(a));
const wanted = (section: string) => !asked.length || asked.includes(section);

console.log(`NeoScope bench: ${loadAverage()} at the start\n`);
if (wanted('dicom')) {
  const files = dicomRows()
    .filter((row) => !isMalformed(row))
    .map((row) => sharedDataPath(row.path));
  const skipped: string[] = [];
  console.log(formatDicomFigures(await benchDicom(files, skipped)));
  if (skipped.length) console.log(`left out: ${skipped.join('; ')}`);
}

if (wanted('inference')) {
  // Inference: a constructed compact CNN (4 stride-2 3×3 convolutions, 16 channels, 256×256
  // input) as the common reference, then every shipped package at its own input size, each on
  // every engine here and through the workstation's inference worker.
  const SIZE = 256;
  const model = benchmarkCnnModel(SIZE);
  const loadBeforeEngines = loadAverage();
  const engineSet = await enginesHere();
  for (const note of engineSet.notes) console.log(note);
  const rows = [
    await benchModelOnEngines(`constructed compact CNN ${SIZE}×${SIZE}`, model, SIZE, engineSet),
  ];
  for (const folder of readdirSync(join(projectRoot, 'models'), { withFileTypes: true })) {
    const manifestPath = join(projectRoot, 'models', folder.name, 'manifest.json');
    if (!folder.isDirectory() || !existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const onnx = new Uint8Array(
      readFileSync(join(projectRoot, 'models', folder.name, 'model.onnx')),
    );
    const { name, channels, height, width } = manifest.input;
    rows.push(
      await benchModelOnEngines(
        `${manifest.id} ${manifest.version} (${width}×${height})`,
        onnx,
        { name, channels, height, width },
        engineSet,
      ),
    );
  }
  await engineSet.close();
  console.log(
    `\n${formatEngineFigures(rows, `${loadBeforeEngines} before, ${loadAverage()} after`)}`,
  );

  const session = await createWasmNodeEngine(availableParallelism()).createSession(model);
  const occlusion = await benchOcclusion(session, SIZE, 28);
  console.log(
    `14×14 occlusion map (196 perturbed images), WASM: batched (28/run) ${occlusion.batchedMs.toFixed(0)} ms, unbatched ${occlusion.unbatchedMs.toFixed(0)} ms, ratio ${(occlusion.unbatchedMs / occlusion.batchedMs).toFixed(2)}×`,
  );
  await session.release();
}

// A whole ROP visit through the CLI, start-up included, on a CLI built from this checkout.
if (wanted('visit')) {
  const cli = await buildBenchCli();
  const visit = makeVisitFolder(sharedDataPath, 30);
  const one = makeVisitFolder(sharedDataPath, 1);
  const loadBefore = loadAverage();
  try {
    const single = timeVisit(cli, one);
    const auto = timeVisit(cli, visit);
    const wasm = timeVisit(cli, visit, ['--engine', 'wasm']);
    const failed = [single, auto, wasm].find((r) => r.exitCode !== 0);
    if (failed) console.log(`visit run failed (exit ${failed.exitCode}): ${failed.stderrTail}`);
    console.log(
      [
        `\nROP visit, 30 photographs (both eyes, vessel maps, vascular metrics, PNGs), \`neoscope analyze\` as a process`,
        `  (${loadBefore} before, ${loadAverage()} after)`,
        `  default engine (${auto.engine}):       ${auto.seconds.toFixed(2)} s  (${((auto.seconds * 1000) / 30).toFixed(0)} ms per image; goal < 5 s)`,
        `  --engine wasm (${wasm.engine}):          ${wasm.seconds.toFixed(2)} s  → default is ${(wasm.seconds / auto.seconds).toFixed(2)}× faster`,
        `  one photograph (start-up, model loading and self-tests): ${single.seconds.toFixed(2)} s; the 29 others ${(((auto.seconds - single.seconds) * 1000) / 29).toFixed(0)} ms each`,
      ].join('\n'),
    );
  } finally {
    rmSync(visit, { recursive: true, force: true });
    rmSync(one, { recursive: true, force: true });
  }
}

// The vascular metrics of the visit's photographs, from the shipped vessel model's maps.
if (wanted('vascular')) {
  const visit = makeVisitFolder(sharedDataPath, 30);
  try {
    const model = await loadModelPackage(
      join(projectRoot, 'models', 'retina-vessels'),
      createWasmNodeEngine(availableParallelism()),
    );
    const files = readdirSync(visit).map((name) => join(visit, name));
    console.log(
      `\n${formatVascularFigures(benchVascularMetrics(await vesselMapsOf(files, model)))} (${loadAverage()})`,
    );
    await model.session.release();
  } finally {
    rmSync(visit, { recursive: true, force: true });
  }
}

// Saliency faithfulness of the shipped classifier on pneumonia films of its test split.
if (wanted('saliency')) {
  const loaded = await loadModelPackage(
    join(projectRoot, 'models', 'chest-pneumonia'),
    createWasmNodeEngine(availableParallelism()),
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
if (wanted('display')) {
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

if (wanted('worklist')) {
  console.log(formatWorklistFigures(benchWorklist(1000)));
}
console.log(`\n${loadAverage()} at the end`);
