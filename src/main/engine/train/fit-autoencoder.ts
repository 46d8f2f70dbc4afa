// The training loop for reconstruction models: Adam on the mean squared error between input and
// output, seeded shuffling, per-batch progress, per-epoch train/validation losses, and a cancel
// check between batches; optionally a learning-rate schedule, early stopping with the best weights
// put back, a checkpoint after every epoch and resuming from one. Backend-agnostic: it runs on
// whatever TF.js backend is active.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mulberry32, permutation } from '@shared/random';
import {
  CHECKPOINT_VERSION,
  loadAdam,
  loadWeights,
  readAdam,
  readWeights,
  setLearningRate,
  type NamedArray,
  type TrainingCheckpoint,
} from './checkpoint';
import { dataParallelStep, type GradientReducer } from './data-parallel';
import {
  checkEarlyStopping,
  earlyStoppingStep,
  initialEarlyStoppingState,
  type EarlyStoppingSpec,
  type EarlyStoppingState,
} from './early-stopping';
import { checkLrSchedule, initialLrState, lrAfterEpoch, type LrSchedule, type LrState } from './lr-schedule';
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


/** What the loop carries from epoch to epoch besides the weights and the optimiser. */
interface LoopState {
  /** The last completed epoch. */
  epoch: number;
  rngDraws: number;
  lr: LrState;
  early: EarlyStoppingState | null;
  history: EpochResult[];
  best: { epoch: number; weights: NamedArray[] } | null;
  earlyStopEpoch: number | null;
}

/** What rank 0 (or a lone trainer) decides after an epoch; every replica applies it. */
interface EpochDecision {
  lr: number;
  saveBest: boolean;
  stop: boolean;
}

/** The seed's uniform sequence, `skip` draws in, counting the draws (a checkpoint stores the count). */
function countingUniform(seed: number, skip: number): { next: () => number; draws: () => number } {
  const uniform = mulberry32(seed);
  for (let i = 0; i < skip; i++) uniform();
  let draws = skip;
  return {
    next: () => {
      draws++;
      return uniform();
    },
    draws: () => draws,
  };
}

function checkOptions(opts: FitOptions, validation: tf.Tensor | null, lead: boolean): void {
  if (opts.lrSchedule) checkLrSchedule(opts.lrSchedule);
  if (opts.earlyStopping) checkEarlyStopping(opts.earlyStopping);
  const watchesValidation = opts.lrSchedule?.kind === 'plateau' || opts.earlyStopping !== undefined;
  // Only the deciding trainer needs the validation set; the other replicas are told the decisions.
  if (lead && watchesValidation && (!validation || validation.shape[0] === 0)) {
    throw new Error('the plateau learning-rate schedule and early stopping watch the validation loss: a validation set is needed');
  }
}

function freshState(opts: FitOptions): LoopState {
  return {
    epoch: 0,
    rngDraws: 0,
    lr: initialLrState(opts.learningRate),
    early: opts.earlyStopping ? initialEarlyStoppingState() : null,
    history: [],
    best: null,
    earlyStopEpoch: null,
  };
}

async function resume(model: LayersModel, optimizer: tf.Optimizer, variables: tf.Variable[], c: TrainingCheckpoint, opts: FitOptions, rows: number): Promise<LoopState> {
  const where = `resuming after epoch ${c.epoch}`;
  const mismatch = (what: string, was: number, is: number) => new Error(`${where}: the checkpoint's run had ${what} ${was}, this one has ${is}`);
  if (c.seed !== opts.seed) throw mismatch('seed', c.seed, opts.seed);
  if (c.batchSize !== opts.batchSize) throw mismatch('batch size', c.batchSize, opts.batchSize);
  if (c.trainRows !== rows) throw mismatch('training rows', c.trainRows, rows);
  loadWeights(model, c.weights, where);
  await loadAdam(optimizer, c.optimizer, variables, where);
  return {
    epoch: c.epoch,
    rngDraws: c.rngDraws,
    lr: c.lr,
    early: opts.earlyStopping ? (c.earlyStopping ?? initialEarlyStoppingState()) : null,
    history: [...c.history],
    best: c.best,
    earlyStopEpoch: c.earlyStopping?.stoppedEpoch ?? null,
  };
}

function decide(opts: FitOptions, state: LoopState, result: EpochResult): { decision: EpochDecision; lr: LrState; early: EarlyStoppingState | null } {
  const lr = opts.lrSchedule ? lrAfterEpoch(opts.lrSchedule, state.lr, result.epoch, result.valLoss, opts.learningRate) : state.lr;
  if (!opts.earlyStopping || !state.early) return { decision: { lr: lr.lr, saveBest: false, stop: false }, lr, early: state.early };
  if (result.valLoss === null) throw new Error(`early stopping: no validation loss after epoch ${result.epoch}`);
  const step = earlyStoppingStep(opts.earlyStopping, state.early, result.epoch, result.valLoss);
  const saveBest = step.saveBest && (opts.earlyStopping.restoreBestWeights ?? true);
  return { decision: { lr: lr.lr, saveBest, stop: step.stop }, lr, early: step.state };
}

/** The deciding trainer's decision on every replica; `own` is null on the replicas that do not decide. */
async function shareDecision(own: EpochDecision | null, replica: GradientReducer | undefined): Promise<EpochDecision> {
  if (!replica) {
    if (!own) throw new Error('fitAutoencoder: a lone trainer must decide for itself');
    return own;
  }
  const [lr, saveBest, stop] = await replica.broadcast(own ? [own.lr, Number(own.saveBest), Number(own.stop)] : [0, 0, 0]);
  return { lr, saveBest: saveBest !== 0, stop: stop !== 0 };
}

async function checkpointOf(model: LayersModel, optimizer: tf.Optimizer, state: LoopState, opts: FitOptions, rows: number): Promise<TrainingCheckpoint> {
  return {
    version: CHECKPOINT_VERSION,
    epoch: state.epoch,
    seed: opts.seed,
    rngDraws: state.rngDraws,
    batchSize: opts.batchSize,
    trainRows: rows,
    lr: state.lr,
    earlyStopping: state.early,
    history: [...state.history],
    weights: await readWeights(model),
    optimizer: await readAdam(optimizer),
    best: state.best,
  };
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
  const lead = (opts.replica?.rank ?? 0) === 0;
  checkOptions(opts, validation, lead);
  const optimizer = tf.train.adam(opts.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let stopped = false;
  try {
    const state = opts.resumeFrom ? await resume(model, optimizer, variables, opts.resumeFrom, opts, n) : freshState(opts);
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
      state.history.push(result);
      state.epoch = epoch;
      state.rngDraws = uniform.draws();
      const own = lead ? decide(opts, state, result) : null;
      const decision = await shareDecision(own?.decision ?? null, opts.replica);
      state.lr = own ? own.lr : { ...state.lr, lr: decision.lr };
      if (own) state.early = own.early;
      if (decision.saveBest) state.best = { epoch, weights: await readWeights(model) };
      if (decision.stop) state.earlyStopEpoch = epoch;
      await opts.onEpoch?.(result);
      if (opts.onCheckpoint) await opts.onCheckpoint(await checkpointOf(model, optimizer, state, opts, n));
    }
    // As Keras does at the end of training, stopped early or not; a cancelled run keeps its weights.
    const restored = stopped ? null : state.best;
    if (restored) loadWeights(model, restored.weights, `restoring the weights of epoch ${restored.epoch}`);
    return { epochs: state.history, stopped, earlyStopEpoch: state.earlyStopEpoch, restoredEpoch: restored?.epoch ?? null };
  } catch (err) {
    // A failing replica must not leave the others waiting for its gradients.
    opts.replica?.abort();
    throw err;
  } finally {
    optimizer.dispose();
  }
}
