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
