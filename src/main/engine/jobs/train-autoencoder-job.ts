// Worker side of an autoencoder training run: builds the data and the model on the resolved
// backend, trains, and hands back the history and the serialised weights.
import * as tf from '@tensorflow/tfjs-core';
import { gaussianLatentData } from '../data/gaussian-latent';
import { denseAutoencoder } from '../models/dense-autoencoder';
import { serializeModel } from '../models/save-model';
import { fitAutoencoder } from '../train/fit-autoencoder';
import type { TrainAutoencoderJob, TrainAutoencoderResult, WorkerMessage } from './protocol';

export async function trainAutoencoderJob(
  job: TrainAutoencoderJob,
  post: (m: WorkerMessage) => void,
  shouldStop: () => boolean,
): Promise<TrainAutoencoderResult> {
  const { samples, features } = job.data;
  const nVal = Math.round(samples * job.validationFraction);
  if (samples - nVal < 1) throw new Error(`validation fraction ${job.validationFraction} leaves no training examples`);
  const all = tf.tensor2d(gaussianLatentData(job.data), [samples, features]);
  const [train, val] = tf.split(all, [samples - nVal, nVal]);
  all.dispose();
  const model = denseAutoencoder({ inputDim: features, widths: job.model.widths, activation: job.model.activation, seed: job.seed });
  try {
    const fit = await fitAutoencoder(model, train, nVal > 0 ? val : null, {
      epochs: job.epochs,
      batchSize: job.batchSize,
      learningRate: job.learningRate,
      seed: job.seed,
      shouldStop,
      onBatch: (p) => post({ type: 'batch', epochs: job.epochs, ...p }),
      onEpoch: (result) => post({ type: 'epoch', result }),
    });
    const saved = await serializeModel(model);
    return { history: fit.epochs, stopped: fit.stopped, model: { ...saved, parameters: model.countParams() } };
  } finally {
    model.dispose();
    train.dispose();
    val.dispose();
  }
}
