// Semi-supervised AE training: the hinge loss and its gradients against a float64 PyTorch autograd
// reference with the same weights and rows (ae_reference.py; the threshold's stop-gradient is torch's
// detach), and the training loop with outliers: resumable bit for bit, refused where it cannot run.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { mulberry32, normalSampler } from '../../../src/shared/random';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import { semiSupervisedBatchLoss } from '../../../src/main/engine/train/ae-outlier-loss';
import type { TrainingCheckpoint } from '../../../src/main/engine/train/checkpoint';
import { createReduceBuffer, GradientReducer, trainableParameterCount } from '../../../src/main/engine/train/data-parallel';
import { fitAutoencoder, type AutoencoderFitOptions } from '../../../src/main/engine/train/fit-autoencoder';
import { runPythonJson } from '../../helpers/python-json';
import { AE_REFERENCE as REFERENCE, weightsForReference } from './ae-reference';

const D = 6;
const makeModel = () => denseAutoencoder({ inputDim: D, widths: [5, 2], activation: 'leaky-relu', seed: 3 });

function randomRows(n: number, scale: number, seed: number): number[][] {
  const normal = normalSampler(mulberry32(seed));
  return Array.from({ length: n }, () => Array.from({ length: D }, () => scale * normal()));
}

describe('semi-supervised autoencoder loss', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('equals MSE(bg) + λ·mean relu(m·sg(MSĒ_bg) − MSE(outlier)), value and gradients, as PyTorch computes them', () => {
    const model = makeModel();
    const x = randomRows(10, 1, 11);
    // Outliers of mixed size, so that some hinges are active and some are not.
    const o = [...randomRows(4, 0.3, 12), ...randomRows(4, 2.5, 13)];
    const lam = 1.7;
    const margin = 1.5;
    const ref = runPythonJson<{ loss: number; grads: number[][]; active: number }>(REFERENCE, {
      weights: weightsForReference(model),
      alpha: 0.2,
      encoderLayers: 2,
      loss: { x, o, lam, margin },
    });
    expect(ref.active).toBeGreaterThan(0);
    expect(ref.active).toBeLessThan(o.length);
    const xt = tf.tensor2d(x);
    const ot = tf.tensor2d(o);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => semiSupervisedBatchLoss(model, xt, ot, lam, margin), variables);
    expect(Math.abs(value.dataSync()[0] - ref.loss)).toBeLessThan(1e-5 * Math.max(1, ref.loss));
    variables.forEach((v, i) => {
      const g = grads[v.name].dataSync();
      const scale = Math.max(...ref.grads[i].map(Math.abs), 1e-3);
      ref.grads[i].forEach((r, j) => expect(Math.abs(g[j] - r)).toBeLessThan(1e-4 * scale));
    });
    tf.dispose([xt, ot, value, ...Object.values(grads)]);
    model.dispose();
  });
});

describe('fitAutoencoder with outliers', () => {
  let train: tf.Tensor;
  let outliers: tf.Tensor;
  beforeAll(async () => {
    await useBackend('wasm');
    train = tf.tensor2d(randomRows(40, 1, 21));
    outliers = tf.tensor2d(randomRows(7, 2, 22));
  });
  afterAll(() => tf.dispose([train, outliers]));

  const opts = (): AutoencoderFitOptions => ({ epochs: 3, batchSize: 16, learningRate: 5e-3, seed: 4, outliers: { x: outliers, lambda: 1, margin: 2 } });

  async function fit(extra: Partial<AutoencoderFitOptions>): Promise<{ weights: number[][]; checkpoints: TrainingCheckpoint[] }> {
    const model = makeModel();
    const checkpoints: TrainingCheckpoint[] = [];
    await fitAutoencoder(model, train, null, { ...opts(), onCheckpoint: (c) => void checkpoints.push(c), ...extra });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    model.dispose();
    return { weights, checkpoints };
  }

  it('trains differently from the plain loss, and a run resumed after epoch 1 ends with the same weights bit for bit', async () => {
    const full = await fit({});
    expect(full.checkpoints[0].trainer).toBe('autoencoder/semi-supervised');
    expect(full.checkpoints[0].rngStreams?.['outlier-shuffle']).toBeGreaterThan(0);
    const plain = await fit({ outliers: undefined });
    expect(plain.weights).not.toEqual(full.weights);
    const resumed = await fit({ resumeFrom: full.checkpoints[0] });
    expect(resumed.weights).toEqual(full.weights);
  });

  it('refuses to resume a plain run semi-supervised, and data-parallel replicas', async () => {
    const plain = await fit({ outliers: undefined, epochs: 1 });
    await expect(fit({ resumeFrom: plain.checkpoints[0] })).rejects.toThrow(/trainer autoencoder, this one has autoencoder\/semi-supervised/);
    const model = makeModel();
    const reducer = new GradientReducer(createReduceBuffer(1, trainableParameterCount(model)), 0, 1);
    await expect(fitAutoencoder(model, train, null, { ...opts(), replica: reducer })).rejects.toThrow(/one replica, not data-parallel/);
    model.dispose();
  });
});
