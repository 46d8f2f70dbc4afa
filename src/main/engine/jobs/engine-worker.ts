// Entry of the compute worker thread (bundled as out/main/engine-worker.js). One job per worker:
// TF.js state (backend, kernels, memory) is per thread, so a finished job leaves nothing behind.
import { parentPort, workerData } from 'node:worker_threads';
import { probeBackends, useBackend } from '../compute/backends';
import { MAX_WASM_THREADS } from '../compute/wasm-threads';
import type { WorkerMessage, WorkerStart } from './protocol';
import { trainAutoencoderJob } from './train-autoencoder-job';

async function run({ job, cancelFlag }: WorkerStart, post: (m: WorkerMessage) => void): Promise<unknown> {
  const cancelled = new Int32Array(cancelFlag);
  const shouldStop = () => Atomics.load(cancelled, 0) !== 0;
  switch (job.kind) {
    case 'probe-backends':
      return probeBackends();
    case 'train-autoencoder': {
      // The threaded wasm build has a fixed-size pool; more threads than that cannot be used.
      const threads = Math.min(job.threads, MAX_WASM_THREADS);
      post({ type: 'backend', info: await useBackend(job.backend, { threads }) });
      return trainAutoencoderJob(job, post, shouldStop);
    }
  }
}

const port = parentPort;
if (!port) throw new Error('engine-worker must run as a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
run(workerData as WorkerStart, post).then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
);
