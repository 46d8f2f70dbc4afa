// Training and inference throughput of one TF.js model on the active backend, measured the same
// way as resources/bench/torch_reference.py: warm-up batches excluded, then batches until both the
// minimum time and the minimum batch count are reached.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fitAutoencoder } from '../train/fit-autoencoder';
import type { Workload } from './bench-plan';

export interface Throughput {
  samplesPerSec: number;
  samples: number;
  seconds: number;
}

/** Training through the real training loop (Adam, MSE, shuffled batches, loss read back every batch). */
export async function trainingThroughput(
  model: LayersModel,
  data: tf.Tensor,
  batchSize: number,
  w: Workload,
): Promise<Throughput> {
  const n = data.shape[0];
  let done = 0;
  let timed = 0;
  let samples = 0;
  let start = 0;
  let seconds = 0;
  await fitAutoencoder(model, data, null, {
    // Effectively unbounded: shouldStop ends the run once the measurement is complete.
    epochs: Number.MAX_SAFE_INTEGER,
    batchSize,
    learningRate: 1e-3,
    seed: 1,
    onBatch: (p) => {
      done++;
      const now = performance.now();
      if (done === w.warmupBatches) start = now;
      if (done <= w.warmupBatches) return;
      timed++;
      samples += Math.min(batchSize, n - (p.batch - 1) * batchSize);
      seconds = (now - start) / 1000;
    },
    shouldStop: () => timed >= w.minBatches && seconds >= w.seconds,
  });
  return { samplesPerSec: samples / seconds, samples, seconds };
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
