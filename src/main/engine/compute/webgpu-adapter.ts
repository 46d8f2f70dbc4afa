// WebGPU in Node through Dawn (the npm `webgpu` package): installs `navigator.gpu` and the WebGPU
// constants TF.js's webgpu backend expects, and asks Dawn for an adapter. TF.js registers its
// webgpu backend only if `navigator.gpu` exists when it is imported, so this runs first.
import type { BackendProbe } from './backends.js';

const ADAPTER_TIMEOUT_MS = 10_000;

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

let gpuPromise: Promise<GpuLike> | null = null;

async function createGpu(): Promise<GpuLike> {
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (options: string[]) => GpuLike;
    globals: Record<string, unknown>;
  };
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav == null) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (!('gpu' in nav) || (nav as { gpu?: unknown }).gpu == null) {
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  }
  return gpu;
}

/** Dawn's GPU object, also installed as `navigator.gpu` (created once per thread). */
export function nodeGpu(): Promise<GpuLike> {
  gpuPromise ??= createGpu();
  return gpuPromise;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function describe(info: AdapterInfoLike): string {
  const name = info.description || info.device || [info.vendor, info.architecture].filter(Boolean).join(' ');
  return name || 'unnamed WebGPU adapter';
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/**
 * Whether Dawn finds a GPU adapter. A software adapter (SwiftShader and the like, which run the
 * shaders on the CPU) is reported available, with a reason saying auto-selection passes it over:
 * it is slower than wasm, but useful to check the webgpu backend's correctness without a GPU.
 */
export async function probeWebGpu(): Promise<BackendProbe> {
  let gpu: GpuLike;
  try {
    gpu = await nodeGpu();
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    const reason = missing
      ? 'the webgpu package (Dawn) is not installed (optional dependency)'
      : `the webgpu package (Dawn) failed to load: ${(e as Error).message}`;
    return { available: false, device: null, reason };
  }
  let adapter: AdapterLike | null;
  try {
    adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), ADAPTER_TIMEOUT_MS, 'Dawn');
  } catch (e) {
    return { available: false, device: null, reason: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
  if (adapter == null) {
    return { available: false, device: null, reason: 'no WebGPU adapter (Dawn found no Vulkan/Metal/D3D12 device; on Linux it needs the Vulkan loader libvulkan1 and a GPU driver)' };
  }
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const name = describe(info);
  const software =
    adapter.isFallbackAdapter === true ||
    info.isFallbackAdapter === true ||
    SOFTWARE_ADAPTER.test([info.description, info.device, info.vendor, info.architecture].join(' '));
  if (software) {
    return {
      available: true,
      device: `${name} (software adapter, runs on the CPU)`,
      reason: 'only a software WebGPU adapter: slower than wasm, so auto-selection passes it over (force it with --backend webgpu)',
    };
  }
  return { available: true, device: name, reason: null };
}
