// The wasm backend with this project's training kernels (TF.js 4.22's wasm lacks
// Conv2DBackpropFilter; its Conv3DBackpropFilterV2 is wrong for stride 2, which the stride-2
// cases would catch if the filter gradient were built on it).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends.js';
import { PRELU_GRAD } from '../../../src/main/engine/compute/prelu-grad.js';
import { convGradientChecks, leakyReluChecks, matMulGradientChecks, poolAndUpsampleGradientChecks, preluGradientChecks } from './gradient-checks.js';

describe('wasm backend gradients (1 thread)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('runs on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('has the gradient kernels a conv autoencoder needs', () => {
    const names = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const kernel of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'AvgPoolGrad', 'ResizeNearestNeighborGrad', 'Prelu']) {
      expect(names.has(kernel), kernel).toBe(true);
    }
  });

  it('backpropagates PReLU with the one-pass kernel', async () => {
    const x = tf.randomNormal([2, 3, 3, 2]);
    const alpha = tf.fill([3, 3, 2], 0.1);
    const profile = await tf.profile(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.prelu(a, b)))([x, alpha]));
    expect(profile.kernelNames).toContain(PRELU_GRAD);
    expect(profile.kernelNames).not.toContain('Select');
    tf.dispose([x, alpha]);
  });

  it('runs LeakyReLU and its gradient without the slow LeakyRelu loop, Greater or Select', async () => {
    const x = tf.randomNormal([4, 5]);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.leakyRelu(t, 0.3)))(x));
    expect(profile.kernelNames).toContain('Step');
    for (const slow of ['Greater', 'Select']) expect(profile.kernelNames).not.toContain(slow);
    x.dispose();
  });

  convGradientChecks();
  poolAndUpsampleGradientChecks();
  preluGradientChecks();
  leakyReluChecks(true);
  matMulGradientChecks();
});
