// The VAE loop's optional features, checked through their effect on the weights of encoder and
// decoder (wasm backend): a schedule's rate reaches Adam, early stopping puts the best epoch's
// encoder and decoder back (bit-equal to a plain run of that many epochs), and a run resumed from a
// checkpoint file ends bit for bit where an uninterrupted one does, for every objective.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { gaussianLatentData } from '../../../src/main/engine/data/gaussian-latent';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import { buildVae, disposeVae, type Vae } from '../../../src/main/engine/models/vae';
import { readCheckpoint, writeCheckpoint, type TrainingCheckpoint } from '../../../src/main/engine/train/checkpoint';
import { fitAutoencoder, type FitResult } from '../../../src/main/engine/train/fit-autoencoder';
import { fitVae, type VaeFitOptions, type VaeObjective } from '../../../src/main/engine/train/fit-vae';
import { CHENG_KL_ANNEALING } from '../../../src/main/engine/train/vae-losses';

const FEATURES = 10;
const LR = 3e-3;
/** 120 training rows in batches of 16: 8 batches, the last of 8 rows (DisCo needs more than one). */
const FIT = { epochs: 3, batchSize: 16, learningRate: LR, seed: 5, beta: 0.1 } as const;
/** No epoch after the first improves by a billion: early stopping and the plateau schedule see a plateau. */
const NEVER_IMPROVES = 1e9;

const makeVae = (latentDim = 3) => buildVae({ inputDim: FEATURES, hiddenWidths: [16, 8], latentDim, activation: 'relu', seed: 3 });
const table = (samples: number, seed: number) => tf.tensor2d(gaussianLatentData({ samples, features: FEATURES, latent: 3, seed }), [samples, FEATURES]);
/** Every weight of encoder and decoder as its float32 bit patterns. */
const weightBits = (vae: Vae) => [vae.encoder, vae.decoder].flatMap((m) => m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().slice().buffer))));
const withoutTimes = (r: FitResult) => r.epochs.map(({ samplesPerSec: _s, seconds: _t, ...e }) => e);

describe('fitVae training options', () => {
  let dir: string;
  let train: tf.Tensor2D;
  let validation: tf.Tensor2D;
  let mass: tf.Tensor1D;
  let validationMass: tf.Tensor1D;
  let outliers: tf.Tensor2D;
  let validationOutliers: tf.Tensor2D;
  let objectives: Record<'beta-vae' | 'disco' | 'oe', VaeObjective>;

  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'awb-vae-ckpt-'));
    train = table(120, 1);
    validation = table(40, 2);
    mass = tf.norm(train, 'euclidean', 1) as tf.Tensor1D;
    validationMass = tf.norm(validation, 'euclidean', 1) as tf.Tensor1D;
    // 50 outliers for batches of 16: the cyclic pairing wraps around within an epoch.
    outliers = tf.mul(table(50, 3), 2) as tf.Tensor2D;
    validationOutliers = tf.mul(table(20, 4), 2) as tf.Tensor2D;
    objectives = {
      'beta-vae': { kind: 'beta-vae' },
      disco: { kind: 'disco', lambda: 5, mass, validationMass },
      oe: { kind: 'oe', variant: 'mse-margin', lambda: 2, margin: 1, outliers, validationOutliers },
    };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    tf.dispose([train, validation, mass, validationMass, outliers, validationOutliers]);
  });

  /** Trains a fresh VAE; returns its weight bits, the result and every checkpoint handed over. */
  async function fit(opts: Partial<VaeFitOptions>, vae = makeVae()) {
    const checkpoints: TrainingCheckpoint[] = [];
    try {
      const result = await fitVae(vae, train, validation, {
        ...FIT,
        objective: objectives['beta-vae'],
        onCheckpoint: (c) => void checkpoints.push(c),
        ...opts,
      });
      return { bits: weightBits(vae), result, checkpoints };
    } finally {
      disposeVae(vae);
    }
  }

  it('without the new options trains at the constant rate and reports no early stop', async () => {
    const { result } = await fit({ onCheckpoint: undefined });
    expect(result.epochs.map((e) => e.learningRate)).toEqual([LR, LR, LR].map(Math.fround));
    expect(result).not.toHaveProperty('earlyStopEpoch');
  });

  it('applies a step schedule to Adam: a rate of ~1e-33 after epoch 1 leaves the epoch-1 encoder and decoder unchanged', async () => {
    const oneEpoch = await fit({ epochs: 1 });
    const decayed = await fit({ lrSchedule: { kind: 'step-every', factor: 1e-30, every: 1 } });
    expect(decayed.result.epochs.map((e) => e.learningRate)).toEqual([LR, LR * 1e-30, LR * 1e-60].map(Math.fround));
    expect(decayed.bits).toEqual(oneEpoch.bits);
    // Two epochs at the full rate do move them.
    expect((await fit({ epochs: 2 })).bits).not.toEqual(oneEpoch.bits);
  });

  it('applies the plateau schedule on the validation loss (patience 0 halves after every non-improving epoch)', async () => {
    const { result } = await fit({ epochs: 4, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 0, minDelta: NEVER_IMPROVES } });
    expect(result.epochs.map((e) => e.learningRate)).toEqual([LR, LR, LR / 2, LR / 4].map(Math.fround));
  });

  it('stops early and puts back the best epoch: encoder and decoder of a plain 1-epoch run, bit for bit', async () => {
    const oneEpoch = await fit({ epochs: 1 });
    const early = await fit({ epochs: 10, earlyStopping: { patience: 2, minDelta: NEVER_IMPROVES } });
    expect(early.result).toMatchObject({ earlyStopEpoch: 3, restoredEpoch: 1 });
    expect(early.result.epochs).toHaveLength(3);
    expect(early.bits).toEqual(oneEpoch.bits);
    // The decoder alone would not be enough: the encoder moved too between epoch 1 and 3.
    const three = await fit({ epochs: 3 });
    const probe = makeVae();
    const encoderWeights = probe.encoder.getWeights().length;
    disposeVae(probe);
    expect(three.bits.slice(0, encoderWeights)).not.toEqual(oneEpoch.bits.slice(0, encoderWeights));
    // restoreBestWeights: false keeps the last epoch's weights.
    const kept = await fit({ epochs: 10, earlyStopping: { patience: 2, minDelta: NEVER_IMPROVES, restoreBestWeights: false } });
    expect(kept.result.restoredEpoch).toBeNull();
    expect(kept.bits).toEqual(three.bits);
  });

  it('keeps the weights of a cancelled run and puts nothing back', async () => {
    let batches = 0;
    const { result } = await fit({ epochs: 10, earlyStopping: { patience: 5 }, shouldStop: () => ++batches === 12 });
    expect(result).toMatchObject({ stopped: true, restoredEpoch: null });
    expect(result.epochs).toHaveLength(1);
  });

  it.each(['beta-vae', 'disco', 'oe'] as const)('%s: 4 epochs straight and 2 epochs + resume through the file end bit for bit alike', async (kind) => {
    const opts: Partial<VaeFitOptions> = { epochs: 4, objective: objectives[kind], klAnnealing: CHENG_KL_ANNEALING, lrSchedule: { kind: 'step-at', factor: 0.5, epochs: [3] } };
    const straight = await fit(opts);
    const first = await fit({ ...opts, epochs: 2 });
    writeCheckpoint(dir, first.checkpoints[1]);
    const saved = readCheckpoint(dir)!;
    expect(saved).toEqual(first.checkpoints[1]);
    const resumed = await fit({ ...opts, resumeFrom: saved });
    expect(resumed.bits).toEqual(straight.bits);
    expect(withoutTimes(resumed.result)).toEqual(withoutTimes(straight.result));
    expect(resumed.checkpoints.map((c) => c.epoch)).toEqual([3, 4]);
    expect(resumed.checkpoints[1].rngStreams).toEqual(straight.checkpoints[3].rngStreams);
    // Without the pieces of state a VAE adds, the resumed weights differ (a control that the test can fail).
    if (kind === 'oe') {
      const freshOutlierShuffle = { ...saved, rngStreams: {} };
      expect((await fit({ ...opts, resumeFrom: freshOutlierShuffle })).bits).not.toEqual(straight.bits);
    }
  });

  it('a run resumed from the checkpoint of its early stop only puts the best encoder and decoder back', async () => {
    const spec = { epochs: 10, earlyStopping: { patience: 1, minDelta: NEVER_IMPROVES } };
    const early = await fit(spec);
    const resumed = await fit({ ...spec, resumeFrom: early.checkpoints[early.checkpoints.length - 1] });
    expect(resumed.result.epochs).toHaveLength(2);
    expect(resumed.result).toMatchObject({ earlyStopEpoch: 2, restoredEpoch: 1 });
    expect(resumed.bits).toEqual(early.bits);
  });

  it('refuses the checkpoint of another run: another objective, seed, training set, model or an autoencoder', async () => {
    const { checkpoints } = await fit({ epochs: 1, objective: objectives.disco });
    const c = checkpoints[0];
    await expect(fit({ resumeFrom: c })).rejects.toThrow(/resuming after epoch 1: the checkpoint's run had trainer vae\/disco, this one has vae\/beta-vae/);
    const oe = objectives.oe as Extract<VaeObjective, { kind: 'oe' }>;
    const oeRun = await fit({ epochs: 1, objective: oe });
    await expect(fit({ objective: { ...oe, variant: 'kl-margin' }, resumeFrom: oeRun.checkpoints[0] })).rejects.toThrow(/trainer vae\/oe\/mse-margin, this one has vae\/oe\/kl-margin/);
    await expect(fit({ objective: objectives.disco, seed: 6, resumeFrom: c })).rejects.toThrow(/seed 5, this one has 6/);
    const [fewer, fewerMass] = [tf.slice(train, 0, 100), tf.slice(mass, 0, 100)];
    const vae = makeVae();
    await expect(fitVae(vae, fewer, null, { ...FIT, objective: { kind: 'disco', lambda: 5, mass: fewerMass }, resumeFrom: c })).rejects.toThrow(
      /training rows 120, this one has 100/,
    );
    disposeVae(vae);
    tf.dispose([fewer, fewerMass]);
    await expect(fit({ objective: objectives.disco, resumeFrom: c }, makeVae(4))).rejects.toThrow(/weights \d+ \(.*\) has shape \[8,3\], the model's is \[8,4\]/);
    const ae = denseAutoencoder({ inputDim: FEATURES, widths: [6, 3], activation: 'relu', seed: 1 });
    const aeCheckpoints: TrainingCheckpoint[] = [];
    await fitAutoencoder(ae, train, null, { epochs: 1, batchSize: 16, learningRate: LR, seed: 5, onCheckpoint: (k) => void aeCheckpoints.push(k) });
    ae.dispose();
    expect(aeCheckpoints[0]).not.toHaveProperty('trainer');
    await expect(fit({ resumeFrom: aeCheckpoints[0] })).rejects.toThrow(/trainer autoencoder, this one has vae\/beta-vae/);
  });

  it('needs a validation set for the plateau schedule and early stopping', async () => {
    const vae = makeVae();
    const base = { ...FIT, objective: objectives['beta-vae'] };
    await expect(fitVae(vae, train, null, { ...base, earlyStopping: { patience: 1 } })).rejects.toThrow(/validation set is needed/);
    await expect(fitVae(vae, train, null, { ...base, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1 } })).rejects.toThrow(/validation set is needed/);
    disposeVae(vae);
  });

  it('leaks no tensors with every option on, resumed or not', async () => {
    const opts = { epochs: 4, objective: objectives.oe, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1 }, earlyStopping: { patience: 3 } } as const;
    const first = await fit({ ...opts, epochs: 2 });
    const before = tf.memory().numTensors;
    await fit({ ...opts, resumeFrom: first.checkpoints[1] });
    expect(tf.memory().numTensors).toBe(before);
  });
});
