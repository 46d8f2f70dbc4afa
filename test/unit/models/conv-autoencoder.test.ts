import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/random';
import { torchParameterCounts } from '../../../src/main/engine/bench/torch-reference';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { convAutoencoder } from '../../../src/main/engine/models/conv-autoencoder';
import { evaluateLoss, fitAutoencoder } from '../../../src/main/engine/train/fit-autoencoder';

// Parameters of a k×k 'same' convolution and of a dense layer (weights + biases), and of a
// per-unit PReLU (one slope per output value).
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
const dense = (nin: number, nout: number) => nin * nout + nout;

describe('convAutoencoder', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has the parameter count of the Heimel AE worked out layer by layer (40×40, 3×3, bottleneck 32)', () => {
    const expected =
      // encoder: conv + PReLU over 40×40×10, 40×40×10, pool, then 20×20×10, 20×20×5, 20×20×5
      (conv(3, 1, 10) + 40 * 40 * 10) +
      (conv(3, 10, 10) + 40 * 40 * 10) +
      (conv(3, 10, 10) + 20 * 20 * 10) +
      (conv(3, 10, 5) + 20 * 20 * 5) +
      (conv(3, 5, 5) + 20 * 20 * 5) +
      // flatten 2000 → 400 → 100 → 32, each with a PReLU
      (dense(2000, 400) + 400) +
      (dense(400, 100) + 100) +
      (dense(100, 32) + 32) +
      // decoder dense 32 → 100 → 400 (= 20×20×1)
      (dense(32, 100) + 100) +
      (dense(100, 400) + 400) +
      // decoder convs on 20×20 (1 → 5 → 5), upsample, on 40×40 (5 → 5 → 10), linear 10 → 1
      (conv(3, 1, 5) + 20 * 20 * 5) +
      (conv(3, 5, 5) + 20 * 20 * 5) +
      (conv(3, 5, 5) + 40 * 40 * 5) +
      (conv(3, 5, 10) + 40 * 40 * 10) +
      conv(3, 10, 1);
    expect(expected).toBe(960_130);
    const model = convAutoencoder({ seed: 1 });
    expect(model.countParams()).toBe(expected);
    model.dispose();
  });

  it('follows image size, kernel size and bottleneck (16×16, 5×5, bottleneck 8)', () => {
    const expected =
      (conv(5, 1, 10) + 16 * 16 * 10) +
      (conv(5, 10, 10) + 16 * 16 * 10) +
      (conv(5, 10, 10) + 8 * 8 * 10) +
      (conv(5, 10, 5) + 8 * 8 * 5) +
      (conv(5, 5, 5) + 8 * 8 * 5) +
      (dense(8 * 8 * 5, 400) + 400) +
      (dense(400, 100) + 100) +
      (dense(100, 8) + 8) +
      (dense(8, 100) + 100) +
      (dense(100, 8 * 8) + 8 * 8) +
      (conv(5, 1, 5) + 8 * 8 * 5) +
      (conv(5, 5, 5) + 8 * 8 * 5) +
      (conv(5, 5, 5) + 16 * 16 * 5) +
      (conv(5, 5, 10) + 16 * 16 * 10) +
      conv(5, 10, 1);
    const model = convAutoencoder({ imageSize: 16, kernelSize: 5, bottleneck: 8, seed: 1 });
    expect(model.countParams()).toBe(expected);
    model.dispose();
  });

  it('has as many parameters as its PyTorch twin in resources/bench/torch_reference.py', async () => {
    const configs = [
      { imageSize: 40, kernelSize: 3, bottleneck: 32 },
      { imageSize: 16, kernelSize: 5, bottleneck: 8 },
    ];
    for (const c of configs) {
      const counts = await torchParameterCounts({ dense: { inputDim: 57, widths: [5] }, conv: c });
      const model = convAutoencoder({ ...c, seed: 1 });
      expect(counts['conv-ae']).toBe(model.countParams());
      model.dispose();
    }
  });

  it('reconstructs images of the input shape', () => {
    for (const imageSize of [40, 16]) {
      const model = convAutoencoder({ imageSize, seed: 3 });
      const y = tf.tidy(() => model.predict(tf.ones([3, imageSize, imageSize, 1])) as tf.Tensor);
      expect(y.shape).toEqual([3, imageSize, imageSize, 1]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
      model.dispose();
    }
  });

  it('draws its initial weights from the seed', () => {
    const weights = (seed: number) => {
      const model = convAutoencoder({ imageSize: 8, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(7)).toEqual(weights(7));
    expect(weights(7)[0]).not.toEqual(weights(8)[0]);
  });

  it('rejects shapes it cannot build, naming the setting', () => {
    expect(() => convAutoencoder({ imageSize: 15, seed: 1 })).toThrow(/imageSize must be even/);
    expect(() => convAutoencoder({ imageSize: 0, seed: 1 })).toThrow(/imageSize must be a positive integer/);
    expect(() => convAutoencoder({ kernelSize: 2.5, seed: 1 })).toThrow(/kernelSize must be a positive integer/);
    expect(() => convAutoencoder({ bottleneck: -1, seed: 1 })).toThrow(/bottleneck must be a positive integer/);
  });

  it('lowers its reconstruction loss in a few training steps on wasm', async () => {
    // Blurred blobs at random positions: structure an autoencoder can learn quickly.
    const size = 16;
    const n = 64;
    const rand = mulberry32(11);
    const pixels = new Float32Array(n * size * size);
    for (let i = 0; i < n; i++) {
      const cx = 4 + rand() * 8;
      const cy = 4 + rand() * 8;
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) pixels[(i * size + y) * size + x] = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4);
    }
    const images = tf.tensor4d(pixels, [n, size, size, 1]);
    const model = convAutoencoder({ imageSize: size, seed: 5 });
    const before = await evaluateLoss(model, images, 32);
    await fitAutoencoder(model, images, null, { epochs: 8, batchSize: 16, learningRate: 3e-3, seed: 2 });
    const after = await evaluateLoss(model, images, 32);
    expect(after).toBeLessThan(0.5 * before);
    model.dispose();
    images.dispose();
  });
});
