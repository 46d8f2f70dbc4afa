// The training loop of the VAE-Jet models: β-VAE, DisCo-VAE (mass-decorrelated) and OE-VAE (outlier
// exposure). Shaped like fitAutoencoder (same options, callbacks and results) so one runner drives
// either, with the same learning-rate schedules, early stopping (encoder and decoder put back
// together), checkpoints and resume (train/epoch-control.ts). Reproducible for a given seed and
// backend: the shuffles and the noise ε are seeded JS draws, so a resumed run reaches the weights of
// an uninterrupted one bit for bit. Single replica only: DisCo's distance correlation is a whole-batch
// statistic, so summing shard gradients (train/data-parallel.ts) would not give the batch gradient.
import * as tf from '@tensorflow/tfjs-core';
import { permutation } from '@shared/random';
import { latentNoise, vaeForward, vaeTrainableWeights, type Vae } from '../models/vae';
import { cyclicRows } from './cyclic-rows';
import { checkEpochOptions, runEpochs, shuffledPass, type Shuffles, type Trainee } from './epoch-control';
import type { FitOptions, FitResult } from './fit-autoencoder';
import {
  annealingWeight,
  betaVaeLossPerExample,
  discoVaeLoss,
  klPerExample,
  klTerms,
  oeKlMargin,
  oeMseMargin,
  oeMseSigmoid,
  oeVaeLoss,
  reconstructionMsePerExample,
  type CyclicAnnealing,
  type OeVariant,
} from './vae-losses';

export type VaeObjective =
  | { kind: 'beta-vae' }
  | {
      kind: 'disco';
      lambda: number;
      /** Jet mass per training row (the quantity the loss is decorrelated from). */
      mass: tf.Tensor1D;
      /** Jet mass per validation row; required when there is a validation set. */
      validationMass?: tf.Tensor1D;
      /** Schedule of λ's weight; none = always 1. */
      lambdaAnnealing?: CyclicAnnealing | null;
    }
  | {
      kind: 'oe';
      variant: OeVariant;
      lambda: number;
      /** Hinge margin m of the margin variants. */
      margin: number;
      /** Outlier rows; each in-sample batch is paired with as many of them, reshuffled every epoch. */
      outliers: tf.Tensor2D;
      /** Outliers paired with the validation batches; required when there is a validation set. */
      validationOutliers?: tf.Tensor2D;
      lambdaAnnealing?: CyclicAnnealing | null;
    };

export interface VaeFitOptions extends Omit<FitOptions, 'replica'> {
  /** β of MSE + w·β·KL. */
  beta: number;
  /** Schedule of the KL weight w; none = always 1. */
  klAnnealing?: CyclicAnnealing | null;
  objective: VaeObjective;
  /** Per-feature weights of the reconstruction MSE (default: all 1). */
  featureWeights?: tf.Tensor1D;
}

// Streams of the seeded draws (itemSeed via latentNoise): one per purpose, so they never share numbers
// (5 is the outlier shuffle's, in epoch-control.ts).
const TRAIN_NOISE = 1;
const OUTLIER_NOISE = 2;
const VALIDATION_NOISE = 3;
const VALIDATION_OUTLIER_NOISE = 4;

interface Weights {
  /** w·β */
  kl: number;
  /** λ times its annealing weight. */
  lambda: number;
}

/** One batch: rows, their noise, and the masses or paired outliers the objective needs. */
interface Batch {
  x: tf.Tensor2D;
  eps: tf.Tensor2D;
  mass?: tf.Tensor1D;
  outliers?: tf.Tensor2D;
  outlierEps?: tf.Tensor2D;
}

/** The scalar a batch is trained (or validated) on; call inside tf.tidy. */
function batchObjective(vae: Vae, b: Batch, w: Weights, opts: VaeFitOptions, training: boolean): tf.Scalar {
  const out = vaeForward(vae, b.x, b.eps, training);
  const mseIn = reconstructionMsePerExample(b.x, out.reconstruction, opts.featureWeights);
  const perExample = betaVaeLossPerExample(mseIn, klPerExample(out.mu, out.logVar), w.kl);
  const obj = opts.objective;
  // λ = 0 (annealing) skips the penalty, as Cheng's scripts do: no wasted work, no NaN from a constant batch.
  if (obj.kind === 'beta-vae' || w.lambda === 0) return tf.mean(perExample);
  if (obj.kind === 'disco') return discoVaeLoss(perExample, b.mass!, w.lambda);
  let term: tf.Scalar;
  if (obj.variant === 'kl-margin') {
    const [muOe, logVarOe] = vae.encoder.apply(b.outliers!, { training }) as tf.Tensor2D[];
    term = oeKlMargin(klTerms(out.mu, out.logVar), klTerms(muOe, logVarOe), obj.margin);
  } else {
    const oe = vaeForward(vae, b.outliers!, b.outlierEps!, training);
    const mseOe = reconstructionMsePerExample(b.outliers!, oe.reconstruction, opts.featureWeights);
    term = obj.variant === 'mse-margin' ? oeMseMargin(mseIn, mseOe, obj.margin) : oeMseSigmoid(mseIn, mseOe);
  }
  return oeVaeLoss(perExample, term, w.lambda);
}

function checkInputs(vae: Vae, train: tf.Tensor, validation: tf.Tensor | null, obj: VaeObjective, batchSize: number): void {
  const dim = vae.config.inputDim;
  const checkRows = (t: tf.Tensor, what: string) => {
    if (t.rank !== 2 || t.shape[1] !== dim) throw new Error(`VAE training: ${what} must be rows × ${dim} features, got shape [${t.shape}]`);
  };
  checkRows(train, 'the training set');
  if (validation) checkRows(validation, 'the validation set');
  if (obj.kind === 'disco') {
    // A one-row batch has no distance variance: dCorr would be 0/0.
    for (const [t, what] of [[train, 'training'], [validation, 'validation']] as const) {
      if (t && t.shape[0] % batchSize === 1) throw new Error(`DisCo-VAE: the last ${what} batch would hold a single row (distance correlation undefined); choose another batch size than ${batchSize}`);
    }
    if (obj.mass.size !== train.shape[0]) throw new Error(`DisCo-VAE: ${obj.mass.size} masses for ${train.shape[0]} training rows`);
    if (validation && obj.validationMass?.size !== validation.shape[0]) {
      throw new Error(`DisCo-VAE: ${obj.validationMass?.size ?? 'no'} validation masses for ${validation.shape[0]} validation rows`);
    }
  }
  if (obj.kind === 'oe') {
    checkRows(obj.outliers, 'the outlier set');
    if (obj.outliers.shape[0] === 0) throw new Error('OE-VAE: the outlier set is empty');
    if (validation) {
      if (!obj.validationOutliers) throw new Error('OE-VAE: a validation set needs validation outliers to pair with');
      checkRows(obj.validationOutliers, 'the validation outlier set');
      if (obj.validationOutliers.shape[0] === 0) throw new Error('OE-VAE: the validation outlier set is empty');
    }
  }
}

/** Indices of the next `size` outliers of a cyclic pass through `order`, from `cursor` on. */
/** The batch of `rows` (indices into x); call inside tf.tidy. */
function gatherBatch(
  vae: Vae,
  x: tf.Tensor,
  rows: tf.Tensor1D,
  mass: tf.Tensor1D | undefined,
  outliers: { x: tf.Tensor2D; rows: Int32Array; stream: number } | null,
  seed: number,
  noiseStream: number,
  step: number,
): Batch {
  const size = rows.size;
  const latent = vae.config.latentDim;
  const batch: Batch = { x: tf.gather(x, rows) as tf.Tensor2D, eps: latentNoise(size, latent, seed, noiseStream, step) };
  if (mass) batch.mass = tf.gather(mass, rows);
  if (outliers) {
    batch.outliers = tf.gather(outliers.x, tf.tensor1d(outliers.rows, 'int32'));
    batch.outlierEps = latentNoise(size, latent, seed, outliers.stream, step);
  }
  return batch;
}

/** The objective averaged over the validation set in batches (fixed noise, so epochs compare). */
async function validationLoss(vae: Vae, validation: tf.Tensor, w: Weights, opts: VaeFitOptions): Promise<number> {
  const n = validation.shape[0];
  const obj = opts.objective;
  const mass = obj.kind === 'disco' ? obj.validationMass : undefined;
  const outliers = obj.kind === 'oe' ? obj.validationOutliers! : null;
  const outlierOrder = outliers ? Int32Array.from({ length: outliers.shape[0] }, (_, i) => i) : null;
  let total = 0;
  for (let start = 0, b = 0; start < n; start += opts.batchSize, b++) {
    const size = Math.min(opts.batchSize, n - start);
    const loss = tf.tidy(() => {
      const rows = tf.range(start, start + size, 1, 'int32') as tf.Tensor1D;
      const paired = outliers ? { x: outliers, rows: cyclicRows(outlierOrder!, start, size), stream: VALIDATION_OUTLIER_NOISE } : null;
      const batch = gatherBatch(vae, validation, rows, mass, paired, opts.seed, VALIDATION_NOISE, b);
      return batchObjective(vae, batch, w, opts, false);
    });
    total += (await loss.data())[0] * size;
    loss.dispose();
  }
  return total / n;
}

function epochWeights(epoch: number, opts: VaeFitOptions): Weights {
  const obj = opts.objective;
  const klW = opts.klAnnealing ? annealingWeight(epoch - 1, opts.klAnnealing) : 1;
  const lambda = obj.kind === 'beta-vae' ? 0 : obj.lambda * (obj.lambdaAnnealing ? annealingWeight(epoch - 1, obj.lambdaAnnealing) : 1);
  return { kl: klW * opts.beta, lambda };
}

/** What a checkpoint names this run's kind: resuming a DisCo run from a β-VAE checkpoint would silently train another model. */
function trainerName(obj: VaeObjective): string {
  return obj.kind === 'oe' ? `vae/oe/${obj.variant}` : `vae/${obj.kind}`;
}


/** One shuffled pass over the training set; null when shouldStop ended it. */
async function trainEpoch(
  vae: Vae,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  train: tf.Tensor,
  opts: VaeFitOptions,
  epoch: number,
  shuffles: Shuffles,
): Promise<{ trainLoss: number; samplesPerSec: number; seconds: number } | null> {
  const obj = opts.objective;
  const w = epochWeights(epoch, opts);
  const outlierOrder = obj.kind === 'oe' ? permutation(obj.outliers.shape[0], shuffles.outliers) : null;
  return shuffledPass(
    train.shape[0],
    opts,
    epoch,
    shuffles,
    async (order, start, size, b, batches) => {
      // The noise is keyed by the global batch index: a resumed run draws the same ε without storing anything.
      const step = (epoch - 1) * batches + b;
      const cost = tf.tidy(() => {
        const rows = tf.slice(order, start, size);
        const mass = obj.kind === 'disco' ? obj.mass : undefined;
        const paired = obj.kind === 'oe' ? { x: obj.outliers, rows: cyclicRows(outlierOrder!, start, size), stream: OUTLIER_NOISE } : null;
        const batch = gatherBatch(vae, train, rows, mass, paired, opts.seed, TRAIN_NOISE, step);
        return optimizer.minimize(() => batchObjective(vae, batch, w, opts, true), true, variables) as tf.Scalar;
      });
      // data(), not dataSync(): the webgpu backend cannot read synchronously in Node.
      const loss = (await cost.data())[0];
      cost.dispose();
      return loss;
    },
    () => opts.shouldStop?.() ?? false,
  );
}

/**
 * Trains `vae` (encoder and decoder together). A checkpoint holds the encoder's weights, then the
 * decoder's, Adam's state, and the positions of both shuffles (rngDraws, rngStreams['outlier-shuffle']).
 * The result reports earlyStopEpoch and restoredEpoch when early stopping was asked for.
 */
export async function fitVae(vae: Vae, train: tf.Tensor, validation: tf.Tensor | null, opts: VaeFitOptions): Promise<FitResult> {
  checkInputs(vae, train, validation, opts.objective, opts.batchSize);
  const n = train.shape[0];
  if (n === 0) throw new Error('training set is empty');
  checkEpochOptions(opts, validation, true);
  const optimizer = tf.train.adam(opts.learningRate);
  const variables = vaeTrainableWeights(vae);
  const trainee: Trainee = { models: [vae.encoder, vae.decoder], optimizer, variables, rows: n, trainer: trainerName(opts.objective) };
  try {
    const { earlyStopEpoch, restoredEpoch, ...result } = await runEpochs(
      trainee,
      opts,
      (epoch, shuffles) => trainEpoch(vae, optimizer, variables, train, opts, epoch, shuffles),
      async (epoch) => (validation ? validationLoss(vae, validation, epochWeights(epoch, opts), opts) : null),
      true,
    );
    return opts.earlyStopping ? { ...result, earlyStopEpoch, restoredEpoch } : result;
  } finally {
    optimizer.dispose();
  }
}
