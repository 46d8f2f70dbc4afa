// The cpu backend with this project's fix: TF.js 4.22's cpu ResizeNearestNeighborGrad is wrong for
// batch > 1, which the batch-3 upsampling cases catch.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends.js';
import { convGradientChecks, leakyReluChecks, poolAndUpsampleGradientChecks, preluGradientChecks } from './gradient-checks.js';

describe('cpu backend gradients', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('runs on cpu', () => {
    expect(tf.getBackend()).toBe('cpu');
  });

  poolAndUpsampleGradientChecks();
  preluGradientChecks();
  leakyReluChecks(false);
  convGradientChecks();
});
