// Main-thread side of a compute job: starts the worker thread, relays its messages, and offers a
// cancel that the worker sees between batches (a shared flag, so it works while the worker's
// event loop is busy training).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerMessage, WorkerResult, WorkerStart } from './protocol';

export interface JobHandle<R> {
  result: Promise<R>;
  /** Ask the worker to stop after its current batch; the result then reports `stopped`. */
  cancel(): void;
  /** End the worker at once (used when the caller shuts down). */
  terminate(): Promise<void>;
}

let workerScript: string | null = null;

/** out/main/engine-worker.js, found from this module whether it runs bundled (out/main) or from src under test. */
export function engineWorkerPath(): string {
  if (workerScript) return workerScript;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = [join(dir, 'engine-worker.js'), join(dir, 'out', 'main', 'engine-worker.js')].find(existsSync);
    if (candidate) return (workerScript = candidate);
    const up = dirname(dir);
    if (up === dir) throw new Error('engine-worker.js not found: build the project first (`npm run build`)');
    dir = up;
  }
}

export function startJob<J extends WorkerJob>(job: J, onMessage: (m: WorkerMessage) => void = () => {}): JobHandle<WorkerResult<J>> {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(engineWorkerPath(), { workerData: { job, cancelFlag } satisfies WorkerStart });
  let settled = false;
  const result = new Promise<WorkerResult<J>>((resolve, reject) => {
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') settle(() => resolve(m.result as WorkerResult<J>));
      else if (m.type === 'error') settle(() => reject(new Error(m.message)));
      else onMessage(m);
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`compute worker exited (code ${code}) before finishing ${job.kind}`))));
  });
  return {
    result,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
