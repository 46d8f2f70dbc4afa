import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { torchParameterCounts } from '../../../src/main/engine/bench/torch-reference';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { gaussianLatentData } from '../../../src/main/engine/data/gaussian-latent';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import { evaluateLoss, fitAutoencoder } from '../../../src/main/engine/train/fit-autoencoder';

const dense = (nin: number, nout: number) => nin * nout + nout;
const ANOMALYCLR_WIDTHS = [256, 128, 64, 32, 16, 5];

describe('denseAutoencoder', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has 117,438 parameters as the AnomalyCLR baseline on 57 inputs, worked out layer by layer', () => {
    const expected =
      // encoder 57 → 256 → 128 → 64 → 32 → 16 → 5
      dense(57, 256) + dense(256, 128) + dense(128, 64) + dense(64, 32) + dense(32, 16) + dense(16, 5) +
      // mirrored decoder 5 → 16 → 32 → 64 → 128 → 256, linear output 256 → 57
      dense(5, 16) + dense(16, 32) + dense(32, 64) + dense(64, 128) + dense(128, 256) + dense(256, 57);
    expect(expected).toBe(117_438);
    for (const activation of ['leaky-relu', 'relu'] as const) {
      const model = denseAutoencoder({ inputDim: 57, widths: ANOMALYCLR_WIDTHS, activation, seed: 1 });
      expect(model.countParams()).toBe(expected);
      model.dispose();
    }
  });

  it('has as many parameters as its PyTorch twin in resources/bench/torch_reference.py', async () => {
    const counts = await torchParameterCounts({
      dense: { inputDim: 57, widths: ANOMALYCLR_WIDTHS },
      conv: { imageSize: 8, kernelSize: 3, bottleneck: 4 },
    });
    expect(counts['dense-ae']).toBe(117_438);
  });

  it('reconstructs vectors of the input width', () => {
    const model = denseAutoencoder({ inputDim: 57, widths: ANOMALYCLR_WIDTHS, activation: 'leaky-relu', seed: 1 });
    const y = tf.tidy(() => model.predict(tf.ones([5, 57])) as tf.Tensor);
    expect(y.shape).toEqual([5, 57]);
    y.dispose();
    model.dispose();
  });

  it('lowers its reconstruction loss in a few training steps on wasm', async () => {
    const features = 12;
    const n = 512;
    const x = tf.tensor2d(gaussianLatentData({ samples: n, features, latent: 3, seed: 4 }), [n, features]);
    const model = denseAutoencoder({ inputDim: features, widths: [32, 16, 4], activation: 'leaky-relu', seed: 2 });
    const before = await evaluateLoss(model, x, 128);
    await fitAutoencoder(model, x, null, { epochs: 5, batchSize: 32, learningRate: 3e-3, seed: 1 });
    const after = await evaluateLoss(model, x, 128);
    expect(after).toBeLessThan(0.5 * before);
    model.dispose();
    x.dispose();
  });
});
