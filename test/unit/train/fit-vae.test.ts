// Training the VAE-Jet models: the β-VAE learns, DisCo lowers the loss–mass correlation, outlier
// exposure widens the in-sample/outlier KL gap, and a seeded run is reproducible on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { gaussianLatentData } from '../../../src/main/engine/data/gaussian-latent';
import { buildVae, disposeVae, latentNoise, vaeForward, type Vae } from '../../../src/main/engine/models/vae';
import { fitVae, type VaeFitOptions, type VaeObjective } from '../../../src/main/engine/train/fit-vae';
import { betaVaeLossPerExample, CHENG_KL_ANNEALING, distanceCorrelation, klPerExample, klTerms, reconstructionMsePerExample } from '../../../src/main/engine/train/vae-losses';

const FEATURES = 10;
const N = 300;
const BETA = 0.1;

const makeVae = (seed = 3) => buildVae({ inputDim: FEATURES, hiddenWidths: [32, 16], latentDim: 3, activation: 'relu', seed });
const table = (samples: number, seed: number) => tf.tensor2d(gaussianLatentData({ samples, features: FEATURES, latent: 3, seed }), [samples, FEATURES]);

/** Per-example β-loss with fixed noise (test stream 99), computed outside the code under test's loop. */
function perExampleLoss(vae: Vae, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const out = vaeForward(vae, x, latentNoise(x.shape[0], 3, 1, 99, 0));
    return betaVaeLossPerExample(reconstructionMsePerExample(x, out.reconstruction), klPerExample(out.mu, out.logVar), BETA);
  });
}

const meanOf = (t: tf.Tensor) => tf.tidy(() => tf.mean(t).dataSync()[0]);

describe('fitVae', () => {
  let x: tf.Tensor2D;
  let val: tf.Tensor2D;
  let mass: tf.Tensor1D;
  let outliers: tf.Tensor2D;

  beforeAll(async () => {
    await useBackend('wasm');
    x = table(N, 1);
    val = table(60, 2);
    // A "mass" that the reconstruction difficulty depends on: the row's norm.
    mass = tf.norm(x, 'euclidean', 1) as tf.Tensor1D;
    // Outliers: another subspace, scaled up.
    outliers = tf.mul(table(100, 3), 2) as tf.Tensor2D;
  });

  afterAll(() => tf.dispose([x, val, mass, outliers]));

  const fit = async (objective: VaeObjective, extra: Partial<VaeFitOptions> = {}, seed = 5) => {
    const vae = makeVae();
    const losses: number[] = [];
    const result = await fitVae(vae, x, null, {
      epochs: 4,
      batchSize: 50,
      learningRate: 3e-3,
      seed,
      beta: BETA,
      objective,
      onBatch: (p) => losses.push(p.loss),
      ...extra,
    });
    return { vae, losses, result };
  };

  it('lowers the β-VAE loss, reports train and validation losses per epoch', async () => {
    const vae = makeVae();
    const before = meanOf(perExampleLoss(vae, x));
    const epochs: number[] = [];
    const r = await fitVae(vae, x, val, {
      epochs: 8, batchSize: 32, learningRate: 3e-3, seed: 1, beta: BETA, objective: { kind: 'beta-vae' }, onEpoch: (e) => void epochs.push(e.epoch),
    });
    expect(meanOf(perExampleLoss(vae, x))).toBeLessThan(0.5 * before);
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.stopped).toBe(false);
    expect(r.epochs.every((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss!))).toBe(true);
    expect(r.epochs[7].valLoss!).toBeLessThan(r.epochs[0].valLoss!);
    disposeVae(vae);
  });

  it('is reproducible on wasm: the same seed gives identical losses and weights, another seed does not', async () => {
    const objectives: VaeObjective[] = [
      { kind: 'disco', lambda: 5, mass },
      { kind: 'oe', variant: 'mse-margin', lambda: 2, margin: 1, outliers },
    ];
    for (const objective of objectives) {
      const a = await fit(objective, { klAnnealing: CHENG_KL_ANNEALING });
      const b = await fit(objective, { klAnnealing: CHENG_KL_ANNEALING });
      const c = await fit(objective, { klAnnealing: CHENG_KL_ANNEALING }, 6);
      expect(b.losses).toEqual(a.losses);
      expect(b.vae.decoder.getWeights()[0].dataSync()).toEqual(a.vae.decoder.getWeights()[0].dataSync());
      expect(c.losses).not.toEqual(a.losses);
      [a, b, c].forEach((r) => disposeVae(r.vae));
    }
  });

  it('DisCo lowers the distance correlation between the per-jet loss and the mass', async () => {
    const dcor = (vae: Vae) => tf.tidy(() => distanceCorrelation(perExampleLoss(vae, x), mass).dataSync()[0]);
    const plain = await fit({ kind: 'beta-vae' }, { epochs: 6 });
    const disco = await fit({ kind: 'disco', lambda: 20, mass }, { epochs: 6 });
    expect(dcor(disco.vae)).toBeLessThan(0.3 * dcor(plain.vae));
    disposeVae(plain.vae);
    disposeVae(disco.vae);
  });

  it('KL outlier exposure raises the outliers’ KL above the in-sample KL (per latent dimension hinge)', async () => {
    const gap = (vae: Vae) =>
      tf.tidy(() => {
        const [muIn, lvIn] = vae.encoder.predict(x) as tf.Tensor2D[];
        const [muOe, lvOe] = vae.encoder.predict(outliers) as tf.Tensor2D[];
        return meanOf(klTerms(muOe, lvOe)) - meanOf(klTerms(muIn, lvIn));
      });
    const plain = await fit({ kind: 'beta-vae' });
    const oe = await fit({ kind: 'oe', variant: 'kl-margin', lambda: 2, margin: 1, outliers });
    expect(gap(oe.vae)).toBeGreaterThan(gap(plain.vae) + 5);
    const sigmoid = await fit({ kind: 'oe', variant: 'mse-sigmoid', lambda: 2, margin: 0, outliers });
    expect(sigmoid.losses.every(Number.isFinite)).toBe(true);
    [plain, oe, sigmoid].forEach((r) => disposeVae(r.vae));
  });

  it('stops between batches when asked', async () => {
    const r = await fit({ kind: 'beta-vae' }, { shouldStop: () => true });
    expect(r.losses.length).toBe(1);
    expect(r.result).toEqual({ epochs: [], stopped: true });
    disposeVae(r.vae);
  });

  it('rejects inputs that do not fit the objective, saying what is wrong', async () => {
    const vae = makeVae();
    const base = { epochs: 1, batchSize: 50, learningRate: 1e-3, seed: 1, beta: BETA };
    await expect(fitVae(vae, x, null, { ...base, objective: { kind: 'disco', lambda: 1, mass: tf.zeros([3]) as tf.Tensor1D } })).rejects.toThrow(
      /3 masses for 300 training rows/,
    );
    await expect(fitVae(vae, x, null, { ...base, batchSize: 299, objective: { kind: 'disco', lambda: 1, mass } })).rejects.toThrow(/single row/);
    await expect(fitVae(vae, x, val, { ...base, objective: { kind: 'oe', variant: 'kl-margin', lambda: 1, margin: 1, outliers } })).rejects.toThrow(
      /validation outliers/,
    );
    await expect(fitVae(vae, tf.zeros([4, 3]), null, { ...base, objective: { kind: 'beta-vae' } })).rejects.toThrow(/rows × 10 features, got shape \[4,3\]/);
    disposeVae(vae);
  });
});
