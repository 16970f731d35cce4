/**
 * The page's side of the inference worker, exposing the engine's ModelSession interface
 * so code shared with Node (self-tests, saliency) runs unchanged in the page. A failure in
 * the worker arrives as a WorkerFailure with the code it raised (MODEL_CORRUPT,
 * ENGINE_UNAVAILABLE, …; core/inference/portable/inference-errors.ts).
 */
import { WorkerRequests } from '../../../core/base/worker-requests.ts';
import type { ModelSession } from '../../../core/inference/portable/engine.ts';
import type { InferenceErrorCode } from '../../../core/inference/portable/inference-errors.ts';
import {
  chooseBackend,
  type BackendChoice,
  type BackendPreference,
  type GpuProbe,
} from './backend-choice.ts';
import type { PageWorkerMessage, WorkerReply } from './protocol.ts';

export class InferenceClient {
  private readonly worker = new Worker('./inference.worker.js', {
    type: 'module',
    name: 'neoscope-inference',
  });
  private readonly requests = new WorkerRequests<PageWorkerMessage, InferenceErrorCode>(
    (request, transfer) => this.worker.postMessage(request, transfer),
  );
  private probed?: Promise<GpuProbe>;
  /** Time of the last run, for "backend and time shown with every result". */
  lastRunMs = 0;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerReply>) => this.requests.settle(event.data);
  }

  async choose(preference: BackendPreference): Promise<BackendChoice & { probe: GpuProbe }> {
    const probe = await (this.probed ??= this.requests.send({ type: 'probe' }));
    return { ...chooseBackend(probe, preference), probe };
  }

  async load(
    key: string,
    model: Uint8Array,
    backend: 'wasm' | 'webgpu',
  ): Promise<ModelSession & { loadMs: number }> {
    const copy = model.slice(); // transferred to the worker
    const info = await this.requests.send({ type: 'load', key, model: copy, backend }, [
      copy.buffer,
    ]);
    return {
      backend,
      inputNames: info.inputNames,
      outputNames: info.outputNames,
      loadMs: info.loadMs,
      run: async (feeds) => {
        const result = await this.requests.send({ type: 'run', key, feeds });
        this.lastRunMs = result.runMs;
        return result.outputs;
      },
      release: async () => void (await this.requests.send({ type: 'release', key })),
    };
  }
}
