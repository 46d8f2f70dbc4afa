// The training loop for reconstruction models: Adam on the mean squared error between input and
// output, seeded shuffling, per-batch progress, per-epoch train/validation losses, and a cancel
// check between batches; optionally a learning-rate schedule, early stopping with the best weights
// put back, a checkpoint after every epoch and resuming from one; optionally semi-supervised, with
// labelled outliers paired with every batch (ae-outlier-loss.ts). Backend-agnostic: it runs on
// whatever TF.js backend is active.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { permutation } from '@shared/random';
import { semiSupervisedBatchLoss, type OutlierExposure } from './ae-outlier-loss';
import type { TrainingCheckpoint } from './checkpoint';
import { cyclicRows } from './cyclic-rows';
import { dataParallelStep, type GradientReducer } from './data-parallel';
import type { EarlyStoppingSpec } from './early-stopping';
import { checkEpochOptions, runEpochs, shuffledPass, type Shuffles, type Trainee } from './epoch-control';
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

/** fitAutoencoder's options: the shared loop options, plus labelled outliers. */
export interface AutoencoderFitOptions extends FitOptions {
  /**
   * Semi-supervised training: each batch is paired with as many outliers (a seeded cycle through them,
   * reshuffled every epoch) and trained on the hinge loss of ae-outlier-loss.ts. One replica only: the
   * hinge's threshold is a whole-batch mean, which summed shard gradients would not reproduce.
   * The validation loss stays the background's reconstruction MSE.
   */
  outliers?: OutlierExposure;
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

/** The outliers paired with one batch: the next `size` of a cyclic pass through `order`, from `cursor` on. */
function pairedOutliers(o: OutlierExposure, order: Int32Array, cursor: number, size: number): tf.Tensor {
  return tf.gather(o.x, tf.tensor1d(cyclicRows(order, cursor, size), 'int32'));
}

async function localStep(
  variables: tf.Variable[],
  model: LayersModel,
  optimizer: tf.Optimizer,
  train: tf.Tensor,
  order: tf.Tensor1D,
  start: number,
  size: number,
  outliers: { exposure: OutlierExposure; order: Int32Array } | null,
): Promise<number> {
  const cost = tf.tidy(() => {
    const xb = tf.gather(train, tf.slice(order, start, size));
    const loss = outliers
      ? () => semiSupervisedBatchLoss(model, xb, pairedOutliers(outliers.exposure, outliers.order, start, size), outliers.exposure.lambda, outliers.exposure.margin)
      : () => reconstructionLoss(model, xb);
    // An explicit variable list fixes the order of Adam's moments, which a checkpoint stores.
    return optimizer.minimize(loss, true, variables) as tf.Scalar;
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
  opts: AutoencoderFitOptions,
  epoch: number,
  shuffles: Shuffles,
): Promise<{ trainLoss: number; samplesPerSec: number; seconds: number } | null> {
  const exposure = opts.outliers;
  const outliers = exposure ? { exposure, order: permutation(exposure.x.shape[0], shuffles.outliers) } : null;
  return shuffledPass(
    train.shape[0],
    opts,
    epoch,
    shuffles,
    (order, start, size) =>
      opts.replica ? dataParallelStep(model, optimizer, train, order, start, size, opts.replica) : localStep(variables, model, optimizer, train, order, start, size, outliers),
    () => {
      const stop = opts.shouldStop?.() ?? false;
      return opts.replica ? opts.replica.agreeStop(stop) : stop;
    },
  );
}

function checkOutliers(model: LayersModel, train: tf.Tensor, opts: AutoencoderFitOptions): void {
  const o = opts.outliers;
  if (!o) return;
  if (opts.replica) throw new Error('semi-supervised training (outliers) runs as one replica, not data-parallel');
  if (o.x.shape[0] === 0) throw new Error('semi-supervised training: the outlier set is empty');
  if (!tf.util.arraysEqual(o.x.shape.slice(1), train.shape.slice(1))) {
    throw new Error(`semi-supervised training: outlier examples of shape [${o.x.shape.slice(1)}], the training examples are [${train.shape.slice(1)}] (model ${model.name})`);
  }
}

export async function fitAutoencoder(
  model: LayersModel,
  train: tf.Tensor,
  validation: tf.Tensor | null,
  opts: AutoencoderFitOptions,
): Promise<FitResult> {
  const n = train.shape[0];
  if (n === 0) throw new Error('training set is empty');
  checkEpochOptions(opts, validation, (opts.replica?.rank ?? 0) === 0);
  checkOutliers(model, train, opts);
  const optimizer = tf.train.adam(opts.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // A semi-supervised checkpoint names its trainer, so neither kind resumes from the other's.
  const trainee: Trainee = { models: model, optimizer, variables, rows: n, ...(opts.outliers && { trainer: 'autoencoder/semi-supervised' }) };
  try {
    return await runEpochs(
      trainee,
      opts,
      (epoch, shuffles) => trainEpoch(model, optimizer, variables, train, opts, epoch, shuffles),
      async () => (validation ? evaluateLoss(model, validation, opts.batchSize) : null),
      opts.outliers !== undefined,
    );
  } catch (err) {
    // A failing replica must not leave the others waiting for its gradients.
    opts.replica?.abort();
    throw err;
  } finally {
    optimizer.dispose();
  }
}
