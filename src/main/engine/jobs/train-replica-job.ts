// Worker side of one data-parallel replica: loads the shared initial model and examples and runs
// the training loop as its rank; only rank 0's progress is posted and only rank 0 can be cancelled.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { deserializeModel } from '../models/save-model';
import { GradientReducer } from '../train/data-parallel';
import { fitAutoencoder } from '../train/fit-autoencoder';
import type { TrainReplicaJob, WorkerMessage } from './protocol';

export async function trainReplicaJob(job: TrainReplicaJob, post: (m: WorkerMessage) => void, shouldStop: () => boolean): Promise<null> {
  const reducer = new GradientReducer(job.reduceBuffer, job.rank, job.count);
  let model: LayersModel | null = null;
  let train: tf.Tensor | null = null;
  try {
    model = await deserializeModel(job.model);
    train = tf.tensor(new Float32Array(job.data), job.shape, 'float32');
    const lead = job.rank === 0;
    await fitAutoencoder(model, train, null, {
      epochs: job.epochs,
      batchSize: job.batchSize,
      learningRate: job.learningRate,
      seed: job.seed,
      resumeFrom: job.resumeFrom,
      replica: reducer,
      shouldStop,
      onBatch: lead ? (p) => post({ type: 'batch', epochs: job.epochs, ...p }) : undefined,
    });
    return null;
  } catch (err) {
    reducer.abort();
    throw err;
  } finally {
    model?.dispose();
    train?.dispose();
  }
}
