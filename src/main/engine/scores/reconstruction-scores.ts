// Input-space anomaly scores: the per-example reconstruction error of an autoencoder.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Per-example mean squared error between x and the model's reconstruction, over every feature (pixel),
 * optionally weighted per feature (weights broadcast over the feature axes). Evaluated in batches; returns
 * one float32 score per example, larger = more anomalous.
 */
export async function reconstructionScores(model: LayersModel, x: tf.Tensor, batchSize: number, weights?: tf.Tensor): Promise<Float32Array> {
  const n = x.shape[0];
  const out = new Float32Array(n);
  const featureAxes = x.shape.slice(1).map((_, i) => i + 1);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const scores = tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const sq = tf.squaredDifference(xb, model.predict(xb) as tf.Tensor);
      return tf.mean(weights ? tf.mul(sq, weights) : sq, featureAxes);
    });
    // data(), not dataSync(): the webgpu backend cannot read synchronously in Node.
    out.set((await scores.data()) as Float32Array, start);
    scores.dispose();
  }
  return out;
}
