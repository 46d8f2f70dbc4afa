// Resolves the TF.js backend at run time, fastest first: libtensorflow with CUDA → libtensorflow on
// the CPU → WebGPU through Dawn → wasm (XNNPACK) → the pure-JS cpu backend. Optional packages are
// loaded lazily and a missing or broken one only makes its backend unavailable, with the reason.
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, type BackendChoice, type BackendInfo, type BackendName } from '@shared/api';
import { probeNativeTensorflow } from './native-tensorflow.js';
import { installCpuTrainingKernels, installWasmTrainingKernels, installWebGpuTrainingKernels } from './training-kernels.js';
import { nodeGpu, probeWebGpu } from './webgpu-adapter.js';
import { configureWasmThreads, wasmThreadsInUse } from './wasm-threads.js';

/** What a probe finds; `reason` on an available backend says why auto-selection passes it over. */
export type BackendProbe = Pick<BackendInfo, 'available' | 'device' | 'reason'>;

export interface UseBackendOptions {
  /** XNNPACK threads of the wasm backend (1 to MAX_WASM_THREADS, default 1); fixed by its first use in a thread. */
  threads?: number;
}

const TF_BACKEND: Record<BackendName, string> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  webgpu: 'webgpu',
  wasm: 'wasm',
  cpu: 'cpu',
};

function cpuModel(): string {
  return cpus()[0]?.model.trim() || 'CPU';
}

async function probeWasm(threads: number): Promise<BackendProbe> {
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
    return { available: false, device: null, reason: 'this JavaScript runtime has no WebAssembly' };
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const plural = threads === 1 ? '' : 's';
  return { available: true, device: `CPU (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${plural})`, reason: null };
}

function probeCpu(): BackendProbe {
  return { available: true, device: `${cpuModel()} (plain JavaScript, 1 thread)`, reason: null };
}

async function probe(name: BackendName, wasmThreads: number): Promise<BackendInfo> {
  const found = await (async (): Promise<BackendProbe> => {
    switch (name) {
      case 'tensorflow-gpu':
        return probeNativeTensorflow(true);
      case 'tensorflow':
        return probeNativeTensorflow(false);
      case 'webgpu':
        return probeWebGpu();
      case 'wasm':
        return probeWasm(wasmThreads);
      case 'cpu':
        return probeCpu();
    }
  })();
  return { name, tfBackend: TF_BACKEND[name], ...found };
}

/** Every backend, in the order of BACKEND_NAMES (fastest first), with what it found. */
export async function probeBackends(): Promise<BackendInfo[]> {
  const infos: BackendInfo[] = [];
  for (const name of BACKEND_NAMES) infos.push(await probe(name, wasmThreadsInUse() ?? 1));
  return infos;
}

function assertKnown(choice: BackendChoice): void {
  if (choice !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(choice)) {
    throw new Error(`unknown backend '${String(choice)}' (expected auto or one of ${BACKEND_NAMES.join(', ')})`);
  }
}

/**
 * The backend `choice` resolves to among probed `infos`: 'auto' is the first available one that
 * auto-selection does not pass over (no reason given); a forced name must be available.
 */
export function chooseBackend(infos: BackendInfo[], choice: BackendChoice): BackendInfo {
  assertKnown(choice);
  if (choice === 'auto') {
    const pick = infos.find((b) => b.available && b.reason == null);
    if (pick == null) {
      throw new Error(`no TF.js backend is available: ${infos.map((b) => `${b.name}: ${b.reason}`).join('; ')}`);
    }
    return pick;
  }
  const info = infos.find((b) => b.name === choice);
  if (info == null) throw new Error(`backend ${choice} was not probed`);
  if (!info.available) throw new Error(`backend ${choice} is not available: ${info.reason}`);
  return info;
}

async function activate(info: BackendInfo, wasmThreads: number): Promise<void> {
  if (info.name === 'webgpu') {
    await nodeGpu();
    await import('@tensorflow/tfjs-backend-webgpu');
    installWebGpuTrainingKernels();
  }
  if (info.name === 'wasm') {
    configureWasmThreads(wasmThreads);
    installWasmTrainingKernels();
  }
  if (info.name === 'cpu') installCpuTrainingKernels();
  // The engine reports its backend itself; production mode silences TF.js's console advice
  // ("install the node backend"), which would otherwise land in the middle of CLI output.
  tf.enableProdMode();
  if (!(await tf.setBackend(info.tfBackend))) {
    throw new Error(`backend ${info.name} (${info.device ?? 'no device'}) failed to initialise; TF.js logged why above`);
  }
  await tf.ready();
}

let active: BackendInfo | null = null;

/**
 * Makes `choice` this thread's TF.js backend and returns what it runs on. Forcing an unavailable
 * backend throws, naming it and the reason. Calling it again with 'auto' or the same name keeps
 * the backend in use; each worker_thread has its own TF.js and calls this itself.
 */
export async function useBackend(choice: BackendChoice, options: UseBackendOptions = {}): Promise<BackendInfo> {
  assertKnown(choice);
  const wasmThreads = options.threads ?? wasmThreadsInUse() ?? 1;
  if (active != null && (choice === 'auto' || choice === active.name) && tf.engine().backendName === active.tfBackend) {
    if (active.name === 'wasm') configureWasmThreads(wasmThreads);
    return active;
  }
  let info: BackendInfo;
  if (choice === 'auto') {
    // Probe in order and stop at the first pick, so slower backends' packages are never loaded.
    const probed: BackendInfo[] = [];
    for (const name of BACKEND_NAMES) {
      const found = await probe(name, wasmThreads);
      probed.push(found);
      if (found.available && found.reason == null) break;
    }
    info = chooseBackend(probed, 'auto');
  } else {
    info = chooseBackend([await probe(choice, wasmThreads)], choice);
  }
  await activate(info, wasmThreads);
  active = info.name === 'wasm' ? { ...info, ...(await probeWasm(wasmThreadsInUse() ?? wasmThreads)) } : info;
  return active;
}
