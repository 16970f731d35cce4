/**
 * Analyses the open image where it runs fastest (placeAnalysis in ../inference/backend-choice):
 * WebGPU in the page's worker on a hardware adapter; otherwise the service's inference worker
 * (`inference.run`: onnxruntime-node where installed), which keeps this page free while the
 * model runs; WASM in the page's worker only when the service cannot run models. Both sides
 * use the same pre-processing and interpretation (core/inference/portable), so the findings
 * and maps are the same wherever they were computed; the engine and why are kept with them.
 * The map shown is the model's probability map (segmentation) or its CAM.
 */
import type { OperationResult } from '../../../core/api/contract.ts';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { interpretOutputs, type Finding } from '../../../core/inference/portable/interpret.ts';
import type { ModelManifest } from '../../../core/inference/portable/package-schema.ts';
import { mapToImage, preprocessFrame } from '../../../core/inference/portable/preprocess.ts';
import {
  perturbationBatchSize,
  perturbationSaliency,
  saliencyMethodsOf,
} from '../../../core/inference/portable/saliency/saliency-methods.ts';
import type { ApiClient } from '../../api/client.ts';
import {
  placeAnalysis,
  type AnalysisPlacement,
  type BackendPreference,
} from '../inference/backend-choice.ts';
import { failureCode, failureText } from '../inference/failure-text.ts';
import type { InferenceClient } from '../inference/inference-client.ts';
import type { HeatMap } from '../viewer/heat-overlay.ts';
import { mapRegion, type MapRegion } from './map-regions.ts';

export interface PageAnalysis {
  instanceId: string;
  model: { id: string; version: string; sha256: string; investigational: boolean; name: string };
  /** native: onnxruntime-node; wasm: onnxruntime-web WASM; webgpu: the page's GPU. */
  engine: 'native' | 'wasm' | 'webgpu';
  /** Where it ran: the service's inference worker or the page's. */
  where: 'service' | 'page';
  engineReason: string;
  inferenceMs: number;
  findings: Finding[];
  /** A segmentation's region per label (its area and mean probability), at the model's threshold. */
  regions: MapRegion[];
  map?: HeatMap & { kind: MapKind };
}

/** What the overlay is: a segmentation's probability map is never called saliency. */
export type MapKind = 'probability map' | 'CAM' | 'occlusion' | 'RISE';

const MAP_KIND = { cam: 'CAM', occlusion: 'occlusion', rise: 'RISE' } as const;

/** Codes with which a service says it cannot run models at all: the page runs them itself. */
const SERVICE_CANNOT_RUN = new Set([
  'INFERENCE_WORKER_UNAVAILABLE',
  'ENGINE_UNAVAILABLE',
  'API_UNKNOWN_OPERATION',
]);

async function placementFor(
  api: ApiClient,
  client: InferenceClient,
  preference: BackendPreference,
): Promise<AnalysisPlacement> {
  const { probe, backend, reason } = await client.choose(preference);
  // A backend chosen in settings is a request to run in this window.
  if (preference !== 'auto') return { where: 'page', engine: backend, reason };
  if (probe.available && !probe.isFallbackAdapter)
    return placeAnalysis(probe, { engine: null, reason: 'not asked' });
  const service = await api
    .call('inference.engine', {})
    .catch((error: Error) => ({ engine: null, reason: error.message }));
  return placeAnalysis(probe, service);
}

type PagePlacement = Extract<AnalysisPlacement, { where: 'page' }>;

/** The service said it cannot run models: WASM in the page, saying why. */
function pageFallback(error: unknown): PagePlacement {
  const code = failureCode(error);
  if (!code || !SERVICE_CANNOT_RUN.has(code)) throw error;
  const { message } = error as { message: string };
  return {
    where: 'page',
    engine: 'wasm',
    reason: `the service cannot run models (${message}); WASM in this window`,
  };
}

/**
 * The model's session in the page's worker. WebGPU can fail to start where an adapter was
 * offered (a device refused or lost): on ENGINE_UNAVAILABLE the model runs on WASM in this
 * window, saying why. Any other code (MODEL_CORRUPT: the runtime cannot load the graph on any
 * engine) is the model's problem and is reported as it is.
 */
async function loadInPage(
  client: InferenceClient,
  manifest: ModelManifest,
  bytes: Uint8Array,
  placement: PagePlacement,
) {
  const key = `${manifest.id}@${manifest.version}`;
  try {
    return { session: await client.load(key, bytes, placement.engine), placement };
  } catch (error) {
    if (placement.engine !== 'webgpu' || failureCode(error) !== 'ENGINE_UNAVAILABLE') throw error;
    const wasm: PagePlacement = {
      where: 'page',
      engine: 'wasm',
      reason: `${placement.reason}, but WebGPU did not start (${failureText(error)}); WASM in this window`,
    };
    return { session: await client.load(key, bytes, 'wasm'), placement: wasm };
  }
}

function identity(manifest: ModelManifest): PageAnalysis['model'] {
  const { id, version, sha256, investigational, name } = manifest;
  return { id, version, sha256, investigational, name };
}

function regionsOf(
  manifest: ModelManifest,
  probability?: { values: Float32Array; threshold: number },
) {
  if (!probability) return [];
  const label = manifest.outputs.find((o) => o.kind === 'probability-map')?.labels?.[0];
  return [mapRegion(label ?? 'region', probability.values, probability.threshold)];
}

function fromService(
  result: OperationResult<'inference.run'>,
  manifest: ModelManifest,
  withoutGpu: string,
): PageAnalysis {
  const { probabilityMap, saliency } = result;
  return {
    instanceId: result.instanceId,
    model: identity(manifest),
    engine: result.engine,
    where: 'service',
    engineReason: `${result.engineReason}; ${withoutGpu}`,
    inferenceMs: result.timingsMs.inference,
    findings: result.findings,
    regions: regionsOf(manifest, probabilityMap),
    map: probabilityMap
      ? { ...probabilityMap, kind: 'probability map' }
      : saliency
        ? { ...saliency, kind: MAP_KIND[saliency.method] }
        : undefined,
  };
}

async function analyseInPage(
  api: ApiClient,
  client: InferenceClient,
  instance: InstanceSummary,
  manifest: ModelManifest,
  asked: PagePlacement,
): Promise<PageAnalysis> {
  const frame = await api.call('image.frame', { instanceId: instance.instanceId, frame: 0 });
  const { tensor, geometry } = preprocessFrame(frame, manifest.input);
  const { bytes } = await api.call('models.file', { id: manifest.id, version: manifest.version });
  const { session, placement } = await loadInPage(client, manifest, bytes, asked);
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
    model: identity(manifest),
    engine: placement.engine,
    where: 'page',
    engineReason: placement.reason,
    inferenceMs,
    findings,
    regions: regionsOf(manifest, probabilityMap),
    map,
  };
}

export async function analyseOpenImage(
  api: ApiClient,
  client: InferenceClient,
  instance: InstanceSummary,
  manifest: ModelManifest,
  preference: BackendPreference = 'auto',
): Promise<PageAnalysis> {
  const placement = await placementFor(api, client, preference);
  if (placement.where === 'page') return analyseInPage(api, client, instance, manifest, placement);
  try {
    const result = await api.call('inference.run', {
      instanceId: instance.instanceId,
      modelId: manifest.id,
      version: manifest.version,
      // CAM comes free with the inference; occlusion and RISE cost hundreds of runs: on request only.
      saliency: saliencyMethodsOf(manifest).includes('cam') ? 'cam' : 'none',
    });
    return fromService(result, manifest, placement.withoutGpu);
  } catch (error) {
    return analyseInPage(api, client, instance, manifest, pageFallback(error));
  }
}

/** RISE masks in the page: fewer than the CLI's 2,000, so a map takes seconds, not a minute. */
const PAGE_RISE_MASKS = 1000;

/**
 * Occlusion or RISE for the open image on request (they cost hundreds of model runs, so they
 * are never run unasked), placed like the analysis. Same pre-processing and map code as the
 * CLI; progress is reported when the page computes the map.
 */
export async function explainOpenImage(
  api: ApiClient,
  client: InferenceClient,
  instance: InstanceSummary,
  manifest: ModelManifest,
  method: 'occlusion' | 'rise',
  onProgress: (done: number, total: number) => void,
): Promise<HeatMap & { kind: MapKind }> {
  let placement = await placementFor(api, client, 'auto');
  if (placement.where === 'service') {
    try {
      const { saliency } = await api.call('inference.run', {
        instanceId: instance.instanceId,
        modelId: manifest.id,
        version: manifest.version,
        saliency: method,
      });
      return { ...saliency!, kind: MAP_KIND[saliency!.method] };
    } catch (error) {
      placement = pageFallback(error);
    }
  }
  const frame = await api.call('image.frame', { instanceId: instance.instanceId, frame: 0 });
  const { tensor, geometry } = preprocessFrame(frame, manifest.input);
  const { bytes } = await api.call('models.file', { id: manifest.id, version: manifest.version });
  const { session } = await loadInPage(client, manifest, bytes, placement);
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
      kind: MAP_KIND[method],
    };
  } finally {
    await session.release();
  }
}
