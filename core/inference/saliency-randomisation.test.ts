/**
 * Saliency you can trust, on the shipped chest classifier: the model-randomisation test of
 * Adebayo et al. ("Sanity checks for saliency maps", NeurIPS 2018), cascading from the top.
 * The layers are re-initialised one after another from the output back to the input and
 * the CAM of each film is compared with the trained model's (Spearman rank correlation over
 * the map the viewer shows). A map that explains the model must stop resembling itself once
 * the model is random: fully randomised, mean ρ < 0.3. Occlusion and RISE are checked at
 * full randomisation too. The films are pneumonia films of the official test split, which the
 * model never trained on.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePhotoFrame } from '../library/photo-export.ts';
import { projectRoot, sharedDataPath } from '../testing/shared-data.ts';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import { loadModelPackage } from './load-package.ts';
import { interpretOutputs } from './portable/interpret.ts';
import type { ModelManifest } from './portable/package-schema.ts';
import type { ModelSession } from './portable/engine.ts';
import { preprocessFrame } from './portable/preprocess.ts';
import { perturbationSaliency } from './portable/saliency/saliency-methods.ts';
import { spearman } from './portable/saliency/saliency-metrics.ts';
import { randomiseWeights, readOnnxWeights, weightValues } from './testing/onnx-weights.ts';

const FILMS = 4;

async function camOf(
  session: ModelSession,
  manifest: ModelManifest,
  tensor: Float32Array,
  geometry: ReturnType<typeof preprocessFrame>['geometry'],
): Promise<Float32Array> {
  const spec = manifest.input;
  const outputs = await session.run({
    [spec.name]: { dims: [1, spec.channels, spec.height, spec.width], data: tensor },
  });
  const { cam } = interpretOutputs(manifest, outputs, geometry);
  assert.ok(cam, 'the classifier gives a CAM');
  return cam.values;
}

test(
  'CAM, occlusion and RISE of the chest classifier do not survive weight randomisation (cascading for CAM)',
  { timeout: 300_000 },
  async () => {
    const engine = createWasmNodeEngine();
    const folder = join(projectRoot, 'models', 'chest-pneumonia');
    const { manifest, session } = await loadModelPackage(folder, engine);
    const onnx = new Uint8Array(readFileSync(join(folder, 'model.onnx')));
    const view = readOnnxWeights(onnx);
    const camSpec = manifest.saliency.cam!;
    // The head whose weights CAM uses: the layer whose weight matrix matches the manifest's.
    const head = view.layers.find((l) => {
      const w = weightValues(onnx, view.weights.get(l.weights[0]!)!);
      return (
        w.length === camSpec.headWeights[0]!.length &&
        w.every((v, i) => Math.abs(v - camSpec.headWeights[0]![i]!) < 1e-5)
      );
    });
    assert.ok(head, 'the manifest head weights are the ONNX head layer');

    const filmsFolder = sharedDataPath('cxr/kermany-pediatric-224/test/PNEUMONIA');
    const names = readdirSync(filmsFolder).sort().slice(0, FILMS);
    const inputs = await Promise.all(
      names.map(async (name) =>
        preprocessFrame(
          await decodePhotoFrame(
            new Uint8Array(readFileSync(join(filmsFolder, name))),
            'test',
            name,
          ),
          manifest.input,
        ),
      ),
    );
    const trained = await Promise.all(
      inputs.map(({ tensor, geometry }) => camOf(session, manifest, tensor, geometry)),
    );

    const topDown = [...view.layers].reverse();
    const cascade: number[] = [];
    let randomised: Uint8Array = onnx;
    for (let k = 0; k < topDown.length; k++) {
      randomised = randomiseWeights(randomised, view, topDown[k]!.weights, 1000 + k);
      // Once the head is re-initialised, CAM weighs the features with its random weights.
      const headNow =
        k >= topDown.indexOf(head!)
          ? weightValues(randomised, view.weights.get(head!.weights[0]!)!)
          : undefined;
      const randomManifest: ModelManifest = {
        ...manifest,
        saliency: {
          ...manifest.saliency,
          cam: { ...camSpec, headWeights: headNow ? [[...headNow]] : camSpec.headWeights },
        },
      };
      const randomSession = await engine.createSession(randomised);
      const rhos: number[] = [];
      for (let f = 0; f < inputs.length; f++)
        rhos.push(
          spearman(
            trained[f]!,
            await camOf(randomSession, randomManifest, inputs[f]!.tensor, inputs[f]!.geometry),
          ),
        );
      cascade.push(rhos.reduce((a, b) => a + b, 0) / rhos.length);
      if (k === topDown.length - 1) {
        // Occlusion at full randomisation, on two films (196 runs each).
        const occlusionRhos: number[] = [];
        for (let f = 0; f < inputs.length; f++) {
          const real = await perturbationSaliency('occlusion', {
            session,
            manifest,
            tensor: inputs[f]!.tensor,
          });
          const random = await perturbationSaliency('occlusion', {
            session: randomSession,
            manifest,
            tensor: inputs[f]!.tensor,
          });
          occlusionRhos.push(spearman(real.values, random.values));
        }
        const occlusion = occlusionRhos.reduce((a, b) => a + b, 0) / occlusionRhos.length;
        // RISE at full randomisation, two films, 500 masks each (fewer than the CLI's 2,000: a test budget).
        const riseRhos: number[] = [];
        for (let f = 0; f < 2; f++) {
          const request = { manifest, tensor: inputs[f]!.tensor, riseMasks: 500, batchSize: 16 };
          riseRhos.push(
            spearman(
              (await perturbationSaliency('rise', { ...request, session })).values,
              (await perturbationSaliency('rise', { ...request, session: randomSession })).values,
            ),
          );
        }
        const rise = riseRhos.reduce((a, b) => a + b, 0) / riseRhos.length;
        console.log(
          `# RISE, trained vs fully randomised: mean Spearman ρ ${rise.toFixed(3)} (${riseRhos.length} films)`,
        );
        assert.ok(rise < 0.3, `RISE ρ ${rise.toFixed(3)}`);
        console.log(
          `# occlusion, trained vs fully randomised: mean Spearman ρ ${occlusion.toFixed(3)} (${occlusionRhos.length} films)`,
        );
        assert.ok(occlusion < 0.3, `occlusion ρ ${occlusion.toFixed(3)}`);
      }
      await randomSession.release();
    }
    console.log(
      `# CAM cascading randomisation (top layer first, ${FILMS} films): mean Spearman ρ ${cascade.map((r, k) => `${topDown[k]!.op}${topDown.length - k}:${r.toFixed(2)}`).join(' ')}`,
    );
    assert.ok(
      cascade.at(-1)! < 0.3,
      `fully randomised CAM still correlates: ρ ${cascade.at(-1)!.toFixed(3)}`,
    );
    assert.ok(cascade[0]! < 0.999, 'randomising the head changes the CAM');
    await session.release();
  },
);
