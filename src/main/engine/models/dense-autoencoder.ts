// Dense autoencoder: input → widths (encoder) → mirrored decoder → linear output of the input size.
// The AnomalyCLR baseline on 57 ADC2021 inputs is widths [256, 128, 64, 32, 16, 5] (117,438 parameters).
import * as tf from '@tensorflow/tfjs-layers';

export type DenseActivation = 'relu' | 'leaky-relu' | 'prelu' | 'elu' | 'tanh' | 'linear';

export interface DenseAutoencoderConfig {
  inputDim: number;
  /** Encoder widths, outermost first; the last one is the bottleneck. The decoder mirrors them. */
  widths: number[];
  activation: DenseActivation;
  seed: number;
}

function activationLayer(kind: DenseActivation, name: string): tf.layers.Layer | null {
  switch (kind) {
    case 'leaky-relu':
      return tf.layers.leakyReLU({ alpha: 0.2, name });
    case 'prelu':
      return tf.layers.prelu({ name });
    case 'relu':
    case 'elu':
    case 'tanh':
      return tf.layers.activation({ activation: kind, name });
    case 'linear':
      return null;
  }
}

export function denseAutoencoder(cfg: DenseAutoencoderConfig): tf.LayersModel {
  if (cfg.widths.length === 0) throw new Error('dense autoencoder: at least one width (the bottleneck) is needed');
  const sizes = [...cfg.widths, ...cfg.widths.slice(0, -1).reverse()];
  const input = tf.input({ shape: [cfg.inputDim], name: 'input' });
  let x: tf.SymbolicTensor = input;
  sizes.forEach((units, i) => {
    const part = i < cfg.widths.length ? 'enc' : 'dec';
    x = tf.layers
      .dense({ units, name: `${part}_dense_${i}`, kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed + i }) })
      .apply(x) as tf.SymbolicTensor;
    const act = activationLayer(cfg.activation, `${part}_act_${i}`);
    if (act) x = act.apply(x) as tf.SymbolicTensor;
  });
  const output = tf.layers
    .dense({
      units: cfg.inputDim,
      name: 'reconstruction',
      kernelInitializer: tf.initializers.glorotUniform({ seed: cfg.seed + sizes.length }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'dense_autoencoder' });
}
