// What the training loops for reconstruction models (fitAutoencoder, fitVae) do around their epochs:
// start fresh or from a checkpoint, and after every epoch apply the learning-rate schedule, take the
// early-stopping step (keeping the best weights), report the epoch and write the checkpoint; at the
// end put the best weights back. The loops themselves only train the epochs.
import * as tf from '@tensorflow/tfjs-core';
import { itemSeed, mulberry32, permutation } from '@shared/random';
import {
  CHECKPOINT_VERSION,
  loadAdam,
  loadWeights,
  readAdam,
  setLearningRate,
  readWeights,
  type NamedArray,
  type TrainingCheckpoint,
  type WeightOwner,
} from './checkpoint';
import type { GradientReducer } from './data-parallel';
import { checkEarlyStopping, earlyStoppingStep, initialEarlyStoppingState, type EarlyStoppingState } from './early-stopping';
import type { EpochResult, FitOptions, FitResult } from './fit-autoencoder';
import { checkLrSchedule, initialLrState, lrAfterEpoch, type LrState } from './lr-schedule';

/** The options that act between epochs. */
export type EpochControlOptions = Pick<
  FitOptions,
  'epochs' | 'batchSize' | 'learningRate' | 'seed' | 'lrSchedule' | 'earlyStopping' | 'onEpoch' | 'onCheckpoint' | 'resumeFrom' | 'replica'
>;

/** What a loop trains: a checkpoint holds these weights and this optimiser's state. */
export interface Trainee {
  models: WeightOwner;
  optimizer: tf.Optimizer;
  /** The variables Adam trains, in the order its moments are stored. */
  variables: tf.Variable[];
  /** Training rows (a checkpoint of another training set is refused). */
  rows: number;
  /** The loop and objective, as TrainingCheckpoint.trainer names it; absent for the autoencoder loop. */
  trainer?: string;
}

/** What the loop carries from epoch to epoch besides the weights and the optimiser. */
export interface LoopState {
  /** The last completed epoch. */
  epoch: number;
  /** Draws of the shuffling generator (the seed's own sequence). */
  rngDraws: number;
  /** Draws of the loop's further generators, by name (absent before their first epoch). */
  rngStreams: Record<string, number>;
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

/** A seeded uniform sequence, `skip` draws in, counting the draws (a checkpoint stores the count). */
export function countingUniform(seed: number, skip: number): { next: () => number; draws: () => number } {
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

/** Refuses bad schedule and early-stopping settings; `lead`: this trainer takes the decisions. */
export function checkEpochOptions(opts: EpochControlOptions, validation: tf.Tensor | null, lead: boolean): void {
  if (opts.lrSchedule) checkLrSchedule(opts.lrSchedule);
  if (opts.earlyStopping) checkEarlyStopping(opts.earlyStopping);
  const watchesValidation = opts.lrSchedule?.kind === 'plateau' || opts.earlyStopping !== undefined;
  // Only the deciding trainer needs the validation set; the other replicas are told the decisions.
  if (lead && watchesValidation && (!validation || validation.shape[0] === 0)) {
    throw new Error('the plateau learning-rate schedule and early stopping watch the validation loss: a validation set is needed');
  }
}

function freshState(opts: EpochControlOptions): LoopState {
  return {
    epoch: 0,
    rngDraws: 0,
    rngStreams: {},
    lr: initialLrState(opts.learningRate),
    early: opts.earlyStopping ? initialEarlyStoppingState() : null,
    history: [],
    best: null,
    earlyStopEpoch: null,
  };
}

async function resume(t: Trainee, c: TrainingCheckpoint, opts: EpochControlOptions): Promise<LoopState> {
  const where = `resuming after epoch ${c.epoch}`;
  const mismatch = (what: string, was: number | string, is: number | string) => new Error(`${where}: the checkpoint's run had ${what} ${was}, this one has ${is}`);
  const trainer = (name: string | undefined) => name ?? 'autoencoder';
  if (trainer(c.trainer) !== trainer(t.trainer)) throw mismatch('trainer', trainer(c.trainer), trainer(t.trainer));
  if (c.seed !== opts.seed) throw mismatch('seed', c.seed, opts.seed);
  if (c.batchSize !== opts.batchSize) throw mismatch('batch size', c.batchSize, opts.batchSize);
  if (c.trainRows !== t.rows) throw mismatch('training rows', c.trainRows, t.rows);
  loadWeights(t.models, c.weights, where);
  await loadAdam(t.optimizer, c.optimizer, t.variables, where);
  return {
    epoch: c.epoch,
    rngDraws: c.rngDraws,
    rngStreams: { ...c.rngStreams },
    lr: c.lr,
    early: opts.earlyStopping ? (c.earlyStopping ?? initialEarlyStoppingState()) : null,
    history: [...c.history],
    best: c.best,
    earlyStopEpoch: c.earlyStopping?.stoppedEpoch ?? null,
  };
}

/** The state before the first epoch to train: a fresh one, or opts.resumeFrom's with its weights and Adam state loaded. */
export async function startState(t: Trainee, opts: EpochControlOptions): Promise<LoopState> {
  return opts.resumeFrom ? resume(t, opts.resumeFrom, opts) : freshState(opts);
}

function decide(opts: EpochControlOptions, state: LoopState, result: EpochResult): { decision: EpochDecision; lr: LrState; early: EarlyStoppingState | null } {
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
    if (!own) throw new Error('training loop: a lone trainer must decide for itself');
    return own;
  }
  const [lr, saveBest, stop] = await replica.broadcast(own ? [own.lr, Number(own.saveBest), Number(own.stop)] : [0, 0, 0]);
  return { lr, saveBest: saveBest !== 0, stop: stop !== 0 };
}

async function checkpointOf(t: Trainee, state: LoopState, opts: EpochControlOptions): Promise<TrainingCheckpoint> {
  return {
    version: CHECKPOINT_VERSION,
    epoch: state.epoch,
    seed: opts.seed,
    rngDraws: state.rngDraws,
    batchSize: opts.batchSize,
    trainRows: t.rows,
    lr: state.lr,
    earlyStopping: state.early,
    history: [...state.history],
    weights: await readWeights(t.models),
    optimizer: await readAdam(t.optimizer),
    best: state.best,
    // Only what a loop has: an autoencoder's checkpoint stays as it always was.
    ...(t.trainer !== undefined && { trainer: t.trainer }),
    ...(Object.keys(state.rngStreams).length > 0 && { rngStreams: { ...state.rngStreams } }),
  };
}

/**
 * After epoch `result.epoch`: records it and the generators' positions, takes (or, on a replica that
 * does not lead, receives) the schedule and early-stopping decisions, keeps the best weights, then
 * reports the epoch and hands over the checkpoint. The next epoch trains at state.lr.lr; training
 * ends once state.earlyStopEpoch is set.
 */
export async function endEpoch(
  t: Trainee,
  opts: EpochControlOptions,
  state: LoopState,
  result: EpochResult,
  draws: { rngDraws: number; rngStreams?: Record<string, number> },
): Promise<void> {
  state.history.push(result);
  state.epoch = result.epoch;
  state.rngDraws = draws.rngDraws;
  state.rngStreams = { ...state.rngStreams, ...draws.rngStreams };
  const lead = (opts.replica?.rank ?? 0) === 0;
  const own = lead ? decide(opts, state, result) : null;
  const decision = await shareDecision(own?.decision ?? null, opts.replica);
  state.lr = own ? own.lr : { ...state.lr, lr: decision.lr };
  if (own) state.early = own.early;
  if (decision.saveBest) state.best = { epoch: result.epoch, weights: await readWeights(t.models) };
  if (decision.stop) state.earlyStopEpoch = result.epoch;
  await opts.onEpoch?.(result);
  if (opts.onCheckpoint) await opts.onCheckpoint(await checkpointOf(t, state, opts));
}

/** Puts the best weights back, as Keras does at the end of training, stopped early or not; a cancelled run keeps its weights. */
export function finishTraining(t: Trainee, state: LoopState, stopped: boolean): Required<FitResult> {
  const restored = stopped ? null : state.best;
  if (restored) loadWeights(t.models, restored.weights, `restoring the weights of epoch ${restored.epoch}`);
  return { epochs: state.history, stopped, earlyStopEpoch: state.earlyStopEpoch, restoredEpoch: restored?.epoch ?? null };
}

/** The shuffles an epoch draws from: the training rows' (the seed's own sequence) and the outliers'. */
export interface Shuffles {
  rows: () => number;
  outliers: () => number;
}

/** One pass over the training set; null when the loop was told to stop during it. */
export type EpochPass = (epoch: number, shuffles: Shuffles) => Promise<{ trainLoss: number; samplesPerSec: number; seconds: number } | null>;

/** What a pass reports after each batch (progress events, throughput). */
type BatchReport = Pick<EpochControlOptions, 'batchSize'> & { onBatch?: (p: { epoch: number; batch: number; batches: number; loss: number; samplesPerSec: number }) => void };

/**
 * One pass over `n` training rows in a seeded random order, batch by batch: `step` trains the rows
 * order[start, start + size) and returns the batch loss; a non-finite loss ends training with an error,
 * and `stop` (asked after every batch) ends the pass early, giving null.
 */
export async function shuffledPass(
  n: number,
  opts: BatchReport,
  epoch: number,
  shuffles: Shuffles,
  step: (order: tf.Tensor1D, start: number, size: number, batch: number, batches: number) => Promise<number>,
  stop: () => boolean | Promise<boolean>,
): ReturnType<EpochPass> {
  const batches = Math.ceil(n / opts.batchSize);
  const order = tf.tensor1d(permutation(n, shuffles.rows), 'int32');
  const t0 = performance.now();
  let lossSum = 0;
  let seen = 0;
  try {
    for (let b = 0; b < batches; b++) {
      const start = b * opts.batchSize;
      const size = Math.min(opts.batchSize, n - start);
      const loss = await step(order, start, size, b, batches);
      if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at epoch ${epoch}, batch ${b + 1}`);
      lossSum += loss * size;
      seen += size;
      opts.onBatch?.({ epoch, batch: b + 1, batches, loss, samplesPerSec: seen / ((performance.now() - t0) / 1000) });
      if (await stop()) return null;
    }
  } finally {
    order.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { trainLoss: lossSum / seen, samplesPerSec: seen / seconds, seconds };
}

// The outlier shuffle's own seeded stream (itemSeed) and its name among a checkpoint's rngStreams.
const OUTLIER_SHUFFLE = 5;
const OUTLIER_SHUFFLE_DRAWS = 'outlier-shuffle';

/**
 * The epoch loop of the reconstruction models: seeded, counted shuffles (so that a checkpoint resumes
 * them exactly), one pass and the validation loss per epoch, then the epoch's decisions; the best
 * weights put back at the end. `outlierStream`: the checkpoints keep the outlier shuffle's position.
 */
export async function runEpochs(
  t: Trainee,
  opts: EpochControlOptions,
  pass: EpochPass,
  validate: (epoch: number) => Promise<number | null>,
  outlierStream: boolean,
): Promise<Required<FitResult>> {
  const state = await startState(t, opts);
  const rows = countingUniform(opts.seed, state.rngDraws);
  const outliers = countingUniform(itemSeed(opts.seed, OUTLIER_SHUFFLE, 0), state.rngStreams[OUTLIER_SHUFFLE_DRAWS] ?? 0);
  let stopped = false;
  for (let epoch = state.epoch + 1; epoch <= opts.epochs && state.earlyStopEpoch === null; epoch++) {
    setLearningRate(t.optimizer, state.lr.lr);
    const done = await pass(epoch, { rows: rows.next, outliers: outliers.next });
    if (!done) {
      stopped = true;
      break;
    }
    const result: EpochResult = { epoch, trainLoss: done.trainLoss, valLoss: await validate(epoch), learningRate: state.lr.lr, samplesPerSec: done.samplesPerSec, seconds: done.seconds };
    await endEpoch(t, opts, state, result, { rngDraws: rows.draws(), rngStreams: outlierStream ? { [OUTLIER_SHUFFLE_DRAWS]: outliers.draws() } : undefined });
  }
  return finishTraining(t, state, stopped);
}
