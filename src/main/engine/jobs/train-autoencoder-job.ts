// Worker side of an autoencoder training run: builds the data and the model on the resolved
// backend, trains (semi-supervised when given outliers), scores the test rows of stored data, and
// hands back the history, the serialised weights, the scores and the optional diagnostics (latent
// snapshots, class-mean images).
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '@shared/api';
import { gaussianLatentData } from '../data/gaussian-latent';
import { NpyRowReader } from '../data/store/npy-stream';
import { convAutoencoder } from '../models/conv-autoencoder';
import { denseAutoencoder } from '../models/dense-autoencoder';
import { deserializeModel, modelSummary, serializeModel, WEIGHTS_FILE } from '../models/save-model';
import { encodeNpy } from '../data/npy';
import { LatentSnapshots, readSnapshots } from '../scores/latent-snapshots';
import { reconstructionScores, reconstructionScoresWithMeans } from '../scores/reconstruction-scores';
import { writeCheckpoint } from '../train/checkpoint';
import { DataParallelAbort, GradientReducer } from '../train/data-parallel';
import { fitAutoencoder, type FitResult } from '../train/fit-autoencoder';
import { SNAPSHOTS_SO_FAR, type RowSource, type RunFile, type ScoreAutoencoderJob, type TrainAutoencoderJob, type TrainResult, type WorkerMessage } from './protocol';
import { replicaGroupSpec, startReplicas } from './replica-pool';

interface Inputs {
  train: tf.Tensor;
  validation: tf.Tensor | null;
  test: tf.Tensor | null;
}

/** Conv models take images; every other model takes flat rows. */
type ModelSpec = { model: { kind: string; imageSize?: number } };

/** The model's input shape for one example: images get a channel axis, anything else is flattened. */
function exampleShape(job: ModelSpec, rowShape: readonly number[]): number[] {
  const width = rowShape.reduce((a, b) => a * b, 1);
  if (job.model.kind === 'conv-ae') {
    const s = job.model.imageSize ?? 0;
    if (rowShape.length !== 2 || rowShape[0] !== s || rowShape[1] !== s) {
      throw new Error(`conv autoencoder: expects ${s}×${s} images, the data rows are (${rowShape.join(', ')})`);
    }
    return [s, s, 1];
  }
  return [width];
}

/** The rows of every source, in order, as one tensor of examples. */
export function gatherRows(job: ModelSpec, sources: RowSource[]): tf.Tensor | null {
  const parts: Float32Array[] = [];
  let rowShape: readonly number[] | null = null;
  for (const s of sources) {
    if (s.rows.length === 0) continue;
    const reader = new NpyRowReader(s.path);
    try {
      if (rowShape && reader.rowShape.join() !== rowShape.join()) throw new Error(`${s.path}: rows of (${reader.rowShape.join(', ')}), the others have (${rowShape.join(', ')})`);
      rowShape = reader.rowShape;
      parts.push(reader.gather(s.rows) as Float32Array);
    } finally {
      reader.close();
    }
  }
  if (!rowShape) return null;
  const all = new Float32Array(parts.reduce((k, p) => k + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return tf.tensor(all, [all.length / rowShape.reduce((a, b) => a * b, 1), ...exampleShape(job, rowShape)], 'float32');
}

function buildInputs(job: TrainAutoencoderJob): Inputs {
  const data = job.data;
  if (data.kind === 'gaussian-latent') {
    const { samples, features } = data;
    const nVal = Math.round(samples * job.validationFraction);
    if (samples - nVal < 1) throw new Error(`validation fraction ${job.validationFraction} leaves no training examples`);
    const [train, validation] = tf.tidy(() => tf.split(tf.tensor2d(gaussianLatentData(data), [samples, features]), [samples - nVal, nVal]));
    if (nVal > 0) return { train, validation, test: null };
    validation.dispose();
    return { train, validation: null, test: null };
  }
  const train = gatherRows(job, data.train);
  if (!train) throw new Error('the training set is empty: no background rows in the training split');
  return { train, validation: gatherRows(job, data.validation), test: gatherRows(job, data.test) };
}

function buildModel(job: TrainAutoencoderJob, inputShape: number[]): LayersModel {
  const m = job.model;
  if (m.kind === 'conv-ae') return convAutoencoder({ imageSize: m.imageSize, kernelSize: m.kernelSize, bottleneck: m.bottleneck, seed: job.seed });
  return denseAutoencoder({ inputDim: inputShape[0], widths: m.widths, activation: m.activation, seed: job.seed });
}

/** The snapshot recorder of a job that asks for one: epoch 0 taken now, or a resumed run's earlier ones loaded. */
async function startSnapshots(job: TrainAutoencoderJob, model: LayersModel, rows: tf.Tensor | null): Promise<LatentSnapshots | null> {
  const spec = job.latentSnapshots;
  if (!spec || !rows) return null;
  if (job.resumeFrom) {
    if (!spec.previous) throw new Error('resuming a run with latent snapshots needs the snapshots it recorded');
    return new LatentSnapshots(model, rows, await readSnapshots(spec.previous, job.resumeFrom.epoch + 1));
  }
  const snapshots = new LatentSnapshots(model, rows);
  await snapshots.take();
  return snapshots;
}

function latentFiles(snapshots: LatentSnapshots, rows: RowSource[]): RunFile[] {
  const indices = Int32Array.from(rows.flatMap((s) => s.rows));
  return [
    { name: 'latent-snapshots.npy', kind: 'latent-snapshots', data: snapshots.toNpy() },
    { name: 'latent-rows.npy', kind: 'latent-rows', data: encodeNpy({ shape: [indices.length], data: indices }) },
  ];
}

export async function trainAutoencoderJob(
  job: TrainAutoencoderJob,
  backend: BackendName,
  replicas: number,
  post: (m: WorkerMessage) => void,
  shouldStop: () => boolean,
): Promise<TrainResult> {
  const { train, validation, test } = buildInputs(job);
  const outliers = job.outliers ? gatherRows(job, job.outliers.train) : null;
  const snapshotRows = job.latentSnapshots ? gatherRows(job, job.latentSnapshots.rows) : null;
  let model: LayersModel | null = null;
  try {
    if (job.outliers && !outliers) throw new Error('semi-supervised training: the outlier dataset has no rows in its training split');
    model = buildModel(job, train.shape.slice(1));
    const trained = model;
    const fitSpec = { epochs: job.epochs, batchSize: job.batchSize, learningRate: job.learningRate, seed: job.seed, resumeFrom: job.resumeFrom };
    const checkpointDir = job.checkpointDir;
    const snapshots = await startSnapshots(job, model, snapshotRows);
    const fit = (reducer?: GradientReducer) =>
      fitAutoencoder(trained, train, validation, {
        ...fitSpec,
        lrSchedule: job.lrSchedule,
        earlyStopping: job.earlyStopping,
        outliers: outliers && job.outliers ? { x: outliers, lambda: job.outliers.lambda, margin: job.outliers.margin } : undefined,
        onCheckpoint: checkpointDir ? (c) => writeCheckpoint(checkpointDir, c) : undefined,
        replica: reducer,
        shouldStop,
        onBatch: (p) => post({ type: 'batch', epochs: job.epochs, ...p }),
        onEpoch: async (result) => {
          if (snapshots) {
            await snapshots.take();
            if (checkpointDir) await snapshots.save(join(checkpointDir, SNAPSHOTS_SO_FAR));
          }
          post({ type: 'epoch', result });
        },
      });
    let result: FitResult;
    // The semi-supervised hinge's threshold is a whole-batch mean: such runs train as one replica.
    if (replicas > 1 && !outliers) {
      // This thread is rank 0 (progress, validation, the result); ranks 1.. run in their own threads.
      const spec = await replicaGroupSpec(model, train, backend, replicas, fitSpec);
      const group = startReplicas(spec, Array.from({ length: replicas - 1 }, (_, i) => i + 1));
      try {
        result = await fit(new GradientReducer(spec.reduceBuffer, 0, replicas));
      } catch (err) {
        throw err instanceof DataParallelAbort ? ((await group.failure()) ?? err) : err;
      } finally {
        await group.terminate();
      }
    } else {
      result = await fit();
    }
    const scored = test && !result.stopped ? await scoreTest(job, model, test) : null;
    const saved = await serializeModel(model);
    return {
      history: result.epochs,
      stopped: result.stopped,
      earlyStopEpoch: result.earlyStopEpoch ?? null,
      restoredEpoch: result.restoredEpoch ?? null,
      parameters: model.countParams(),
      files: [
        { name: 'model.json', kind: 'model', data: saved.modelJson },
        { name: WEIGHTS_FILE, kind: 'model-weights', data: new Uint8Array(saved.weights) },
        { name: 'model-summary.json', kind: 'model-summary', data: JSON.stringify(modelSummary(model), null, 1) },
        ...(snapshots && job.latentSnapshots ? latentFiles(snapshots, job.latentSnapshots.rows) : []),
        ...(scored?.files ?? []),
      ],
      testScores: scored ? { mse: scored.mse } : null,
    };
  } finally {
    model?.dispose();
    for (const t of [train, validation, test, outliers, snapshotRows]) t?.dispose();
  }
}

/** The test scores, and when asked the class-mean images as run files. */
async function scoreTest(job: TrainAutoencoderJob, model: LayersModel, test: tf.Tensor): Promise<{ mse: Float32Array; files: RunFile[] }> {
  const spec = job.meanImages;
  if (!spec) return { mse: await reconstructionScores(model, test, job.batchSize), files: [] };
  const { scores, means } = await reconstructionScoresWithMeans(model, test, job.batchSize, spec.classes, 2);
  const shape = [2, ...spec.imageShape];
  return {
    mse: scores,
    files: [
      { name: 'mean-input.npy', kind: 'mean-images', data: encodeNpy({ shape, data: means.input }) },
      { name: 'mean-reconstruction.npy', kind: 'mean-images', data: encodeNpy({ shape, data: means.reconstruction }) },
    ],
  };
}

/** Scores stored rows with a saved model: the check that reloaded weights reproduce a run's scores. */
export async function scoreAutoencoderJob(job: ScoreAutoencoderJob): Promise<Float32Array> {
  const x = gatherRows(job, job.rows);
  if (!x) return new Float32Array(0);
  const model = await deserializeModel(job.saved);
  try {
    return await reconstructionScores(model, x, job.batchSize);
  } finally {
    model.dispose();
    x.dispose();
  }
}
