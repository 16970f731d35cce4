/**
 * Analyses the open image in the page: the frame from the service, the shared
 * pre-processing and interpretation (core/inference/portable), inference in the worker.
 * The map shown is the model's probability map (segmentation) or its CAM.
 */
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { interpretOutputs, type Finding } from '../../../core/inference/portable/interpret.ts';
import type { ModelManifest } from '../../../core/inference/portable/package-schema.ts';
import { mapToImage, preprocessFrame } from '../../../core/inference/portable/preprocess.ts';
import {
  perturbationBatchSize,
  perturbationSaliency,
} from '../../../core/inference/portable/saliency/saliency-methods.ts';
import type { ApiClient } from '../../api/client.ts';
import type { BackendPreference } from '../inference/backend-choice.ts';
import type { InferenceClient } from '../inference/inference-client.ts';
import type { HeatMap } from '../viewer/heat-overlay.ts';
import { mapRegion, type MapRegion } from './map-regions.ts';

export interface PageAnalysis {
  instanceId: string;
  model: { id: string; version: string; sha256: string; investigational: boolean; name: string };
  backend: string;
  backendReason: string;
  inferenceMs: number;
  findings: Finding[];
  /** A segmentation's region per label (its area and mean probability), at the model's threshold. */
  regions: MapRegion[];
  map?: HeatMap & { kind: MapKind };
}

/** What the overlay is: a segmentation's probability map is never called saliency. */
export type MapKind = 'probability map' | 'CAM' | 'occlusion' | 'RISE';

export async function runPageAnalysis(
  api: ApiClient,
  client: InferenceClient,
  instance: InstanceSummary,
  manifest: ModelManifest,
  preference: BackendPreference,
): Promise<PageAnalysis> {
  const frame = await api.call('image.frame', { instanceId: instance.instanceId, frame: 0 });
  const { tensor, geometry } = preprocessFrame(frame, manifest.input);
  const choice = await client.choose(preference);
  const { bytes } = await api.call('models.file', { id: manifest.id, version: manifest.version });
  const session = await client.load(`${manifest.id}@${manifest.version}`, bytes, choice.backend);
  const spec = manifest.input;
  const outputs = await session.run({
    [spec.name]: { dims: [1, spec.channels, spec.height, spec.width], data: tensor },
  });
  const inferenceMs = client.lastRunMs;
  await session.release();
  const { findings, probabilityMap, cam } = interpretOutputs(manifest, outputs, geometry);
  const map = probabilityMap
    ? { ...probabilityMap, kind: 'probability map' as const }
    : cam
      ? {
          width: geometry.imageWidth,
          height: geometry.imageHeight,
          values: mapToImage(cam.values, spec, geometry),
          kind: 'CAM' as const,
        }
      : undefined;
  return {
    instanceId: instance.instanceId,
    model: {
      id: manifest.id,
      version: manifest.version,
      sha256: manifest.sha256,
      investigational: manifest.investigational,
      name: manifest.name,
    },
    backend: choice.backend,
    backendReason: choice.reason,
    inferenceMs,
    findings,
    regions: probabilityMap
      ? [
          mapRegion(
            manifest.outputs.find((o) => o.kind === 'probability-map')?.labels?.[0] ?? 'region',
            probabilityMap.values,
            probabilityMap.threshold,
          ),
        ]
      : [],
    map,
  };
}

/** RISE masks in the page: fewer than the CLI's 2,000, so a map takes seconds, not a minute. */
const PAGE_RISE_MASKS = 1000;

/**
 * Occlusion or RISE for the open image on request (they cost hundreds of model runs, so
 * they are never run unasked). Same pre-processing and map code as the CLI.
 */
export async function explainInPage(
  api: ApiClient,
  client: InferenceClient,
  instance: InstanceSummary,
  manifest: ModelManifest,
  method: 'occlusion' | 'rise',
  onProgress: (done: number, total: number) => void,
): Promise<HeatMap & { kind: MapKind }> {
  const frame = await api.call('image.frame', { instanceId: instance.instanceId, frame: 0 });
  const { tensor, geometry } = preprocessFrame(frame, manifest.input);
  const choice = await client.choose('auto');
  const { bytes } = await api.call('models.file', { id: manifest.id, version: manifest.version });
  const session = await client.load(`${manifest.id}@${manifest.version}`, bytes, choice.backend);
  try {
    const batchSize = await perturbationBatchSize(session, manifest);
    const map = await perturbationSaliency(method, {
      session,
      manifest,
      tensor,
      riseMasks: PAGE_RISE_MASKS,
      batchSize,
      onProgress,
    });
    return {
      width: geometry.imageWidth,
      height: geometry.imageHeight,
      values: mapToImage(map.values, manifest.input, geometry),
      kind: method === 'rise' ? 'RISE' : 'occlusion',
    };
  } finally {
    await session.release();
  }
}
