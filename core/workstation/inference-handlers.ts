/**
 * Inference in the service (core/api/contract-inference.ts): models run in a worker thread
 * (core/inference/worker) on the fastest CPU engine the machine has, so the event loop that
 * answers the page stays free while a model runs. The worker starts on first use. Each package
 * is loaded into it from the verified registry entry's folder and proven again there (hash,
 * self-tests on the worker's engine) before it analyses anything.
 *
 * `onWorker` gives the same packages with their sessions on the worker, for the report's
 * "Run AI measurements" (review-analysis.ts runs unchanged on them); `measure` computes their
 * declared measurements on a second worker thread (vascular metrics cost more than the model),
 * started on first use, or on this thread when that worker cannot start.
 */
import { availableParallelism } from 'node:os';
import type { ApiHandlers } from '../api/dispatch.ts';
import { analyzeImage } from '../inference/analyze-image.ts';
import { loadModelPackage, type LoadedModel } from '../inference/load-package.ts';
import { ModelError } from '../inference/model-errors.ts';
import type { EngineInfo } from '../inference/portable/engine.ts';
import { perturbationBatchSize } from '../inference/portable/saliency/saliency-methods.ts';
import type { RegistryEntry } from '../inference/registry.ts';
import {
  startInferenceWorker,
  type WorkerEngine,
} from '../inference/worker/inference-worker-host.ts';
import { lazyMeasurer } from '../inference/worker/measurement-worker-host.ts';
import type { Library } from '../library/library.ts';
import type { MeasureFn } from './review-analysis.ts';

type InferenceOps = 'inference.run' | 'inference.engine';

/** RISE masks per map in the service: as many as the page uses, so either gives the same kind of map. */
const SERVICE_RISE_MASKS = 1000;

export interface InferenceDeps {
  library: Pick<Library, 'frame'>;
  /** Every installed package, verified (the registry's list). */
  models: () => Promise<RegistryEntry[]>;
  /** Starts the worker; tests pass their own. Default: all cores for one image at a time. */
  startWorker?: () => Promise<WorkerEngine>;
  log?: (line: string) => void;
}

export interface InferenceService {
  handlers: Pick<ApiHandlers, InferenceOps>;
  onWorker(entries: RegistryEntry[]): Promise<RegistryEntry[]>;
  measure: MeasureFn;
  close(): Promise<void>;
}

/** Where the service ran a model, in the words the page shows. */
function serviceThread(placement: EngineInfo['placement']): string {
  if (placement?.thread !== 'caller') return "in the service's inference worker";
  return `on the service's own thread (${placement.perImageMs?.toFixed(2)} ms per image: quicker than the hop to its inference worker)`;
}

export function createInferenceService(deps: InferenceDeps): InferenceService {
  const log = deps.log ?? (() => {});
  const start =
    deps.startWorker ?? (() => startInferenceWorker({ threads: availableParallelism() }));
  let worker: Promise<WorkerEngine> | undefined;
  let current: WorkerEngine | undefined;
  /** Per package (folder and hash): its session on the worker and its perturbation batch size. */
  const loaded = new Map<string, Promise<{ model: LoadedModel; batchSize?: number }>>();
  const engine = () => {
    if (current && !current.running()) {
      // A worker that stopped (a crash, memory) took its sessions with it: start afresh.
      log('inference worker stopped; starting a new one');
      worker = current = undefined;
      loaded.clear();
    }
    worker ??= start().then(
      (started) => {
        log(`inference worker: ${started.name} (${started.reason})`);
        current = started;
        return started;
      },
      (error: Error) => {
        log(`inference worker not started: ${error.message}`);
        throw error;
      },
    );
    return worker;
  };
  const onWorkerModel = (model: LoadedModel) => {
    const key = `${model.folder}\n${model.manifest.sha256}`;
    let entry = loaded.get(key);
    if (!entry) {
      entry = engine().then(async (e) => ({ model: await loadModelPackage(model.folder, e) }));
      entry.catch(() => loaded.delete(key)); // a later call tries again
      loaded.set(key, entry);
    }
    return entry;
  };

  const measurer = lazyMeasurer((where) => log(`measurements: ${where}`));

  const handlers: InferenceService['handlers'] = {
    'inference.engine': async () => {
      try {
        const started = await engine();
        return { engine: started.name, reason: started.reason };
      } catch (error) {
        return { engine: null, reason: (error as Error).message };
      }
    },
    'inference.run': async ({ instanceId, modelId, version, saliency = 'auto' }) => {
      const began = performance.now();
      const entry = (await deps.models()).find(
        (e) => e.ok && e.model.manifest.id === modelId && e.model.manifest.version === version,
      );
      if (!entry?.ok)
        throw new ModelError(
          'MODEL_NOT_INSTALLED',
          `Model ${modelId} ${version} is not installed or did not pass verification.`,
        );
      const started = await engine();
      const frame = await deps.library.frame(instanceId, 0);
      const slot = await onWorkerModel(entry.model);
      if (saliency === 'occlusion' || saliency === 'rise')
        slot.batchSize ??= await perturbationBatchSize(slot.model.session, slot.model.manifest);
      const analysis = await analyzeImage(frame, slot.model, saliency, 1, {
        riseMasks: SERVICE_RISE_MASKS,
        batchSize: slot.batchSize,
      });
      const map = analysis.saliency;
      return {
        instanceId,
        model: analysis.model,
        engine: started.name,
        engineReason: `${started.reason}, ${serviceThread(analysis.engine?.placement)}`,
        timingsMs: { ...analysis.timingsMs, total: performance.now() - began },
        findings: analysis.findings,
        probabilityMap: analysis.probabilityMap,
        saliency:
          map && map.method !== 'probability-map'
            ? {
                method: map.method,
                width: map.imageWidth,
                height: map.imageHeight,
                values: map.imageValues,
              }
            : undefined,
      };
    },
  };

  return {
    handlers,
    async onWorker(entries) {
      try {
        await engine();
      } catch {
        return entries; // no worker: the registry's own sessions run them
      }
      return Promise.all(
        entries.map(async (entry): Promise<RegistryEntry> => {
          if (!entry.ok) return entry;
          try {
            return { ok: true, model: (await onWorkerModel(entry.model)).model };
          } catch (error) {
            log(`${entry.model.manifest.id} stays off the worker: ${(error as Error).message}`);
            return entry;
          }
        }),
      );
    },
    measure: (kind, frame, map, context) => measurer.measure(kind, frame, map, context),
    async close() {
      const started = await worker?.catch(() => undefined);
      loaded.clear();
      await Promise.all([started?.close(), measurer.close()]);
    },
  };
}
