// Losses of the VAE-Jet models (Cheng et al., tf2/vae.py, train.py, disco.py, train_disco.py,
// train_oe_resample.py) as differentiable TF.js ops. Per-example quantities stay per example (a
// 1-d tensor over the batch) so that DisCo and the outlier-exposure hinges can pair them.
import * as tf from '@tensorflow/tfjs-core';

/** Per-example mean over features of w_f·(x − x̂)²; unit weights (the default) give the plain MSE. */
export function reconstructionMsePerExample(x: tf.Tensor2D, xHat: tf.Tensor2D, featureWeights?: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const sq = tf.squaredDifference(x, xHat);
    return tf.mean(featureWeights ? tf.mul(sq, featureWeights) : sq, 1);
  });
}

/** Element-wise KL(N(μ, σ²) ‖ N(0, 1)) per latent dimension: −½(1 + log σ² − μ² − σ²). */
export function klTerms(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(tf.sub(tf.add(logVar, 1), tf.square(mu)), tf.exp(logVar)), -0.5));
}

/** Per-example KL as VAE-Jet keeps it: the MEAN (not the sum) over latent dimensions. */
export function klPerExample(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(klTerms(mu, logVar), 1));
}

/** Per-example β-VAE loss MSE + w·β·KL; `klWeight` is the product w·β. */
export function betaVaeLossPerExample(mse: tf.Tensor1D, kl: tf.Tensor1D, klWeight: number): tf.Tensor1D {
  return tf.tidy(() => tf.add(mse, tf.mul(kl, klWeight)));
}

/**
 * A cyclic annealing schedule: from `start` on, cycles of `period` epochs in which the weight rises
 * linearly from 0 to 1 over `rampEpochs` epochs and then stays 1; after `cycles` cycles it is 1.
 * Before `start` it is 0.
 */
export interface CyclicAnnealing {
  start: number;
  rampEpochs: number;
  period: number;
  cycles: number;
}

/** tf2/train.py annealing_fn (KL weight): 0, ¼, ½, ¾, 1 … reset at epochs 10 and 20, 1 from 25. */
export const CHENG_KL_ANNEALING: CyclicAnnealing = { start: 0, rampEpochs: 4, period: 10, cycles: 3 };
/** tf2/train_disco.py annealing_fn_2steps (λ weight): ramps over 9 epochs from 10 and 30, 1 from 40. */
export const CHENG_DISCO_ANNEALING: CyclicAnnealing = { start: 10, rampEpochs: 9, period: 20, cycles: 2 };
/** tf2/train_oe_resample.py annealing_fn_v2 (λ weight): the KL schedule delayed by 10 epochs. */
export const CHENG_OE_ANNEALING: CyclicAnnealing = { start: 10, rampEpochs: 4, period: 10, cycles: 3 };

/** The schedule's weight at a 0-based epoch index (Cheng's scripts count epochs from 0). */
export function annealingWeight(epochIndex: number, s: CyclicAnnealing): number {
  if (!(s.rampEpochs > 0 && s.period > 0 && s.cycles >= 0)) {
    throw new Error(`annealing schedule: ramp ${s.rampEpochs} and period ${s.period} must be positive, cycles ${s.cycles} not negative`);
  }
  if (epochIndex < s.start) return 0;
  const cycle = Math.floor((epochIndex - s.start) / s.period);
  if (cycle >= s.cycles) return 1;
  return Math.min((epochIndex - s.start - cycle * s.period) / s.rampEpochs, 1);
}

/** Pairwise |v_i − v_j|, double-centred (row, column and grand means as disco.py, unit weights). */
function centredDistances(v: tf.Tensor1D): tf.Tensor2D {
  const a = tf.abs(tf.sub(tf.reshape(v, [-1, 1]), tf.reshape(v, [1, -1])));
  const rowMean = tf.mean(a, 1, true);
  return tf.add(tf.sub(tf.sub(a, rowMean), tf.transpose(rowMean)), tf.mean(a));
}

/**
 * Squared distance correlation dCov²(x, y)/√(dVar²(x)·dVar²(y)) of two 1-d tensors over a batch, the
 * biased V-statistic with unit weights: DisCo's disco.py distance_corr(…, power=1). Differentiable.
 * It is NaN when either input is constant over the batch (zero distance variance), as in disco.py.
 */
export function distanceCorrelation(x: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  if (x.size !== y.size) throw new Error(`distance correlation: the inputs have ${x.size} and ${y.size} entries`);
  return tf.tidy(() => {
    const a = centredDistances(x);
    const b = centredDistances(y);
    // Sums, not means: the 1/n² factors cancel, and leaving them out saves float32 roundings.
    const ab = tf.sum(tf.mul(a, b));
    return tf.div(ab, tf.sqrt(tf.mul(tf.sum(tf.square(a)), tf.sum(tf.square(b)))));
  });
}

/** DisCo-VAE batch loss: mean per-jet β-VAE loss + λ·dCorr²(per-jet loss, jet mass). */
export function discoVaeLoss(perExampleLoss: tf.Tensor1D, mass: tf.Tensor1D, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(perExampleLoss), tf.mul(distanceCorrelation(perExampleLoss, mass), lambda)));
}

export type OeVariant = 'mse-margin' | 'mse-sigmoid' | 'kl-margin';

function checkPaired(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new Error(`outlier exposure: the in-sample and outlier ${what} must be paired one to one, got shapes [${a.shape}] and [${b.shape}]`);
  }
}

/** MSE-OE, margin form: mean(relu(L_in − L_oe + m)) over paired per-example MSEs. */
export function oeMseMargin(lossIn: tf.Tensor1D, lossOe: tf.Tensor1D, margin: number): tf.Scalar {
  checkPaired(lossIn, lossOe, 'losses');
  return tf.tidy(() => tf.mean(tf.relu(tf.add(tf.sub(lossIn, lossOe), margin))));
}

/** MSE-OE, sigmoid form: −mean(sigmoid(L_oe − L_in)) (lower when outliers reconstruct worse). */
export function oeMseSigmoid(lossIn: tf.Tensor1D, lossOe: tf.Tensor1D): tf.Scalar {
  checkPaired(lossIn, lossOe, 'losses');
  return tf.tidy(() => tf.neg(tf.mean(tf.sigmoid(tf.sub(lossOe, lossIn))) as tf.Scalar));
}

/** KL-OE: mean(relu(KL_in − KL_oe + m)) over the element-wise KL terms (per latent dimension, not summed). */
export function oeKlMargin(klTermsIn: tf.Tensor2D, klTermsOe: tf.Tensor2D, margin: number): tf.Scalar {
  checkPaired(klTermsIn, klTermsOe, 'KL terms');
  return tf.tidy(() => tf.mean(tf.relu(tf.add(tf.sub(klTermsIn, klTermsOe), margin))));
}

/** OE-VAE batch loss: mean in-sample β-VAE loss + λ·(OE term). */
export function oeVaeLoss(perExampleLossIn: tf.Tensor1D, oeTerm: tf.Scalar, lambda: number): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(perExampleLossIn), tf.mul(oeTerm, lambda)));
}
