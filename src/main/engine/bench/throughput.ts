// Training and inference throughput of one TF.js model on the active backend, measured the same
// way as resources/bench/torch_reference.py: warm-up batches excluded, then batches until both the
// minimum time and the minimum batch count are reached.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { wasmThreadsInUse } from '../compute/wasm-threads';
import { replicaGroupSpec, startReplicas } from '../jobs/replica-pool';
import { fitAutoencoder, type BatchProgress } from '../train/fit-autoencoder';
import type { Workload } from './bench-plan';

export interface Throughput {
  samplesPerSec: number;
  samples: number;
  seconds: number;
}

/** Counts the timed samples of a training run batch by batch: warm-up batches first, then until `w` is satisfied. */
function trainingMeter(n: number, batchSize: number, w: Workload) {
  let done = 0;
  let timed = 0;
  let samples = 0;
  let start = 0;
  let seconds = 0;
  return {
    onBatch: (p: Pick<BatchProgress, 'batch'>) => {
      done++;
      const now = performance.now();
      if (done === w.warmupBatches) start = now;
      if (done <= w.warmupBatches) return;
      timed++;
      samples += Math.min(batchSize, n - (p.batch - 1) * batchSize);
      seconds = (now - start) / 1000;
    },
    complete: () => timed >= w.minBatches && seconds >= w.seconds,
    result: (): Throughput => ({ samplesPerSec: samples / seconds, samples, seconds }),
  };
}

/**
 * Training through the real training loop (Adam, MSE, shuffled batches, loss read back every
 * batch). On the wasm backend with several threads it measures what training jobs run there:
 * that many data-parallel replicas on one thread each, in worker threads.
 */
export async function trainingThroughput(
  model: LayersModel,
  data: tf.Tensor,
  batchSize: number,
  w: Workload,
): Promise<Throughput> {
  const meter = trainingMeter(data.shape[0], batchSize, w);
  // Effectively unbounded: the meter ends the run once the measurement is complete.
  const fit = { epochs: Number.MAX_SAFE_INTEGER, batchSize, learningRate: 1e-3, seed: 1 };
  const replicas = tf.getBackend() === 'wasm' ? (wasmThreadsInUse() ?? 1) : 1;
  if (replicas === 1) {
    await fitAutoencoder(model, data, null, { ...fit, onBatch: meter.onBatch, shouldStop: meter.complete });
    return meter.result();
  }
  const spec = await replicaGroupSpec(model, data, 'wasm', replicas, fit);
  const ranks = Array.from({ length: replicas }, (_, r) => r);
  const group = startReplicas(spec, ranks, (m) => {
    if (m.type !== 'batch') return;
    meter.onBatch(m);
    if (meter.complete()) group.cancel();
  });
  try {
    await group.done;
  } finally {
    await group.terminate();
  }
  return meter.result();
}

/** Inference with `model.predict`, one call per batch, each result read back to the host. */
export async function inferenceThroughput(
  model: LayersModel,
  data: tf.Tensor,
  batchSize: number,
  w: Workload,
): Promise<Throughput> {
  const n = data.shape[0];
  const batches: tf.Tensor[] = [];
  for (let first = 0; first < n; first += batchSize) batches.push(tf.slice(data, first, Math.min(batchSize, n - first)));
  const predict = async (xb: tf.Tensor) => {
    // predict's default batch size is 32: one call per benchmark batch instead.
    const y = model.predict(xb, { batchSize: xb.shape[0] }) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  try {
    for (const xb of batches.slice(0, Math.max(1, w.warmupBatches))) await predict(xb);
    let timed = 0;
    let samples = 0;
    let seconds = 0;
    const start = performance.now();
    while (!(timed >= w.minBatches && seconds >= w.seconds)) {
      const xb = batches[timed % batches.length];
      await predict(xb);
      timed++;
      samples += xb.shape[0];
      seconds = (performance.now() - start) / 1000;
    }
    return { samplesPerSec: samples / seconds, samples, seconds };
  } finally {
    batches.forEach((b) => b.dispose());
  }
}
