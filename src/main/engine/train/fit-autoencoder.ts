// The training loop for reconstruction models: Adam on the mean squared error between input and
// output, seeded shuffling, per-batch progress, per-epoch train/validation losses, and a cancel
// check between batches. Backend-agnostic: it runs on whatever TF.js backend is active.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mulberry32, permutation } from '@shared/random';
import { dataParallelStep, type GradientReducer } from './data-parallel';
import { reconstructionLoss } from './reconstruction-loss';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  samplesPerSec: number;
}

export interface EpochResult {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  samplesPerSec: number;
  seconds: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (e: EpochResult) => void | Promise<void>;
  /** Polled between batches; true ends training after the current batch. */
  shouldStop?: () => boolean;
  /**
   * Train as one replica of a data-parallel group: each batch's gradients are summed across the
   * group, and rank 0's `shouldStop` ends every replica after the same batch.
   */
  replica?: GradientReducer;
}

export interface FitResult {
  epochs: EpochResult[];
  stopped: boolean;
}


/** Mean reconstruction MSE over a whole set, evaluated in batches without gradients. */
export async function evaluateLoss(model: LayersModel, x: tf.Tensor, batchSize: number): Promise<number> {
  const n = x.shape[0];
  let total = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const loss = tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      return tf.losses.meanSquaredError(xb, model.predict(xb) as tf.Tensor);
    });
    // data(), not dataSync(): the webgpu backend cannot read synchronously in Node.
    total += (await loss.data())[0] * size;
    loss.dispose();
  }
  return total / n;
}

async function localStep(
  model: LayersModel,
  optimizer: tf.Optimizer,
  train: tf.Tensor,
  order: tf.Tensor1D,
  start: number,
  size: number,
): Promise<number> {
  const cost = tf.tidy(() => {
    const xb = tf.gather(train, tf.slice(order, start, size));
    return optimizer.minimize(() => reconstructionLoss(model, xb), true) as tf.Scalar;
  });
  const loss = (await cost.data())[0];
  cost.dispose();
  return loss;
}

export async function fitAutoencoder(
  model: LayersModel,
  train: tf.Tensor,
  validation: tf.Tensor | null,
  opts: FitOptions,
): Promise<FitResult> {
  const n = train.shape[0];
  if (n === 0) throw new Error('training set is empty');
  const batches = Math.ceil(n / opts.batchSize);
  const optimizer = tf.train.adam(opts.learningRate);
  const rng = mulberry32(opts.seed);
  const history: EpochResult[] = [];
  let stopped = false;
  try {
    for (let epoch = 1; epoch <= opts.epochs && !stopped; epoch++) {
      const order = tf.tensor1d(permutation(n, rng), 'int32');
      const t0 = performance.now();
      let lossSum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * opts.batchSize;
        const size = Math.min(opts.batchSize, n - start);
        const loss = opts.replica
          ? await dataParallelStep(model, optimizer, train, order, start, size, opts.replica)
          : await localStep(model, optimizer, train, order, start, size);
        if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at epoch ${epoch}, batch ${b + 1}`);
        lossSum += loss * size;
        seen += size;
        opts.onBatch?.({
          epoch,
          batch: b + 1,
          batches,
          loss,
          samplesPerSec: seen / ((performance.now() - t0) / 1000),
        });
        const stop = opts.shouldStop?.() ?? false;
        if (opts.replica ? await opts.replica.agreeStop(stop) : stop) {
          stopped = true;
          break;
        }
      }
      order.dispose();
      const seconds = (performance.now() - t0) / 1000;
      if (stopped) break;
      const result: EpochResult = {
        epoch,
        trainLoss: lossSum / seen,
        valLoss: validation ? await evaluateLoss(model, validation, opts.batchSize) : null,
        samplesPerSec: seen / seconds,
        seconds,
      };
      history.push(result);
      await opts.onEpoch?.(result);
    }
  } catch (err) {
    // A failing replica must not leave the others waiting for its gradients.
    opts.replica?.abort();
    throw err;
  } finally {
    optimizer.dispose();
  }
  return { epochs: history, stopped };
}
