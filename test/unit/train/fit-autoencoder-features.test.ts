// The training loop's optional features, checked through their effect on the weights: a schedule's
// rate is really applied, early stopping really puts the best epoch's weights back (bit-equal to a
// plain run of that many epochs), and data-parallel replicas follow rank 0's decisions.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { gaussianLatentData } from '../../../src/main/engine/data/gaussian-latent';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import type { TrainingCheckpoint } from '../../../src/main/engine/train/checkpoint';
import { createReduceBuffer, GradientReducer, trainableParameterCount } from '../../../src/main/engine/train/data-parallel';
import { fitAutoencoder, type FitOptions, type FitResult } from '../../../src/main/engine/train/fit-autoencoder';

const FEATURES = 8;
const LR = 5e-3;
const FIT: FitOptions = { epochs: 3, batchSize: 16, learningRate: LR, seed: 5 };
const makeModel = () => denseAutoencoder({ inputDim: FEATURES, widths: [12, 3], activation: 'leaky-relu', seed: 2 });
const weightsOf = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
/** No epoch after the first improves by a billion: early stopping and the plateau schedule see a plateau. */
const NEVER_IMPROVES = 1e9;

function expectClose(a: number[][], b: number[][], rel: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((w, i) => {
    const scale = Math.max(...b[i].map(Math.abs));
    w.forEach((x, j) => expect(Math.abs(x - b[i][j])).toBeLessThanOrEqual(rel * scale));
  });
}

describe('fitAutoencoder training options', () => {
  let train: tf.Tensor;
  let validation: tf.Tensor;
  beforeAll(async () => {
    await useBackend('wasm');
    const all = tf.tensor2d(gaussianLatentData({ samples: 100, features: FEATURES, latent: 2, seed: 6 }), [100, FEATURES]);
    [train, validation] = tf.split(all, [80, 20]);
    all.dispose();
  });
  afterAll(() => tf.dispose([train, validation]));

  async function fit(opts: Partial<FitOptions>): Promise<{ weights: number[][]; result: FitResult }> {
    const model = makeModel();
    const result = await fitAutoencoder(model, train, validation, { ...FIT, ...opts });
    const weights = weightsOf(model);
    model.dispose();
    return { weights, result };
  }

  it('without the new options trains at the constant rate and reports no early stop', async () => {
    const { result } = await fit({});
    expect(result.epochs.map((e) => e.learningRate)).toEqual([LR, LR, LR].map(Math.fround));
    expect(result.earlyStopEpoch).toBeNull();
    expect(result.restoredEpoch).toBeNull();
  });

  it('applies a step schedule to Adam: a rate of ~1e-33 after epoch 1 leaves the epoch-1 weights unchanged', async () => {
    const oneEpoch = await fit({ epochs: 1 });
    const decayed = await fit({ lrSchedule: { kind: 'step-every', factor: 1e-30, every: 1 } });
    expect(decayed.result.epochs.map((e) => e.learningRate)).toEqual([LR, LR * 1e-30, LR * 1e-60].map(Math.fround));
    expect(decayed.weights).toEqual(oneEpoch.weights);
    // Two epochs at the full rate do move them.
    expect((await fit({ epochs: 2 })).weights).not.toEqual(oneEpoch.weights);
  });

  it('applies the plateau schedule on the validation loss (patience 0 halves after every non-improving epoch)', async () => {
    const { result } = await fit({ epochs: 4, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 0, minDelta: NEVER_IMPROVES } });
    // Epoch 1 improves on +inf; epochs 2 and 3 do not, so epochs 3 and 4 train at half and a quarter.
    expect(result.epochs.map((e) => e.learningRate)).toEqual([LR, LR, LR / 2, LR / 4].map(Math.fround));
  });

  it('stops early and puts back the best epoch: the weights of a plain 1-epoch run, bit for bit', async () => {
    const oneEpoch = await fit({ epochs: 1 });
    const early = await fit({ epochs: 10, earlyStopping: { patience: 2, minDelta: NEVER_IMPROVES } });
    expect(early.result.epochs).toHaveLength(3);
    expect(early.result.earlyStopEpoch).toBe(3);
    expect(early.result.restoredEpoch).toBe(1);
    expect(early.weights).toEqual(oneEpoch.weights);
    // restoreBestWeights: false keeps the last epoch's weights.
    const kept = await fit({ epochs: 10, earlyStopping: { patience: 2, minDelta: NEVER_IMPROVES, restoreBestWeights: false } });
    expect(kept.result.restoredEpoch).toBeNull();
    expect(kept.weights).toEqual((await fit({ epochs: 3 })).weights);
  });

  it('keeps the weights of a cancelled run and puts nothing back', async () => {
    let batches = 0;
    const { result } = await fit({ epochs: 10, earlyStopping: { patience: 5 }, shouldStop: () => ++batches === 12 });
    expect(result.stopped).toBe(true);
    expect(result.restoredEpoch).toBeNull();
  });

  it('a run resumed from the checkpoint of its early stop only puts the best weights back', async () => {
    const checkpoints: TrainingCheckpoint[] = [];
    const spec = { epochs: 10, earlyStopping: { patience: 1, minDelta: NEVER_IMPROVES } };
    const early = await fit({ ...spec, onCheckpoint: (c) => void checkpoints.push(c) });
    const resumed = await fit({ ...spec, resumeFrom: checkpoints[checkpoints.length - 1] });
    expect(resumed.result.epochs).toHaveLength(2);
    expect(resumed.weights).toEqual(early.weights);
  });

  it('leaks no tensors with every option on, resumed or not', async () => {
    const checkpoints: TrainingCheckpoint[] = [];
    const opts = { epochs: 4, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1 }, earlyStopping: { patience: 3 } } as const;
    await fit({ ...opts, epochs: 2, onCheckpoint: (c) => void checkpoints.push(c) });
    const before = tf.memory().numTensors;
    await fit({ ...opts, resumeFrom: checkpoints[1], onCheckpoint: () => {} });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('needs a validation set for the plateau schedule and early stopping', async () => {
    const model = makeModel();
    await expect(fitAutoencoder(model, train, null, { ...FIT, earlyStopping: { patience: 1 } })).rejects.toThrow(/validation set is needed/);
    await expect(fitAutoencoder(model, train, null, { ...FIT, lrSchedule: { kind: 'plateau', factor: 0.5, patience: 1 } })).rejects.toThrow(
      /validation set is needed/,
    );
    model.dispose();
  });

  describe('data-parallel replicas (in this thread)', () => {
    /** Two replicas; only rank 0 has the validation set and the options that decide. */
    async function replicas(opts: Partial<FitOptions>, resumeFrom?: TrainingCheckpoint) {
      const models = [makeModel(), makeModel()];
      const buffer = createReduceBuffer(2, trainableParameterCount(models[0]));
      const results = await Promise.all(
        models.map((m, rank) =>
          fitAutoencoder(m, train, rank === 0 ? validation : null, {
            ...FIT,
            ...(rank === 0 ? opts : {}),
            resumeFrom,
            replica: new GradientReducer(buffer, rank, 2),
          }),
        ),
      );
      const weights = models.map(weightsOf);
      models.forEach((m) => m.dispose());
      return { results, weights };
    }

    it("apply rank 0's rates, stop after the same epoch and put back the same weights", async () => {
      const opts: Partial<FitOptions> = {
        epochs: 10,
        lrSchedule: { kind: 'plateau', factor: 0.5, patience: 0, minDelta: NEVER_IMPROVES },
        earlyStopping: { patience: 2, minDelta: NEVER_IMPROVES },
      };
      const { results, weights } = await replicas(opts);
      const single = await fit(opts);
      for (const r of results) {
        expect(r.epochs.map((e) => e.learningRate)).toEqual([LR, LR, LR / 2].map(Math.fround));
        expect(r.earlyStopEpoch).toBe(3);
        expect(r.restoredEpoch).toBe(1);
      }
      expect(weights[1]).toEqual(weights[0]);
      // Up to the order of float sums, as data-parallel training always is.
      expectClose(weights[0], single.weights, 1e-5);
    });

    it('resume together from a checkpoint like a single trainer does', async () => {
      const checkpoints: TrainingCheckpoint[] = [];
      await fit({ epochs: 1, onCheckpoint: (c) => void checkpoints.push(c) });
      const { weights } = await replicas({}, checkpoints[0]);
      expect(weights[1]).toEqual(weights[0]);
      expectClose(weights[0], (await fit({})).weights, 1e-5);
    });
  });
});
