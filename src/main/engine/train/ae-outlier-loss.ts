// Semi-supervised autoencoder training (outlier exposure for plain AEs): labelled anomalies are pushed
// to reconstruct worse than the background. The hinge is measured in units of the batch's own mean
// background error, so `margin` has no units and the term cannot be won by scaling the inputs.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { perExampleMse } from './reconstruction-loss';

export interface OutlierExposure {
  /** Outlier examples (the same example shape as the training set); each batch is paired with as many of them. */
  x: tf.Tensor;
  /** Weight λ of the hinge term. */
  lambda: number;
  /** Hinge margin m, in units of the batch's mean background error. */
  margin: number;
}

/** The identity with a zero gradient (TF.js has no tf.stopGradient). */
const stopGradient = tf.customGrad((...inputs) => {
  const x = inputs[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
}) as (x: tf.Tensor) => tf.Tensor;

/**
 * mean_b MSE_b + λ·mean_i max(0, m·stopGradient(mean_b MSE_b) − MSE_i) from the per-example errors of
 * a background batch (b) and an outlier batch (i). The stop-gradient keeps the hinge from lowering its
 * own threshold by making the background reconstruct worse.
 */
export function semiSupervisedLoss(backgroundMse: tf.Tensor1D, outlierMse: tf.Tensor1D, lambda: number, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const mean = tf.mean(backgroundMse);
    const threshold = tf.mul(stopGradient(mean), margin);
    const hinge = tf.mean(tf.relu(tf.sub(threshold, outlierMse)));
    return tf.add(mean, tf.mul(hinge, lambda)) as tf.Scalar;
  });
}

/** The batch objective of semi-supervised training: background rows `x`, outlier rows `outliers`. */
export function semiSupervisedBatchLoss(model: LayersModel, x: tf.Tensor, outliers: tf.Tensor, lambda: number, margin: number): tf.Scalar {
  return tf.tidy(() => {
    const bg = perExampleMse(x, model.apply(x, { training: true }) as tf.Tensor);
    const oe = perExampleMse(outliers, model.apply(outliers, { training: true }) as tf.Tensor);
    return semiSupervisedLoss(bg, oe, lambda, margin);
  });
}
