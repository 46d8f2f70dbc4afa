// Sum pooling over the objects that are present: inputs [x (B, N, d), mask (B, N)] → (B, d). Zeroing the padded
// slots first (as the reference does after its encoder) makes the sum blind to empty slots, and a sum is blind to
// the order of the objects.
import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';

type LayerArgs = { name?: string };

export class MaskedSumPooling extends layers.Layer {
  static readonly className = 'AwbMaskedSumPooling';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x] = inputShape as Shape[];
    return [x[0], x[2]];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, mask] = inputs as tf.Tensor[];
    return tf.tidy(() => tf.sum(tf.mul(x, tf.expandDims(mask, 2)), 1));
  }
}
tf.serialization.registerClass(MaskedSumPooling);
