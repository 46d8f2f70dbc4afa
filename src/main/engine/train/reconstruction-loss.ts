// The loss autoencoders are trained on, shared by single-replica and data-parallel steps.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Mean over examples of the per-example MSE; the batch loss the optimiser minimises. */
export function reconstructionLoss(model: LayersModel, x: tf.Tensor): tf.Scalar {
  const y = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.meanSquaredError(x, y) as tf.Scalar;
}

/** Each example's mean squared error over all its features (pixels): a 1-d tensor over the batch. */
export function perExampleMse(x: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.squaredDifference(x, y), x.shape.slice(1).map((_, i) => i + 1)) as tf.Tensor1D);
}
