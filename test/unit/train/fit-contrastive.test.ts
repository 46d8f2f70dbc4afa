import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/random';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import { transformerEncoder, type TransformerEncoderConfig } from '../../../src/main/engine/models/transformer-encoder';
import { eventObjects, fitEventObjectScaling } from '../../../src/main/engine/represent/event-objects';
import { fitAutoencoder } from '../../../src/main/engine/train/fit-autoencoder';
import {
  computeRepresentations,
  evaluateContrastiveLoss,
  fitContrastive,
  type ContrastiveViews,
} from '../../../src/main/engine/train/fit-contrastive';

const SLOTS = 19;
const dense = (nin: number, nout: number) => nin * nout + nout;
const slotType = (s: number) => (s === 0 ? 1 : s < 5 ? 2 : s < 9 ? 3 : 4);

/** Toy ADC2021 events: MET, 1–2 leptons, 2–6 jets (GeV), packed per class. */
function toyParticles(n: number, seed: number): Float32Array {
  const u = mulberry32(seed);
  const p = new Float32Array(n * SLOTS * 4);
  const put = (e: number, s: number, pt: number, eta: number) => p.set([pt, eta, Math.PI * (2 * u() - 1), slotType(s)], (e * SLOTS + s) * 4);
  for (let e = 0; e < n; e++) {
    put(e, 0, 10 + 80 * u(), 0);
    const leptons = 1 + Math.floor(2 * u());
    for (let k = 0; k < leptons; k++) put(e, (u() < 0.5 ? 1 : 5) + k, k === 0 ? 25 + 80 * u() : 5 + 30 * u(), 2 * (2 * u() - 1));
    const jets = 2 + Math.floor(5 * u());
    for (let k = 0; k < jets; k++) put(e, 9 + k, 20 + 200 * u(), 3 * (2 * u() - 1));
  }
  return p;
}

const SMALL: Omit<TransformerEncoderConfig, 'inputDim' | 'seed'> = {
  modelDim: 32,
  outputDim: 16,
  heads: 4,
  feedForwardDim: 32,
  layers: 1,
  headLayers: 2,
  dropout: 0.1,
};

describe('fitContrastive (AnomalyCLR training)', () => {
  const n = 192;
  const particles = toyParticles(n, 1);
  const scaling = fitEventObjectScaling(particles, n);
  const objects = eventObjects(particles, n, scaling);
  const views: ContrastiveViews = { loss: 'anomclr', temperature: 0.1, batchSize: 64, seed: 99, scaling };

  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('the dense AE on 136-d representations has 157,965 parameters (physics.md §7)', () => {
    const widths = [256, 128, 64, 32, 16, 5];
    const expected =
      dense(136, 256) + dense(256, 128) + dense(128, 64) + dense(64, 32) + dense(32, 16) + dense(16, 5) +
      dense(5, 16) + dense(16, 32) + dense(32, 64) + dense(64, 128) + dense(128, 256) + dense(256, 136);
    expect(expected).toBe(157_965);
    const ae = denseAutoencoder({ inputDim: 136, widths, activation: 'leaky-relu', seed: 1 });
    expect(ae.countParams()).toBe(expected);
    ae.dispose();
  });

  for (const loss of ['clr', 'anomclr', 'anomclr+'] as const) {
    it(`lowers the ${loss} loss on toy events (fixed evaluation augmentations)`, async () => {
      const encoder = transformerEncoder({ ...SMALL, inputDim: 7, seed: 3 });
      const v = { ...views, loss };
      const before = await evaluateContrastiveLoss(encoder, objects, n, v);
      const epochs: number[] = [];
      const result = await fitContrastive(encoder, objects, n, { ...v, epochs: 6, learningRate: 2e-3, onEpoch: (e) => void epochs.push(e.trainLoss) });
      const after = await evaluateContrastiveLoss(encoder, objects, n, v);
      expect(result.stopped).toBe(false);
      expect(epochs).toHaveLength(6);
      expect(after).toBeLessThan(before - 0.5);
      encoder.dispose();
    });
  }

  it('is deterministic for a seed on wasm, and the seed matters', async () => {
    const run = async (seed: number) => {
      const encoder = transformerEncoder({ ...SMALL, inputDim: 7, seed: 5 });
      const r = await fitContrastive(encoder, objects, n, { ...views, seed, epochs: 2, learningRate: 1e-3 });
      const weights = encoder.getWeights().map((w) => Array.from(w.dataSync()));
      encoder.dispose();
      return { losses: r.epochs.map((e) => e.trainLoss), weights };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('trains an 8-input (sin φ, cos φ) encoder and stops between batches when asked', async () => {
    const encoder = transformerEncoder({ ...SMALL, inputDim: 8, seed: 3 });
    const batches: number[] = [];
    const r = await fitContrastive(encoder, objects, n, {
      ...views,
      epochs: 3,
      learningRate: 1e-3,
      onBatch: (p) => void batches.push(p.loss),
      shouldStop: () => batches.length === 2,
    });
    expect(r).toEqual({ epochs: [], stopped: true });
    expect(batches).toHaveLength(2);
    expect(batches.every(Number.isFinite)).toBe(true);
    encoder.dispose();
  });

  it('computes frozen representations batch by batch and feeds a dense autoencoder', async () => {
    const encoder = transformerEncoder({ ...SMALL, inputDim: 7, seed: 3 });
    const reps = await computeRepresentations(encoder, objects, n, scaling, 50);
    expect(reps.length).toBe(n * SMALL.outputDim);
    const whole = tf.tidy(() => (encoder.predict(tf.tensor3d(objects, [n, SLOTS, 7])) as tf.Tensor).dataSync());
    for (let i = 0; i < reps.length; i++) expect(Math.abs(reps[i] - whole[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(whole[i])));
    const x = tf.tensor2d(reps, [n, SMALL.outputDim]);
    const ae = denseAutoencoder({ inputDim: SMALL.outputDim, widths: [8, 4], activation: 'leaky-relu', seed: 1 });
    const fit = await fitAutoencoder(ae, x, null, { epochs: 2, batchSize: 64, learningRate: 1e-3, seed: 1 });
    expect(fit.epochs).toHaveLength(2);
    tf.dispose([x]);
    ae.dispose();
    encoder.dispose();
  });

  it('refuses lists of the wrong size, a single event and unsupported encoders', async () => {
    const encoder = transformerEncoder({ ...SMALL, inputDim: 7, seed: 3 });
    const opts = { ...views, epochs: 1, learningRate: 1e-3 };
    await expect(fitContrastive(encoder, objects.subarray(0, 100), n, opts)).rejects.toThrow(/expected 192 events × 19 slots × 7 features = 25536 numbers, got 100/);
    await expect(fitContrastive(encoder, objects.subarray(0, 133), 1, opts)).rejects.toThrow(/at least 2 events/);
    const wide = transformerEncoder({ ...SMALL, inputDim: 9, seed: 3 });
    await expect(fitContrastive(wide, objects, n, opts)).rejects.toThrow(/takes 9 features per object; 7 or 8/);
    wide.dispose();
    encoder.dispose();
  });
});
