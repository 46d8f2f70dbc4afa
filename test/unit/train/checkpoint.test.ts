// Training checkpoints: the file round-trips bit for bit and refuses damaged files; a run resumed
// from a checkpoint ends with the same weights, bit for bit, as one that never stopped (wasm backend).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { gaussianLatentData } from '../../../src/main/engine/data/gaussian-latent';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import {
  CHECKPOINT_FILE,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  type TrainingCheckpoint,
} from '../../../src/main/engine/train/checkpoint';
import { fitAutoencoder, type FitOptions } from '../../../src/main/engine/train/fit-autoencoder';

const FEATURES = 8;
const makeModel = () => denseAutoencoder({ inputDim: FEATURES, widths: [12, 3], activation: 'leaky-relu', seed: 4 });
const weightBits = (m: LayersModel) => m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().slice().buffer)));
const FIT: FitOptions = { epochs: 4, batchSize: 16, learningRate: 5e-3, seed: 9 };

describe('training checkpoints', () => {
  let dir: string;
  let train: tf.Tensor;
  let validation: tf.Tensor;
  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'awb-ckpt-'));
    const all = tf.tensor2d(gaussianLatentData({ samples: 110, features: FEATURES, latent: 2, seed: 3 }), [110, FEATURES]);
    [train, validation] = tf.split(all, [90, 20]);
    all.dispose();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    tf.dispose([train, validation]);
  });

  /** Trains a fresh model; returns its final weight bits, the fit result and every checkpoint written. */
  async function trainFresh(opts: FitOptions) {
    const model = makeModel();
    const checkpoints: TrainingCheckpoint[] = [];
    const fit = await fitAutoencoder(model, train, validation, { ...opts, onCheckpoint: (c) => void checkpoints.push(c) });
    const bits = weightBits(model);
    model.dispose();
    return { bits, fit, checkpoints };
  }

  it('4 epochs straight and 2 epochs + resume for 2 more end with the same weights, bit for bit', async () => {
    const straight = await trainFresh(FIT);
    const first = await trainFresh({ ...FIT, epochs: 2 });
    // Through the file, as a resumed run reads it.
    writeCheckpoint(dir, first.checkpoints[1]);
    const saved = readCheckpoint(dir);
    expect(saved?.epoch).toBe(2);
    const resumed = await trainFresh({ ...FIT, resumeFrom: saved ?? undefined });
    expect(resumed.bits).toEqual(straight.bits);
    expect(resumed.fit.epochs).toEqual(
      straight.fit.epochs.map((e, i) => ({ ...e, samplesPerSec: resumed.fit.epochs[i].samplesPerSec, seconds: resumed.fit.epochs[i].seconds })),
    );
    // The resumed run's own checkpoints carry on where the straight run's are.
    expect(resumed.checkpoints.map((c) => c.epoch)).toEqual([3, 4]);
    // Variable names carry a per-process counter (kernel_1, …): compare everything else.
    const unnamed = (c: TrainingCheckpoint) => ({ ...c.optimizer, moments: c.optimizer.moments.map(({ shape, values }) => ({ shape, values })) });
    expect(unnamed(resumed.checkpoints[1])).toEqual(unnamed(straight.checkpoints[3]));
    expect(resumed.checkpoints[1].rngDraws).toBe(straight.checkpoints[3].rngDraws);
  });

  it('needs Adam state and the generator position: without them the weights differ', async () => {
    // Batches of 8: 24 steps in 2 epochs, where pow() and the running product differ (at 12 they agree).
    const fit = { ...FIT, batchSize: 8 };
    const straight = await trainFresh(fit);
    const first = await trainFresh({ ...fit, epochs: 2 });
    const c = first.checkpoints[1];
    // What Adam's own setWeights puts back: beta^(t+1) by pow(), not the running float32 product.
    const pow = (beta: number) => tf.tidy(() => tf.pow(beta, c.optimizer.iterations + 1).dataSync()[0]);
    const powBeta = { ...c, optimizer: { ...c.optimizer, accBeta1: pow(0.9), accBeta2: pow(0.999) } };
    expect([powBeta.optimizer.accBeta1, powBeta.optimizer.accBeta2]).not.toEqual([c.optimizer.accBeta1, c.optimizer.accBeta2]);
    const freshShuffle = { ...c, rngDraws: 0 };
    expect((await trainFresh({ ...fit, resumeFrom: c })).bits).toEqual(straight.bits);
    for (const broken of [powBeta, freshShuffle]) {
      const resumed = await trainFresh({ ...fit, resumeFrom: broken });
      expect(resumed.bits).not.toEqual(straight.bits);
    }
  });

  it('round-trips through the file format bit for bit', async () => {
    const { checkpoints } = await trainFresh({ ...FIT, epochs: 2, earlyStopping: { patience: 3 }, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1 } });
    const c = checkpoints[1];
    expect(c.best?.epoch).toBeGreaterThan(0);
    expect(decodeCheckpoint(encodeCheckpoint(c), 'x')).toEqual(c);
    writeCheckpoint(dir, c);
    writeCheckpoint(dir, checkpoints[0]);
    // Replaced in place, no temporary files left.
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    expect(readCheckpoint(dir)).toEqual(checkpoints[0]);
  });

  it('refuses a damaged file, naming it and the problem', async () => {
    const { checkpoints } = await trainFresh({ ...FIT, epochs: 1 });
    const bytes = encodeCheckpoint(checkpoints[0]);
    const path = join(dir, CHECKPOINT_FILE);
    expect(readCheckpoint(mkdtempSync(join(dir, 'empty-')))).toBeNull();
    writeFileSync(path, bytes.subarray(0, bytes.length - 8));
    expect(() => readCheckpoint(dir)).toThrow(new RegExp(`checkpoint ${path}: array .* runs past the end`));
    writeFileSync(path, bytes.subarray(0, 30));
    expect(() => readCheckpoint(dir)).toThrow(/truncated in the header/);
    writeFileSync(path, Buffer.from('{"not": "a checkpoint"}'));
    expect(() => readCheckpoint(dir)).toThrow(/not a workbench training checkpoint/);
    const other = Buffer.from(bytes);
    other.write('"version":7', other.indexOf('"version":1'));
    writeFileSync(path, other);
    expect(() => readCheckpoint(dir)).toThrow(/version 7 is not supported/);
    expect(readFileSync(path).length).toBe(bytes.length);
  });

  it('refuses to resume a run with another seed, batch size, training set or model', async () => {
    const { checkpoints } = await trainFresh({ ...FIT, epochs: 1 });
    const c = checkpoints[0];
    await expect(trainFresh({ ...FIT, seed: 10, resumeFrom: c })).rejects.toThrow(/resuming after epoch 1: the checkpoint's run had seed 9, this one has 10/);
    await expect(trainFresh({ ...FIT, batchSize: 8, resumeFrom: c })).rejects.toThrow(/batch size 16, this one has 8/);
    const small = denseAutoencoder({ inputDim: FEATURES, widths: [6, 3], activation: 'leaky-relu', seed: 4 });
    await expect(fitAutoencoder(small, train, validation, { ...FIT, resumeFrom: c })).rejects.toThrow(/weights 0 \(.*\) has shape \[8,12\], the model's is \[8,6\]/);
    small.dispose();
  });
});
