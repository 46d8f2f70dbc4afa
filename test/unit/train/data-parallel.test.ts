// Data-parallel training: replicas summing shard gradients must train like one model on whole
// batches. The numerical tests run the replicas as concurrent loops in this thread (each its own
// model and optimiser, the all-reduce waits asynchronously); the rest start worker threads from
// the built engine worker (`npx electron-vite build`).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { startJob, type JobHandle } from '../../../src/main/engine/jobs/job-runner';
import type { TrainAutoencoderJob, TrainResult, WorkerMessage } from '../../../src/main/engine/jobs/protocol';
import { replicaGroupSpec, startReplicas } from '../../../src/main/engine/jobs/replica-pool';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import {
  createReduceBuffer,
  DataParallelAbort,
  GradientReducer,
  shardOf,
  trainableParameterCount,
} from '../../../src/main/engine/train/data-parallel';
import { fitAutoencoder, type FitResult } from '../../../src/main/engine/train/fit-autoencoder';

const FIT = { epochs: 2, batchSize: 10, learningRate: 1e-2, seed: 7 };
// 25 examples: batches of 10, 10 and 5, so shards of 5/5 and 3/2 (2 replicas), 4/3/3 and 2/2/1 (3).
const makeData = () => tf.randomNormal([25, 6], 0, 1, 'float32', 3);
const makeModel = () => denseAutoencoder({ inputDim: 6, widths: [8, 3], activation: 'leaky-relu', seed: 5 });
const weightsOf = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** `count` replicas of the same model trained concurrently in this thread; with count 1 the plain loop. */
async function train(count: number, fit = FIT): Promise<{ fits: FitResult[]; losses: number[][]; weights: number[][][] }> {
  const data = makeData();
  const models = Array.from({ length: count }, makeModel);
  const buffer = createReduceBuffer(count, trainableParameterCount(models[0]));
  const losses = models.map(() => [] as number[]);
  const fits = await Promise.all(
    models.map((m, rank) =>
      fitAutoencoder(m, data, null, {
        ...fit,
        replica: count > 1 ? new GradientReducer(buffer, rank, count) : undefined,
        onBatch: (p) => losses[rank].push(p.loss),
      }),
    ),
  );
  const weights = models.map(weightsOf);
  models.forEach((m) => m.dispose());
  data.dispose();
  return { fits, losses, weights };
}

function expectClose(a: number[], b: number[], rel: number): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(...b.map(Math.abs));
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(rel * scale));
}

describe('shardOf', () => {
  it('splits a batch into contiguous shards whose sizes differ by at most one', () => {
    expect([0, 1, 2].map((r) => shardOf(10, r, 3))).toEqual([
      { offset: 0, length: 4 },
      { offset: 4, length: 3 },
      { offset: 7, length: 3 },
    ]);
    expect([0, 1, 2].map((r) => shardOf(1, r, 3))).toEqual([
      { offset: 0, length: 1 },
      { offset: 1, length: 0 },
      { offset: 1, length: 0 },
    ]);
  });
});

describe('data-parallel training (replicas in this thread)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('trains like one model on whole batches: same losses and weights up to float summation order', async () => {
    const single = await train(1);
    for (const count of [2, 3]) {
      const parallel = await train(count);
      expectClose(parallel.losses[0], single.losses[0], 1e-5);
      parallel.weights[0].forEach((w, i) => expectClose(w, single.weights[0][i], 1e-5));
      expect(parallel.fits[0].epochs.map((e) => e.trainLoss)).toHaveLength(2);
      expectClose(
        parallel.fits[0].epochs.map((e) => e.trainLoss),
        single.fits[0].epochs.map((e) => e.trainLoss),
        1e-5,
      );
    }
  });

  it('keeps the replicas bit-identical to each other, also when a replica has an empty shard', async () => {
    // Batch 2 on 3 replicas: shards of 1, 1 and 0 examples; the last batch (25 = 12 × 2 + 1) has one.
    const fit = { ...FIT, batchSize: 2 };
    const parallel = await train(3, fit);
    const single = await train(1, fit);
    parallel.weights[0].forEach((w, i) => expectClose(w, single.weights[0][i], 1e-5));
    expect(parallel.weights[1]).toEqual(parallel.weights[0]);
    expect(parallel.weights[2]).toEqual(parallel.weights[0]);
    expect(parallel.losses[1]).toEqual(parallel.losses[0]);
  });

  it('is deterministic: two runs give the same bits', async () => {
    const a = await train(2);
    const b = await train(2);
    expect(a.weights[0]).toEqual(b.weights[0]);
    expect(a.losses[0]).toEqual(b.losses[0]);
  });

  it("stops every replica after the batch where rank 0's shouldStop said so", async () => {
    const data = makeData();
    const models = [makeModel(), makeModel()];
    const buffer = createReduceBuffer(2, trainableParameterCount(models[0]));
    const batches = [0, 0];
    const fits = await Promise.all(
      models.map((m, rank) =>
        fitAutoencoder(m, data, null, {
          ...FIT,
          replica: new GradientReducer(buffer, rank, 2),
          onBatch: () => batches[rank]++,
          // Only rank 0's decision counts; rank 1's "never" is overruled.
          shouldStop: () => rank === 0 && batches[0] === 4,
        }),
      ),
    );
    expect(fits.map((f) => f.stopped)).toEqual([true, true]);
    expect(batches).toEqual([4, 4]);
    expect(weightsOf(models[1])).toEqual(weightsOf(models[0]));
    models.forEach((m) => m.dispose());
    data.dispose();
  });

  it('releases the other replicas with a DataParallelAbort when one fails', async () => {
    const data = makeData();
    const model = makeModel();
    const buffer = createReduceBuffer(2, trainableParameterCount(model));
    const failing = new GradientReducer(buffer, 1, 2);
    const run = fitAutoencoder(model, data, null, { ...FIT, replica: new GradientReducer(buffer, 0, 2) });
    // Rank 1 fails before its first step, as a replica whose set-up threw does.
    failing.abort();
    await expect(run).rejects.toBeInstanceOf(DataParallelAbort);
    model.dispose();
    data.dispose();
  });
});

describe('data-parallel training (replicas in worker threads)', () => {
  const job: TrainAutoencoderJob = {
    kind: 'train-autoencoder',
    backend: 'cpu',
    threads: 1,
    model: { kind: 'dense-ae', widths: [8, 3], activation: 'leaky-relu' },
    data: { kind: 'gaussian-latent', samples: 60, features: 6, latent: 2, seed: 11 },
    validationFraction: 0.2,
    epochs: 2,
    batchSize: 16,
    learningRate: 1e-2,
    seed: 3,
  };

  it('a training job with 2 threads on a CPU backend trains 2 replicas with the results of 1', async () => {
    const backends: string[] = [];
    const onMessage = (m: WorkerMessage) => m.type === 'backend' && backends.push(m.info.device ?? '');
    const one = await startJob(job, onMessage).result;
    const two = await startJob({ ...job, threads: 2 }, onMessage).result;
    expect(backends[1]).toMatch(/2 data-parallel replicas/);
    expectClose(
      two.history.map((e) => e.trainLoss),
      one.history.map((e) => e.trainLoss),
      1e-5,
    );
    expectClose(
      two.history.map((e) => e.valLoss ?? NaN),
      one.history.map((e) => e.valLoss ?? NaN),
      1e-5,
    );
    const weights = (r: TrainResult) => {
      const bytes = r.files.find((f) => f.name === 'weights.bin')!.data as Uint8Array;
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    };
    expectClose(weights(two), weights(one), 1e-5);
  }, 60_000);

  it('a cancelled data-parallel job stops after the batch and reports stopped', async () => {
    const handle: JobHandle<TrainResult> = startJob({ ...job, threads: 2, epochs: 1000 }, (m) => m.type === 'batch' && handle.cancel());
    const result = await handle.result;
    expect(result.stopped).toBe(true);
    expect(result.history.length).toBeLessThan(1000);
  }, 60_000);

  it('cancelling rank 0 of a group of worker replicas ends every replica', async () => {
    await useBackend('cpu');
    const model = makeModel();
    const data = makeData();
    const spec = await replicaGroupSpec(model, data, 'cpu', 2, { ...FIT, epochs: 1000 });
    let batches = 0;
    const group = startReplicas(spec, [0, 1], (m) => {
      if (m.type === 'batch' && ++batches === 3) group.cancel();
    });
    // Resolves only when both replicas have returned, i.e. both stopped.
    await group.done;
    await group.terminate();
    // The cancel reaches rank 0 a batch or two late (message latency), never 1000 epochs late.
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(batches).toBeLessThan(30);
    model.dispose();
    data.dispose();
  }, 60_000);

  it("a replica that fails ends the run with that replica's error instead of hanging", async () => {
    await useBackend('cpu');
    const model = makeModel();
    const data = makeData();
    const spec = await replicaGroupSpec(model, data, 'cpu', 2, FIT);
    // A shape that does not match the shared examples makes replica 1 fail while setting up.
    const group = startReplicas({ ...spec, shape: [7, 7] }, [1]);
    const run = fitAutoencoder(model, data, null, { ...FIT, replica: new GradientReducer(spec.reduceBuffer, 0, 2) });
    await expect(run).rejects.toBeInstanceOf(DataParallelAbort);
    const failure = await group.failure();
    expect(failure?.message).toMatch(/replica 1 failed: .*shape/i);
    await expect(group.done).rejects.toThrow(/replica 1 failed/);
    await group.terminate();
    model.dispose();
    data.dispose();
  }, 60_000);
});
