/**
 * Saliency faithfulness on the shipped classifier (Petsiuk et al., BMVC 2018): deletion and
 * insertion AUC per method (CAM, occlusion, RISE) against a random map on the same films,
 * measured in the same run. Lower deletion / higher insertion than the random map means the
 * map ranks pixels by what the model actually uses. Also the time each method takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePhotoFrame } from '../../library/photo-export.ts';
import type { LoadedModel } from '../load-package.ts';
import { interpretOutputs } from '../portable/interpret.ts';
import { preprocessFrame } from '../portable/preprocess.ts';
import { seededRandom } from '../../base/seeded-random.ts';
import { perturbationSaliency } from '../portable/saliency/saliency-methods.ts';
import { deletionInsertionAuc } from '../portable/saliency/saliency-metrics.ts';

export interface SaliencyFaithfulness {
  method: string;
  films: number;
  deletion: number;
  insertion: number;
  msPerMap: number;
}

export async function benchSaliencyFaithfulness(
  model: LoadedModel,
  filmsFolder: string,
  films: number,
  riseMasks: number,
): Promise<SaliencyFaithfulness[]> {
  const { manifest, session } = model;
  const spec = manifest.input;
  const output = manifest.saliency.cam!.targetOutput;
  const names = readdirSync(filmsFolder).sort().slice(0, films);
  const totals = new Map<string, { deletion: number; insertion: number; ms: number }>();
  const add = (method: string, auc: { deletion: number; insertion: number }, ms: number) => {
    const t = totals.get(method) ?? { deletion: 0, insertion: 0, ms: 0 };
    totals.set(method, {
      deletion: t.deletion + auc.deletion,
      insertion: t.insertion + auc.insertion,
      ms: t.ms + ms,
    });
  };
  const random = seededRandom(7);
  for (const name of names) {
    const frame = await decodePhotoFrame(
      new Uint8Array(readFileSync(join(filmsFolder, name))),
      'bench',
      name,
    );
    const { tensor, geometry } = preprocessFrame(frame, spec);
    const target = {
      session,
      inputName: spec.name,
      outputName: output,
      input: tensor,
      channels: spec.channels,
      height: spec.height,
      width: spec.width,
      toProbability: (v: number) => 1 / (1 + Math.exp(-v)),
    };
    let t0 = performance.now();
    const outputs = await session.run({
      [spec.name]: { dims: [1, spec.channels, spec.height, spec.width], data: tensor },
    });
    const cam = interpretOutputs(manifest, outputs, geometry).cam!;
    add('CAM', await deletionInsertionAuc(target, cam.values), performance.now() - t0);
    for (const method of ['occlusion', 'rise'] as const) {
      t0 = performance.now();
      const map = await perturbationSaliency(method, {
        session,
        manifest,
        tensor,
        riseMasks,
        batchSize: 16,
      });
      const ms = performance.now() - t0;
      add(
        method === 'rise' ? `RISE (${riseMasks} masks)` : 'occlusion 14×14',
        await deletionInsertionAuc(target, map.values),
        ms,
      );
    }
    add(
      'random map (reference)',
      await deletionInsertionAuc(
        target,
        Float32Array.from({ length: spec.width * spec.height }, random),
      ),
      0,
    );
  }
  return [...totals].map(([method, t]) => ({
    method,
    films: names.length,
    deletion: t.deletion / names.length,
    insertion: t.insertion / names.length,
    msPerMap: t.ms / names.length,
  }));
}

export function formatSaliencyFaithfulness(rows: SaliencyFaithfulness[], label: string): string {
  const reference = rows.find((r) => r.method.startsWith('random'))!;
  const lines = [
    `\nSaliency faithfulness, ${label} (${reference.films} films; deletion: lower is better, insertion: higher is better; ratios to the random map in this run)`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.method.padEnd(24)} deletion AUC ${r.deletion.toFixed(3)} (${(r.deletion / reference.deletion).toFixed(2)}×)  insertion AUC ${r.insertion.toFixed(3)} (${(r.insertion / reference.insertion).toFixed(2)}×)${r.msPerMap ? `  ${r.msPerMap.toFixed(0)} ms/map` : ''}`,
    );
  }
  return lines.join('\n');
}
