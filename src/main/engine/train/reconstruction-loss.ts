// The loss autoencoders are trained on, shared by single-replica and data-parallel steps.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Mean over examples of the per-example MSE; the batch loss the optimiser minimises. */
export function reconstructionLoss(model: LayersModel, x: tf.Tensor): tf.Scalar {
  const y = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.meanSquaredError(x, y) as tf.Scalar;
}
