// Convolutional autoencoder for jet images, after Heimel, Kasieczka, Plehn, Thompson
// (arXiv:1808.08979) as reproduced by Finke et al. (arXiv:2104.09051; physics.md §2):
//   encoder  Conv(10) Conv(10) AvgPool(2) Conv(10) Conv(5) Conv(5) Flatten Dense(400) Dense(100) Dense(bottleneck)
//   decoder  Dense(100) Dense(S/2·S/2) Reshape(S/2, S/2, 1) Conv(5) Conv(5) UpSample(2) Conv(5) Conv(10) Conv(1)
// Every layer but the last is followed by a PReLU with one slope per unit (Keras' default, no
// shared axes, slopes start at 0). All convolutions are k×k, stride 1, 'same' padding.
import * as tf from '@tensorflow/tfjs-layers';

export interface ConvAutoencoderConfig {
  /** Side of the square one-channel input image; even, because of the 2×2 pooling. Default 40. */
  imageSize?: number;
  /** Side of every convolution kernel. Default 3. */
  kernelSize?: number;
  /** Width of the dense bottleneck. Default 32. */
  bottleneck?: number;
  /** Seeds the Glorot-uniform kernel initialisers (layer i uses seed + i). */
  seed: number;
}

const ENCODER_CONV_BEFORE_POOL = [10, 10];
const ENCODER_CONV_AFTER_POOL = [10, 5, 5];
const ENCODER_DENSE = [400, 100];
const DECODER_DENSE = [100];
const DECODER_CONV_BEFORE_UPSAMPLE = [5, 5];
const DECODER_CONV_AFTER_UPSAMPLE = [5, 10];

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`conv autoencoder: ${what} must be a positive integer, got ${value}`);
  return value;
}

export function convAutoencoder(cfg: ConvAutoencoderConfig): tf.LayersModel {
  const size = positiveInteger(cfg.imageSize ?? 40, 'imageSize');
  if (size % 2 !== 0) throw new Error(`conv autoencoder: imageSize must be even (2×2 pooling), got ${size}`);
  const kernelSize = positiveInteger(cfg.kernelSize ?? 3, 'kernelSize');
  const bottleneck = positiveInteger(cfg.bottleneck ?? 32, 'bottleneck');
  const half = size / 2;

  let layerIndex = 0;
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: cfg.seed + layerIndex++ });
  const prelu = (x: tf.SymbolicTensor, name: string) => tf.layers.prelu({ name: `${name}_prelu` }).apply(x) as tf.SymbolicTensor;
  const conv = (x: tf.SymbolicTensor, filters: number, name: string, withActivation = true) => {
    const y = tf.layers
      .conv2d({ filters, kernelSize, padding: 'same', name, kernelInitializer: kernelInitializer() })
      .apply(x) as tf.SymbolicTensor;
    return withActivation ? prelu(y, name) : y;
  };
  const dense = (x: tf.SymbolicTensor, units: number, name: string) =>
    prelu(tf.layers.dense({ units, name, kernelInitializer: kernelInitializer() }).apply(x) as tf.SymbolicTensor, name);

  const input = tf.input({ shape: [size, size, 1], name: 'image' });
  let x: tf.SymbolicTensor = input;
  let n = 0;
  for (const f of ENCODER_CONV_BEFORE_POOL) x = conv(x, f, `enc_conv_${n++}`);
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'enc_pool' }).apply(x) as tf.SymbolicTensor;
  for (const f of ENCODER_CONV_AFTER_POOL) x = conv(x, f, `enc_conv_${n++}`);
  x = tf.layers.flatten({ name: 'enc_flatten' }).apply(x) as tf.SymbolicTensor;
  n = 0;
  for (const u of ENCODER_DENSE) x = dense(x, u, `enc_dense_${n++}`);
  x = dense(x, bottleneck, 'bottleneck');

  // The decoder's last dense layer holds one half-size image, which the convolutions then refine.
  n = 0;
  for (const u of [...DECODER_DENSE, half * half]) x = dense(x, u, `dec_dense_${n++}`);
  x = tf.layers.reshape({ targetShape: [half, half, 1], name: 'dec_reshape' }).apply(x) as tf.SymbolicTensor;
  n = 0;
  for (const f of DECODER_CONV_BEFORE_UPSAMPLE) x = conv(x, f, `dec_conv_${n++}`);
  x = tf.layers.upSampling2d({ size: [2, 2], name: 'dec_upsample' }).apply(x) as tf.SymbolicTensor;
  for (const f of DECODER_CONV_AFTER_UPSAMPLE) x = conv(x, f, `dec_conv_${n++}`);
  const output = conv(x, 1, 'reconstruction', false);
  return tf.model({ inputs: input, outputs: output, name: 'conv_autoencoder' });
}
