/** Messages between the page and its inference worker. */
export type WorkerRequest =
  | { id: number; type: 'probe' }
  | { id: number; type: 'load'; key: string; model: Uint8Array; backend: 'wasm' | 'webgpu' }
  | {
      id: number;
      type: 'run';
      key: string;
      feeds: Record<string, { dims: number[]; data: Float32Array }>;
    }
  | { id: number; type: 'release'; key: string };

export type WorkerResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };
