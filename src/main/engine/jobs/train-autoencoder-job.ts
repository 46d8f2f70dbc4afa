// Worker side of an autoencoder training run: builds the data and the model on the resolved
// backend, trains, and hands back the history and the serialised weights.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '@shared/api';
import { gaussianLatentData } from '../data/gaussian-latent';
import { denseAutoencoder } from '../models/dense-autoencoder';
import { serializeModel } from '../models/save-model';
import { DataParallelAbort, GradientReducer } from '../train/data-parallel';
import { fitAutoencoder, type FitResult } from '../train/fit-autoencoder';
import type { TrainAutoencoderJob, TrainAutoencoderResult, WorkerMessage } from './protocol';
import { replicaGroupSpec, startReplicas } from './replica-pool';

export async function trainAutoencoderJob(
  job: TrainAutoencoderJob,
  backend: BackendName,
  replicas: number,
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
    const fitSpec = { epochs: job.epochs, batchSize: job.batchSize, learningRate: job.learningRate, seed: job.seed };
    const fit = (reducer?: GradientReducer) =>
      fitAutoencoder(model, train, nVal > 0 ? val : null, {
        ...fitSpec,
        replica: reducer,
        shouldStop,
        onBatch: (p) => post({ type: 'batch', epochs: job.epochs, ...p }),
        onEpoch: (result) => post({ type: 'epoch', result }),
      });
    let result: FitResult;
    if (replicas > 1) {
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
    const saved = await serializeModel(model);
    return { history: result.epochs, stopped: result.stopped, model: { ...saved, parameters: model.countParams() } };
  } finally {
    model.dispose();
    train.dispose();
    val.dispose();
  }
}
