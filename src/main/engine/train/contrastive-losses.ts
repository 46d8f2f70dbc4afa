// AnomalyCLR's contrastive losses (physics.md §5.3, `ContrastiveLosses.py`) in TF.js ops, differentiable.
// Views of a batch of B events: zi (original), zj (physical augmentation), zk (anomalous augmentation), each
// (B, d), L2-normalised here. The 2B anchors are the rows of [zi; zj]; anchor a's partner is the other view of
// the same event, and its negatives are the other 2B − 2 rows. As in the reference, the positive pair is NOT in
// the denominator (unlike textbook NT-Xent), so these losses can be negative.
import * as tf from '@tensorflow/tfjs-core';

export const CONTRASTIVE_LOSSES = ['clr', 'anomclr', 'anomclr+'] as const;
export type ContrastiveLossName = (typeof CONTRASTIVE_LOSSES)[number];

/** F.normalize: z / max(‖z‖, 1e-12) row by row. */
function normalizeRows(z: tf.Tensor2D): tf.Tensor2D {
  return tf.div(z, tf.maximum(tf.norm(z, 'euclidean', 1, true), 1e-12));
}

/** 1 where column c is a negative of anchor row a (c ≠ a and c ≠ a ± B), else 0. */
function negativesMask(batch: number): tf.Tensor2D {
  const n = 2 * batch;
  const mask = new Float32Array(n * n).fill(1);
  for (let a = 0; a < n; a++) {
    mask[a * n + a] = 0;
    mask[a * n + ((a + batch) % n)] = 0;
  }
  return tf.tensor2d(mask, [n, n]);
}

/** Row-wise cosine similarity of two sets of unit vectors. */
function pairSimilarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(a, b), 1);
}

/** log Σ_negatives exp(s(anchor, c)/τ) for every one of the 2B anchors of [zi; zj]. */
function logDenominators(zi: tf.Tensor2D, zj: tf.Tensor2D, temperature: number): tf.Tensor1D {
  const z = tf.concat([zi, zj], 0);
  const sim = tf.matMul(z, z, false, true);
  return tf.log(tf.sum(tf.mul(negativesMask(zi.shape[0]), tf.exp(tf.div(sim, temperature))), 1)) as tf.Tensor1D;
}

function checkViews(what: string, temperature: number, ...views: tf.Tensor[]): void {
  if (!(temperature > 0)) throw new Error(`${what}: the temperature must be positive, got ${temperature}`);
  const [b, d] = views[0].shape;
  for (const v of views) {
    if (v.rank !== 2 || v.shape[0] !== b || v.shape[1] !== d) {
      throw new Error(`${what}: every view must be (batch, dim) = (${b}, ${d}), got (${v.shape.join(', ')})`);
    }
  }
}

function checkNegatives(what: string, batch: number): void {
  if (batch < 2) throw new Error(`${what}: a batch of at least 2 events is needed for negatives, got ${batch}`);
}

/** SimCLR-like `clr_loss(x_i, x_j, τ)`: mean over the 2B anchors of −s(anchor, partner)/τ + log Σ_neg exp(s/τ). */
export function clrLoss(xi: tf.Tensor2D, xj: tf.Tensor2D, temperature: number): tf.Scalar {
  checkViews('clr loss', temperature, xi, xj);
  checkNegatives('clr loss', xi.shape[0]);
  return tf.tidy(() => {
    const zi = normalizeRows(xi);
    const zj = normalizeRows(xj);
    const pos = pairSimilarity(zi, zj);
    const positives = tf.concat([pos, pos], 0);
    return tf.mean(tf.sub(logDenominators(zi, zj, temperature), tf.div(positives, temperature)));
  });
}

/** s(zi, zj) − s(zi, zk) per event, repeated for both anchors of the event (the numerator's exponent × τ). */
function anomalyMargins(xi: tf.Tensor2D, xj: tf.Tensor2D, xk: tf.Tensor2D): { zi: tf.Tensor2D; zj: tf.Tensor2D; margins: tf.Tensor1D } {
  const zi = normalizeRows(xi);
  const zj = normalizeRows(xj);
  const zk = normalizeRows(xk);
  const margin = tf.sub(pairSimilarity(zi, zj), pairSimilarity(zi, zk)) as tf.Tensor1D;
  return { zi, zj, margins: tf.concat([margin, margin], 0) };
}

/** `anomclr_loss(x_i, x_j, x_k, τ)`: numerator exp([s(zi,zj) − s(zi,zk)]/τ), the clr denominator. */
export function anomclrLoss(xi: tf.Tensor2D, xj: tf.Tensor2D, xk: tf.Tensor2D, temperature: number): tf.Scalar {
  checkViews('anomclr loss', temperature, xi, xj, xk);
  checkNegatives('anomclr loss', xi.shape[0]);
  return tf.tidy(() => {
    const { zi, zj, margins } = anomalyMargins(xi, xj, xk);
    return tf.mean(tf.sub(logDenominators(zi, zj, temperature), tf.div(margins, temperature)));
  });
}

/** `anomclr_plus_loss(x_i, x_j, x_k, τ)`: no denominator, mean of −[s(zi,zj) − s(zi,zk)]/τ. */
export function anomclrPlusLoss(xi: tf.Tensor2D, xj: tf.Tensor2D, xk: tf.Tensor2D, temperature: number): tf.Scalar {
  checkViews('anomclr+ loss', temperature, xi, xj, xk);
  return tf.tidy(() => tf.neg(tf.div(tf.mean(anomalyMargins(xi, xj, xk).margins), temperature)) as tf.Scalar);
}

/** The named loss on the three views (zk is ignored by clr). */
export function contrastiveLoss(
  name: ContrastiveLossName,
  xi: tf.Tensor2D,
  xj: tf.Tensor2D,
  xk: tf.Tensor2D | null,
  temperature: number,
): tf.Scalar {
  if (name === 'clr') return clrLoss(xi, xj, temperature);
  if (xk == null) throw new Error(`${name} loss: the anomalous view is needed`);
  return name === 'anomclr' ? anomclrLoss(xi, xj, xk, temperature) : anomclrPlusLoss(xi, xj, xk, temperature);
}
