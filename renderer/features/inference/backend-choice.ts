/**
 * Which execution provider the page uses. WebGPU on a hardware adapter is fastest; a
 * software fallback adapter (SwiftShader in headless or GPU-less Chromium) gives exact
 * results but is ~250× slower than WASM here, so "auto" skips it. The user can override.
 */
export type BackendPreference = 'auto' | 'wasm' | 'webgpu';

export interface GpuProbe {
  available: boolean;
  isFallbackAdapter?: boolean;
  description?: string;
}

export interface BackendChoice {
  backend: 'wasm' | 'webgpu';
  reason: string;
}

export function chooseBackend(probe: GpuProbe, preference: BackendPreference): BackendChoice {
  if (preference === 'wasm') return { backend: 'wasm', reason: 'WASM chosen in settings' };
  if (!probe.available) {
    return {
      backend: 'wasm',
      reason:
        preference === 'webgpu'
          ? 'WebGPU requested but no adapter is available; using WASM'
          : 'no WebGPU adapter; using WASM',
    };
  }
  if (preference === 'webgpu')
    return {
      backend: 'webgpu',
      reason: `WebGPU chosen in settings${probe.isFallbackAdapter ? ' (software adapter: slow)' : ''}`,
    };
  if (probe.isFallbackAdapter)
    return {
      backend: 'wasm',
      reason: `WebGPU adapter is a software fallback (${probe.description || 'SwiftShader'}), far slower than WASM; using WASM`,
    };
  return { backend: 'webgpu', reason: `WebGPU on ${probe.description || 'a hardware adapter'}` };
}

/** What the service's inference worker runs on (`inference.engine`); null engine: it cannot run models. */
export interface ServiceEngine {
  engine: 'native' | 'wasm' | null;
  reason: string;
}

export type AnalysisPlacement =
  | { where: 'page'; engine: 'webgpu' | 'wasm'; reason: string }
  | {
      where: 'service';
      engine: 'native' | 'wasm';
      reason: string;
      /** Why not WebGPU in the page, to go with the service's own reason in the result. */
      withoutGpu: string;
    };

/**
 * Where an analysis of the open image runs: WebGPU in the page on a hardware adapter (a GPU
 * beats any CPU engine); otherwise the service's inference worker, whose onnxruntime-node is
 * about 4× faster than WASM on the same cores and keeps the page's own thread free; WASM in
 * the page only when the service cannot run models (a preview without it, an older service).
 */
export function placeAnalysis(probe: GpuProbe, service: ServiceEngine): AnalysisPlacement {
  if (probe.available && !probe.isFallbackAdapter)
    return {
      where: 'page',
      engine: 'webgpu',
      reason: `WebGPU on ${probe.description || 'a hardware adapter'}`,
    };
  const noGpu = probe.available
    ? `the WebGPU adapter is a software fallback (${probe.description || 'SwiftShader'})`
    : 'no WebGPU adapter';
  if (service.engine)
    return {
      where: 'service',
      engine: service.engine,
      reason: `${service.reason}; ${noGpu}`,
      withoutGpu: noGpu,
    };
  return {
    where: 'page',
    engine: 'wasm',
    reason: `${noGpu}, and the service cannot run models (${service.reason}); WASM in this window`,
  };
}
