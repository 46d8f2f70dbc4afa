// Input-space anomaly scores: the per-example reconstruction error of an autoencoder, and on request the
// mean input and mean reconstruction of each class (the complexity-bias diagnostics of the inverted task).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Per-class means of the inputs and of their reconstructions, float32 (classes, ...example shape). */
export interface ClassMeans {
  input: Float32Array;
  reconstruction: Float32Array;
  /** Examples per class (a class without examples has zero means). */
  counts: number[];
}

/**
 * Per-example mean squared error between x and the model's reconstruction, over every feature (pixel),
 * optionally weighted per feature (weights broadcast over the feature axes). Evaluated in batches; returns
 * one float32 score per example, larger = more anomalous.
 */
export async function reconstructionScores(model: LayersModel, x: tf.Tensor, batchSize: number, weights?: tf.Tensor): Promise<Float32Array> {
  return (await scoreBatches(model, x, batchSize, weights, null)).scores;
}

/**
 * reconstructionScores plus the class means: `classes[i]` (0..count−1) is example i's class, negative for
 * none (an unlabelled row, in no mean). The sums are taken batch by batch while scoring (no second pass),
 * in float64.
 */
export async function reconstructionScoresWithMeans(
  model: LayersModel,
  x: tf.Tensor,
  batchSize: number,
  classes: ArrayLike<number>,
  count: number,
): Promise<{ scores: Float32Array; means: ClassMeans }> {
  if (classes.length !== x.shape[0]) throw new Error(`class means: ${classes.length} class labels for ${x.shape[0]} examples`);
  const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const sums = { input: new Float64Array(count * width), reconstruction: new Float64Array(count * width), counts: new Array<number>(count).fill(0) };
  const { scores } = await scoreBatches(model, x, batchSize, undefined, { classes, width, sums });
  const mean = (s: Float64Array) => Float32Array.from(s, (v, i) => (sums.counts[Math.floor(i / width)] > 0 ? v / sums.counts[Math.floor(i / width)] : 0));
  return { scores, means: { input: mean(sums.input), reconstruction: mean(sums.reconstruction), counts: sums.counts } };
}

interface Accumulator {
  classes: ArrayLike<number>;
  width: number;
  sums: { input: Float64Array; reconstruction: Float64Array; counts: number[] };
}

function accumulate(acc: Accumulator, start: number, xs: Float32Array, ys: Float32Array): void {
  const { classes, width, sums } = acc;
  for (let i = 0; i < xs.length / width; i++) {
    const c = classes[start + i];
    if (c < 0) continue;
    if (!(c < sums.counts.length)) throw new Error(`class means: example ${start + i} has class ${c}, expected 0..${sums.counts.length - 1} or negative for none`);
    sums.counts[c]++;
    const at = c * width;
    for (let f = 0; f < width; f++) {
      sums.input[at + f] += xs[i * width + f];
      sums.reconstruction[at + f] += ys[i * width + f];
    }
  }
}

async function scoreBatches(model: LayersModel, x: tf.Tensor, batchSize: number, weights: tf.Tensor | undefined, acc: Accumulator | null): Promise<{ scores: Float32Array }> {
  const n = x.shape[0];
  const out = new Float32Array(n);
  const featureAxes = x.shape.slice(1).map((_, i) => i + 1);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [xb, yb, scores] = tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const yb = model.predict(xb) as tf.Tensor;
      const sq = tf.squaredDifference(xb, yb);
      return [xb, yb, tf.mean(weights ? tf.mul(sq, weights) : sq, featureAxes)];
    });
    // data(), not dataSync(): the webgpu backend cannot read synchronously in Node.
    out.set((await scores.data()) as Float32Array, start);
    if (acc) accumulate(acc, start, (await xb.data()) as Float32Array, (await yb.data()) as Float32Array);
    tf.dispose([xb, yb, scores]);
  }
  return { scores: out };
}
