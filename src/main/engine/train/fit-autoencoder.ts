// The training loop for reconstruction models: Adam on the mean squared error between input and
// output, seeded shuffling, per-batch progress, per-epoch train/validation losses, and a cancel
// check between batches; optionally a learning-rate schedule, early stopping with the best weights
// put back, a checkpoint after every epoch and resuming from one. Backend-agnostic: it runs on
// whatever TF.js backend is active.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { permutation } from '@shared/random';
import { setLearningRate, type TrainingCheckpoint } from './checkpoint';
import { dataParallelStep, type GradientReducer } from './data-parallel';
import type { EarlyStoppingSpec } from './early-stopping';
import { checkEpochOptions, countingUniform, endEpoch, finishTraining, startState, type Trainee } from './epoch-control';
import type { LrSchedule } from './lr-schedule';
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
  /** The learning rate this epoch trained with (float32, as Adam applied it); optional for other loops' results. */
  learningRate?: number;
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
   * group, and rank 0's `shouldStop` ends every replica after the same batch. Rank 0 alone decides
   * the learning rate and early stopping after each epoch (it alone needs the validation set and
   * those options); every replica applies its decisions.
   */
  replica?: GradientReducer;
  /** Changes the learning rate between epochs; without one it stays `learningRate`. */
  lrSchedule?: LrSchedule;
  /** Stops when the validation loss stops improving and puts the best epoch's weights back. */
  earlyStopping?: EarlyStoppingSpec;
  /**
   * Called after every epoch with the whole training state (write it with writeCheckpoint). In a
   * data-parallel group only rank 0 needs it: the replicas hold the same state.
   */
  onCheckpoint?: (c: TrainingCheckpoint) => void | Promise<void>;
  /**
   * Continue after this checkpoint's epoch: `epochs` still counts from the first epoch, and the
   * model ends with the weights an uninterrupted run would have. Every replica of a group needs it.
   */
  resumeFrom?: TrainingCheckpoint;
}

export interface FitResult {
  /** Every epoch's result, those before a resumed checkpoint included. */
  epochs: EpochResult[];
  /** Cancelled through shouldStop. */
  stopped: boolean;
  /** The epoch after which early stopping ended training; null (or absent) when it did not. */
  earlyStopEpoch?: number | null;
  /** The epoch whose weights early stopping put back at the end; null (or absent) when it put none back. */
  restoredEpoch?: number | null;
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
  variables: tf.Variable[],
  model: LayersModel,
  optimizer: tf.Optimizer,
  train: tf.Tensor,
  order: tf.Tensor1D,
  start: number,
  size: number,
): Promise<number> {
  const cost = tf.tidy(() => {
    const xb = tf.gather(train, tf.slice(order, start, size));
    // An explicit variable list fixes the order of Adam's moments, which a checkpoint stores.
    return optimizer.minimize(() => reconstructionLoss(model, xb), true, variables) as tf.Scalar;
  });
  const loss = (await cost.data())[0];
  cost.dispose();
  return loss;
}


/** One shuffled pass over the training set; null when shouldStop ended it. */
async function trainEpoch(
  model: LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  train: tf.Tensor,
  opts: FitOptions,
  epoch: number,
  uniform: () => number,
): Promise<{ trainLoss: number; samplesPerSec: number; seconds: number } | null> {
  const n = train.shape[0];
  const batches = Math.ceil(n / opts.batchSize);
  const order = tf.tensor1d(permutation(n, uniform), 'int32');
  const t0 = performance.now();
  let lossSum = 0;
  let seen = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const start = b * opts.batchSize;
      const size = Math.min(opts.batchSize, n - start);
      const loss = opts.replica
        ? await dataParallelStep(model, optimizer, train, order, start, size, opts.replica)
        : await localStep(variables, model, optimizer, train, order, start, size);
      if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at epoch ${epoch}, batch ${b + 1}`);
      lossSum += loss * size;
      seen += size;
      opts.onBatch?.({ epoch, batch: b + 1, batches, loss, samplesPerSec: seen / ((performance.now() - t0) / 1000) });
      const stop = opts.shouldStop?.() ?? false;
      if (opts.replica ? await opts.replica.agreeStop(stop) : stop) return null;
    }
  } finally {
    order.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { trainLoss: lossSum / seen, samplesPerSec: seen / seconds, seconds };
}

export async function fitAutoencoder(
  model: LayersModel,
  train: tf.Tensor,
  validation: tf.Tensor | null,
  opts: FitOptions,
): Promise<FitResult> {
  const n = train.shape[0];
  if (n === 0) throw new Error('training set is empty');
  checkEpochOptions(opts, validation, (opts.replica?.rank ?? 0) === 0);
  const optimizer = tf.train.adam(opts.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const trainee: Trainee = { models: model, optimizer, variables, rows: n };
  let stopped = false;
  try {
    const state = await startState(trainee, opts);
    const uniform = countingUniform(opts.seed, state.rngDraws);
    for (let epoch = state.epoch + 1; epoch <= opts.epochs && state.earlyStopEpoch === null; epoch++) {
      setLearningRate(optimizer, state.lr.lr);
      const pass = await trainEpoch(model, optimizer, variables, train, opts, epoch, uniform.next);
      if (!pass) {
        stopped = true;
        break;
      }
      const result: EpochResult = {
        epoch,
        trainLoss: pass.trainLoss,
        valLoss: validation ? await evaluateLoss(model, validation, opts.batchSize) : null,
        learningRate: state.lr.lr,
        samplesPerSec: pass.samplesPerSec,
        seconds: pass.seconds,
      };
      await endEpoch(trainee, opts, state, result, { rngDraws: uniform.draws() });
    }
    return finishTraining(trainee, state, stopped);
  } catch (err) {
    // A failing replica must not leave the others waiting for its gradients.
    opts.replica?.abort();
    throw err;
  } finally {
    optimizer.dispose();
  }
}
