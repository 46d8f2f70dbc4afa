// Dropout whose masks are reproducible: TF.js's own dropout either draws from an unseeded source or, given a
// seed, repeats the same mask on every call. Here call k of a layer uses seed + k, so a training run from a seed
// gives the same masks on every machine and backend, and masks still change from step to step.
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

/** Dropout in training, identity otherwise; `counter` holds the number of masks drawn so far. */
export function seededDropout(x: tf.Tensor, rate: number, seed: number, counter: { calls: number }, training: boolean): tf.Tensor {
  if (!training || rate <= 0) return x;
  const mask = tf.step(tf.sub(tf.randomUniform(x.shape, 0, 1, 'float32', seed + counter.calls++), rate));
  return tf.mul(x, tf.div(mask, 1 - rate));
}

type LayerArgs = { name?: string };

export interface SeededDropoutArgs extends LayerArgs {
  rate: number;
  seed: number;
}

/** seededDropout as a layer; active only when the model is applied with `training: true`. */
export class SeededDropout extends layers.Layer {
  static readonly className = 'AwbSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private readonly counter = { calls: 0 };

  constructor(args: SeededDropoutArgs) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => seededDropout(x, this.rate, this.seed, this.counter, kwargs.training === true));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);
