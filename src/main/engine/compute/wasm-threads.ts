// A multithreaded wasm backend in Node. TF.js 4.22 turns wasm threads off in Node
// (WASM_HAS_MULTITHREAD_SUPPORT is hard-coded false there) although it ships the threaded SIMD
// build, whose Emscripten runtime supports worker_threads. Three things stop it from working as
// is, and are done here instead: TF.js hands Emscripten Blob URLs for the pthread worker script
// (Node's Worker cannot load those, so it is written to a file); the thread count is capped at
// os.cpus().length / 2 (a browser heuristic for hyper-threading, which leaves one thread on a
// two-core machine, so the core count the module sees is raised to 2 × threads); and the eight
// pooled workers keep the process alive (the idle ones are ended, the busy one unref'd).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

// The project compiles without the DOM library, which is where TypeScript declares WebAssembly.
declare const WebAssembly: {
  instantiate(binary: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
};

const nodeRequire = createRequire(import.meta.url);
const WASM_PRIORITY = 2;
/** The threaded build's thread pool is created with at most 8 threads (TF.js's cc/BUILD). */
export const MAX_WASM_THREADS = 8;

interface PthreadWorker {
  terminate(): void;
  unref(): void;
}

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  PThread: { unusedWorkers: PthreadWorker[]; runningWorkers: PthreadWorker[] };
  tfjs?: Record<string, unknown>;
}

interface FactoryConfig {
  locateFile(file: string): string;
  mainScriptUrlOrBlob: string;
  instantiateWasm(imports: { env: Record<string, unknown> }, receive: (instance: object, module: object) => void): object;
  onAbort(what: unknown): void;
}

function threadedModule(threads: number): Promise<EmscriptenModule> {
  const mainScript = nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const dir = dirname(mainScript);
  const factory = nodeRequire(mainScript) as (config: FactoryConfig) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = nodeRequire('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  const binary = readFileSync(join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'));
  const scratch = mkdtempSync(join(tmpdir(), 'awb-wasm-threads-'));
  const workerScript = join(scratch, 'pthread-worker.cjs');
  // The contents come from a template literal whose "\n" escapes became real newlines.
  writeFileSync(workerScript, wasmWorkerContents.replace(/\n/g, '\\n'));
  return new Promise<EmscriptenModule>((resolve, reject) => {
    factory({
      locateFile: (file) => (file.endsWith('.worker.js') ? workerScript : join(dir, file)),
      mainScriptUrlOrBlob: mainScript,
      instantiateWasm: (imports, receive) => {
        imports.env.emscripten_num_logical_cores = () => 2 * threads;
        WebAssembly.instantiate(binary, imports).then(({ instance, module }) => receive(instance, module), reject);
        return {};
      },
      onAbort: (what) => reject(new Error(`the threaded wasm module aborted: ${String(what)}`)),
    }).then(resolve, reject);
  }).finally(() => rmSync(scratch, { recursive: true, force: true }));
}

async function threadedBackend(threads: number): Promise<BackendWasm> {
  const module = await threadedModule(threads);
  // The bindings TF.js's own loader attaches (backend_wasm.ts, init()).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // The pool is created once, above; no thread is started later.
  for (const worker of module.PThread.unusedWorkers) worker.terminate();
  module.PThread.unusedWorkers = [];
  for (const worker of module.PThread.runningWorkers) worker.unref();
  return backend;
}

/** TF.js's own wasm backend factory (single-threaded in Node), kept while another is registered. */
let tfjsFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/** Threads of this thread's initialised wasm backend, or null before it is initialised. */
export function wasmThreadsInUse(): number | null {
  if (tf.engine().registry.wasm == null) return null;
  return getThreadsCount();
}

/**
 * Makes the wasm backend, when it is first initialised in this thread, run XNNPACK on `threads`
 * threads (1: TF.js's own single-threaded SIMD build). Once initialised, the count is fixed.
 */
export function configureWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`wasm threads: ${threads} is not an integer from 1 to ${MAX_WASM_THREADS}`);
  }
  const inUse = wasmThreadsInUse();
  if (inUse != null) {
    if (inUse !== threads) {
      throw new Error(
        `wasm threads: the wasm backend of this thread already runs on ${inUse} thread(s), and the count is fixed by its first use; ${threads} were asked for`,
      );
    }
    return;
  }
  tfjsFactory ??= tf.findBackendFactory('wasm');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', threads === 1 ? tfjsFactory : () => threadedBackend(threads), WASM_PRIORITY);
}
