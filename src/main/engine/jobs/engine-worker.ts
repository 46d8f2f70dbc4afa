// Entry of the compute worker thread (bundled as out/main/engine-worker.js). One job per worker:
// TF.js state (backend, kernels, memory) is per thread, so a finished job leaves nothing behind.
import { parentPort, workerData } from 'node:worker_threads';
import { probeBackends, useBackend } from '../compute/backends';
import { MAX_WASM_THREADS } from '../compute/wasm-threads';
import { generateFile } from '../data/generate-file';
import { representDataset } from '../represent/represent-dataset';
import { importDatasetJob } from './import-dataset-job';
import type { WorkerMessage, WorkerStart } from './protocol';
import { dataParallelBackend } from './replica-pool';
import { trainAnomalyClrJob } from './train-anomalyclr-job';
import { scoreAutoencoderJob, trainAutoencoderJob } from './train-autoencoder-job';
import { trainVaeJob } from './train-vae-job';
import { trainReplicaJob } from './train-replica-job';

async function run({ job, cancelFlag }: WorkerStart, post: (m: WorkerMessage) => void): Promise<unknown> {
  const cancelled = new Int32Array(cancelFlag);
  const shouldStop = () => Atomics.load(cancelled, 0) !== 0;
  switch (job.kind) {
    case 'probe-backends': {
      // Training on CPU backends runs one replica per thread (see below); say so where the backend is listed.
      const replicas = Math.min(job.threads, MAX_WASM_THREADS);
      return (await probeBackends()).map((b) =>
        b.available && dataParallelBackend(b.name) && replicas > 1 ? { ...b, device: `${b.device ?? 'CPU'}; trains as ${replicas} data-parallel replicas` } : b,
      );
    }
    case 'train-autoencoder': {
      const threads = Math.min(job.threads, MAX_WASM_THREADS);
      // On CPU backends, `threads` replicas training on one thread each (data-parallel) use the
      // cores better than XNNPACK's threads inside one replica; other backends train alone.
      const info = await useBackend(job.backend, { threads: 1 });
      // Semi-supervised training pairs each batch with outliers and runs as one replica.
      const replicas = dataParallelBackend(info.name) && !job.outliers ? threads : 1;
      post({ type: 'backend', info: replicas > 1 ? { ...info, device: `${info.device ?? 'CPU'}, ${replicas} data-parallel replicas` } : info });
      return trainAutoencoderJob(job, info.name, replicas, post, shouldStop);
    }
    case 'train-replica':
      await useBackend(job.backend, { threads: 1 });
      return trainReplicaJob(job, post, shouldStop);
    case 'import-dataset':
      return importDatasetJob(job, post, shouldStop);
    case 'generate-dataset':
      return generateFile(job.spec, {
        onProgress: (done) => post({ type: 'progress', phase: 'write', done, total: job.spec.n, unit: 'rows' }),
        shouldStop,
      });
    case 'train-vae': {
      // The DisCo term couples every row of a batch, so VAEs train as one replica.
      post({ type: 'backend', info: await useBackend(job.backend, { threads: 1 }) });
      return trainVaeJob(job, post, shouldStop);
    }
    case 'train-anomalyclr': {
      // One model trains at a time (the contrastive loss couples every event of a batch): the threads go to XNNPACK.
      post({ type: 'backend', info: await useBackend(job.backend, { threads: Math.min(job.threads, MAX_WASM_THREADS) }) });
      return trainAnomalyClrJob(job, post, shouldStop);
    }
    case 'score-autoencoder':
      await useBackend(job.backend, { threads: 1 });
      return scoreAutoencoderJob(job);
    case 'represent-dataset':
      return representDataset(
        job.home,
        job.info,
        job.spec,
        job.folder,
        job.chunkRows,
        { onProgress: (done, total) => post({ type: 'progress', phase: 'compute', done, total, unit: 'rows' }), shouldStop },
        job.given,
      );
  }
}

const port = parentPort;
if (!port) throw new Error('engine-worker must run as a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
run(workerData as WorkerStart, post).then(
  (result) => post({ type: 'done', result }),
  (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
);
