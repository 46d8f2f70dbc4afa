// The padding mask of an object list: 1 for an object, 0 for an empty slot, where an empty slot is one whose
// first feature (pT) is exactly 0 — AnomalyCLR's `mask = True` convention (physics.md §5.2).
import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';

type LayerArgs = { name?: string };

export class PaddingMask extends layers.Layer {
  static readonly className = 'AwbPaddingMask';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0], shape[1]];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, n] = x.shape;
      const pt = tf.reshape(tf.slice(x, [0, 0, 0], [b, n, 1]), [b, n]);
      return tf.cast(tf.notEqual(pt, 0), 'float32');
    });
  }
}
tf.serialization.registerClass(PaddingMask);
