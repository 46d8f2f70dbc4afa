// Layer normalisation over the last axis, as PyTorch's nn.LayerNorm: (x − mean) / √(var + ε) · γ + β with the
// biased variance. TF.js's own layerNormalization tiles γ and β to the full input shape, and the gradient of that
// tile is a loop of one slice-and-add per object of the batch (thousands of kernels per training step); plain
// broadcasting here reduces the gradient to a sum.
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';

export interface LayerNormArgs {
  name?: string;
  epsilon: number;
}

export class LayerNorm extends layers.Layer {
  static readonly className = 'AwbLayerNorm';
  readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: LayerNormArgs) {
    super(args);
    this.epsilon = args.epsilon;
  }

  build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const d = shape[shape.length - 1];
    if (d == null) throw new Error(`layer norm ${this.name}: the last axis needs a fixed size`);
    this.gamma = this.addWeight('gamma', [d], 'float32', initializers.ones());
    this.beta = this.addWeight('beta', [d], 'float32', initializers.zeros());
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const axis = x.rank - 1;
      const { mean, variance } = tf.moments(x, axis, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma!.read()), this.beta!.read());
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);
