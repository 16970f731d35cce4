/**
 * The page's side of the inference worker, exposing the engine's ModelSession interface
 * so code shared with Node (self-tests, saliency) runs unchanged in the page.
 */
import type { ModelSession, OutputTensor } from '../../../core/inference/portable/engine.ts';
import {
  chooseBackend,
  type BackendChoice,
  type BackendPreference,
  type GpuProbe,
} from './backend-choice.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class InferenceClient {
  private readonly worker = new Worker('./inference.worker.js', {
    type: 'module',
    name: 'neoscope-inference',
  });
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  private nextId = 1;
  private probed?: Promise<GpuProbe>;
  /** Time of the last run, for "backend and time shown with every result". */
  lastRunMs = 0;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const waiting = this.pending.get(event.data.id);
      if (!waiting) return;
      this.pending.delete(event.data.id);
      if (event.data.ok) waiting.resolve(event.data.value);
      else waiting.reject(new Error(event.data.message));
    };
  }

  private request<T>(message: WithoutId<WorkerRequest>, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  async choose(preference: BackendPreference): Promise<BackendChoice & { probe: GpuProbe }> {
    const probe = await (this.probed ??= this.request<GpuProbe>({ type: 'probe' }));
    return { ...chooseBackend(probe, preference), probe };
  }

  async load(
    key: string,
    model: Uint8Array,
    backend: 'wasm' | 'webgpu',
  ): Promise<ModelSession & { loadMs: number }> {
    const copy = model.slice(); // transferred to the worker
    const info = await this.request<{
      inputNames: string[];
      outputNames: string[];
      loadMs: number;
    }>({ type: 'load', key, model: copy, backend }, [copy.buffer]);
    return {
      backend,
      inputNames: info.inputNames,
      outputNames: info.outputNames,
      loadMs: info.loadMs,
      run: async (feeds) => {
        const result = await this.request<{ outputs: Record<string, OutputTensor>; runMs: number }>(
          { type: 'run', key, feeds },
        );
        this.lastRunMs = result.runMs;
        return result.outputs;
      },
      release: async () => void (await this.request({ type: 'release', key })),
    };
  }
}
