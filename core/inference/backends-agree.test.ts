/**
 * Acceptance (issues 5 and 18): the same model gives the same outputs on every engine the
 * workstation uses — WASM in Node, onnxruntime-node, and the service's inference worker (the
 * path the page's analyses take without a hardware GPU) — within 1e-4. Through the worker,
 * the whole analysis (pre-processing, findings, probability map, CAM) is compared on real
 * images with the shipped models, so the worker path is the same code, not only the same
 * runtime. The page's WASM and WebGPU are checked in e2e/inference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { decodePhotoFrame } from '../library/photo-export.ts';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { analyzeImage, type ImageAnalysis } from './analyze-image.ts';
import { createNativeNodeEngine } from './engine-native-node.ts';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import { loadModelPackage } from './load-package.ts';
import { generateInput } from './portable/package-schema.ts';
import { quadrantDetectorModel } from './testing/onnx-builder.ts';
import { startInferenceWorker, type WorkerEngine } from './worker/inference-worker-host.ts';

const TOLERANCE = 1e-4;
let worker: WorkerEngine;

before(async () => {
  worker = await startInferenceWorker();
});
after(() => worker.close());

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, 'same shape');
  let max = 0;
  a.forEach((v, i) => (max = Math.max(max, Math.abs(v - b[i]!))));
  return max;
}

test('WASM in Node and onnxruntime-node agree within 1e-4 on every output', async (t) => {
  let native;
  try {
    native = await createNativeNodeEngine();
  } catch (error) {
    return t.skip((error as Error).message);
  }
  const { bytes } = quadrantDetectorModel(32);
  const sessions = [
    await createWasmNodeEngine().createSession(bytes),
    await native.createSession(bytes),
    await worker.createSession(bytes),
  ];
  let maxDiff = 0;
  for (const generator of ['ramp', 'checkerboard', 'top-left-bright'] as const) {
    const feeds = {
      image: { dims: [1, 1, 32, 32], data: generateInput({ generator }, 1, 32, 32) },
    };
    const [wasm, ...others] = await Promise.all(sessions.map((s) => s.run(feeds)));
    for (const other of others)
      for (const name of ['probability', 'features'])
        maxDiff = Math.max(maxDiff, maxDifference(wasm![name]!.data, other![name]!.data));
  }
  console.log(`# max |WASM − onnxruntime-node (in process and in the worker)| = ${maxDiff}`);
  assert.ok(maxDiff <= TOLERANCE, `difference ${maxDiff}`);
  await Promise.all(sessions.map((s) => s.release()));
});

function assertSameAnalysis(viaWorker: ImageAnalysis, wasm: ImageAnalysis, what: string): number {
  assert.deepEqual(viaWorker.model, wasm.model);
  assert.deepEqual(
    viaWorker.findings.map((f) => [f.label, f.threshold, f.positive]),
    wasm.findings.map((f) => [f.label, f.threshold, f.positive]),
    `${what}: the same findings on both sides of their thresholds`,
  );
  let max = 0;
  viaWorker.findings.forEach(
    (f, i) => (max = Math.max(max, Math.abs(f.score - wasm.findings[i]!.score))),
  );
  assert.equal(Boolean(viaWorker.probabilityMap), Boolean(wasm.probabilityMap));
  if (viaWorker.probabilityMap)
    max = Math.max(
      max,
      maxDifference(viaWorker.probabilityMap.values, wasm.probabilityMap!.values),
    );
  assert.equal(viaWorker.saliency?.method, wasm.saliency?.method);
  if (viaWorker.saliency)
    max = Math.max(max, maxDifference(viaWorker.saliency.imageValues, wasm.saliency!.imageValues));
  return max;
}

test('the worker path gives the WASM analysis: shipped models on real images', async () => {
  const cases = [
    {
      model: 'chest-pneumonia',
      frame: await buildDisplayFrame(
        parseDicomBytes(readFileSync(samplePath('chest-cr-j2k-pydicom.dcm')), 'chest'),
        'chest',
        0,
      ),
    },
    {
      model: 'retina-vessels',
      frame: await decodePhotoFrame(
        new Uint8Array(readFileSync(samplePath('fundus-exports/Image_01R.jpg'))),
        'retina',
        'Image_01R.jpg',
      ),
    },
  ];
  const wasm = createWasmNodeEngine();
  for (const { model, frame } of cases) {
    const folder = join(projectRoot, 'models', model);
    const [onWorker, inProcess] = [
      await loadModelPackage(folder, worker),
      await loadModelPackage(folder, wasm),
    ];
    const max = assertSameAnalysis(
      await analyzeImage(frame, onWorker, 'auto'),
      await analyzeImage(frame, inProcess, 'auto'),
      model,
    );
    console.log(`# ${model}: max |worker (${worker.name}) − WASM| over scores and maps = ${max}`);
    assert.ok(max <= TOLERANCE, `${model}: difference ${max}`);
    await Promise.all([onWorker.session.release(), inProcess.session.release()]);
  }
});
