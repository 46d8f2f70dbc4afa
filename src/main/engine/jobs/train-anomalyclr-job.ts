// Worker side of an AnomalyCLR run (physics.md §5): train the transformer encoder contrastively on the background's
// training events, map training, validation and test events through the frozen encoder, train the dense
// autoencoder on the training representations, and score the test events by its reconstruction MSE.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { NpyRowReader } from '../data/store/npy-stream';
import { denseAutoencoder } from '../models/dense-autoencoder';
import { modelSummary, serializeModel, withWeightsFile } from '../models/save-model';
import { transformerEncoder } from '../models/transformer-encoder';
import type { EventObjectScaling } from '../represent/event-objects';
import { reconstructionScores } from '../scores/reconstruction-scores';
import { computeRepresentations, evaluateContrastiveLoss, fitContrastive, type ContrastiveEpoch, type ContrastiveViews } from '../train/fit-contrastive';
import { fitAutoencoder } from '../train/fit-autoencoder';
import type { ObjectRowSource, TrainAnomalyClrJob, TrainResult, WorkerMessage } from './protocol';

const OBJECT_ROW = [19, 7];

interface Events {
  objects: Float32Array;
  n: number;
}

/**
 * The rows of every source as one (n, 19, 7) list in the target scaling. The features are pT/ptScale, η/etaScale,
 * φ/phiScale and a one-hot type, so a change of scaling is a factor on each of the first three.
 */
function gatherEvents(sources: ObjectRowSource[], target: EventObjectScaling): Events {
  const parts: Float32Array[] = [];
  for (const s of sources) {
    if (s.rows.length === 0) continue;
    const reader = new NpyRowReader(s.path);
    try {
      if (reader.rowShape.join() !== OBJECT_ROW.join()) throw new Error(`${s.path}: AnomalyCLR needs event objects of shape (19, 7), the rows are (${reader.rowShape.join(', ')})`);
      const part = reader.gather(s.rows) as Float32Array;
      const factors = [s.scaling.ptScale / target.ptScale, s.scaling.etaScale / target.etaScale, s.scaling.phiScale / target.phiScale];
      for (let k = 0; k < part.length; k += OBJECT_ROW[1]) for (let f = 0; f < 3; f++) part[k + f] *= factors[f];
      parts.push(part);
    } finally {
      reader.close();
    }
  }
  const objects = new Float32Array(parts.reduce((k, p) => k + p.length, 0));
  let at = 0;
  for (const p of parts) {
    objects.set(p, at);
    at += p.length;
  }
  return { objects, n: objects.length / (OBJECT_ROW[0] * OBJECT_ROW[1]) };
}

/** Trains the encoder, posting one 'contrastive-epoch' message per epoch with the validation loss where there are ≥ 2 validation events. */
async function trainEncoder(
  job: TrainAnomalyClrJob,
  encoder: LayersModel,
  train: Events,
  validation: Events,
  post: (m: WorkerMessage) => void,
  shouldStop: () => boolean,
): Promise<{ epochs: (ContrastiveEpoch & { valLoss: number | null })[]; stopped: boolean }> {
  const c = job.contrastive;
  const views: ContrastiveViews = {
    loss: c.loss,
    temperature: c.temperature,
    batchSize: c.batchSize,
    seed: job.seed,
    scaling: job.scaling,
    anomalous: { addObjects: c.anomalous.includes('ao'), splitObjects: c.anomalous.includes('aowcpm'), shiftMetOrPt: c.anomalous.includes('spm') },
  };
  const history: (ContrastiveEpoch & { valLoss: number | null })[] = [];
  let epochStart = performance.now();
  const result = await fitContrastive(encoder, train.objects, train.n, {
    ...views,
    epochs: c.epochs,
    learningRate: c.learningRate,
    shouldStop,
    onBatch: (p) => {
      if (p.batch === 1) epochStart = performance.now();
      const seen = Math.min(p.batch * c.batchSize, train.n);
      post({ type: 'batch', epochs: c.epochs, ...p, samplesPerSec: seen / Math.max((performance.now() - epochStart) / 1000, 1e-9) });
    },
    onEpoch: async (e) => {
      // Augmentations of the validation events drawn from one fixed seed, so the epochs compare alike.
      const valLoss = validation.n >= 2 ? await evaluateContrastiveLoss(encoder, validation.objects, validation.n, { ...views, seed: job.seed + 1 }) : null;
      history.push({ ...e, valLoss });
      post({ type: 'contrastive-epoch', epoch: e.epoch, loss: e.trainLoss, valLoss, samplesPerSec: train.n / e.seconds, seconds: e.seconds });
    },
  });
  return { epochs: history, stopped: result.stopped };
}


async function modelFiles(model: LayersModel, name: string): Promise<TrainResult['files']> {
  const saved = await serializeModel(model);
  return [
    { name: `${name}.json`, kind: 'model', data: withWeightsFile(saved.modelJson, `${name}.weights.bin`) },
    { name: `${name}.weights.bin`, kind: 'model-weights', data: new Uint8Array(saved.weights) },
  ];
}

export async function trainAnomalyClrJob(job: TrainAnomalyClrJob, post: (m: WorkerMessage) => void, shouldStop: () => boolean): Promise<TrainResult> {
  const train = gatherEvents(job.data.train, job.scaling);
  if (train.n < 2) throw new Error(`AnomalyCLR needs at least 2 background events in the training split, got ${train.n}`);
  const validation = gatherEvents(job.data.validation, job.scaling);
  const test = gatherEvents(job.data.test, job.scaling);
  const encoder = transformerEncoder({ ...job.encoder, seed: job.seed });
  let autoencoder: LayersModel | null = null;
  const tensors: tf.Tensor[] = [];
  try {
    const clr = await trainEncoder(job, encoder, train, validation, post, shouldStop);
    const encoderParameters = encoder.countParams();
    if (clr.stopped) return { history: [], stopped: true, earlyStopEpoch: null, restoredEpoch: null, parameters: encoderParameters, files: [], testScores: null };
    // Called for non-empty sets only.
    const represent = async (e: Events) => {
      const reps = await computeRepresentations(encoder, e.objects, e.n, job.scaling, job.batchSize);
      const t = tf.tensor2d(reps, [e.n, reps.length / e.n]);
      tensors.push(t);
      return t;
    };
    const trainRep = await represent(train);
    const validationRep = validation.n > 0 ? await represent(validation) : null;
    const testRep = test.n > 0 ? await represent(test) : null;
    autoencoder = denseAutoencoder({ inputDim: trainRep.shape[1], widths: job.autoencoder.widths, activation: job.autoencoder.activation, seed: job.seed });
    const ae = await fitAutoencoder(autoencoder, trainRep, validationRep, {
      epochs: job.epochs,
      batchSize: job.batchSize,
      learningRate: job.learningRate,
      seed: job.seed,
      lrSchedule: job.lrSchedule,
      earlyStopping: job.earlyStopping,
      shouldStop,
      onBatch: (p) => post({ type: 'batch', epochs: job.epochs, ...p }),
      onEpoch: (result) => post({ type: 'epoch', result }),
    });
    const testScores = testRep && !ae.stopped ? { mse: await reconstructionScores(autoencoder, testRep, job.batchSize) } : null;
    const autoencoderParameters = autoencoder.countParams();
    const last = clr.epochs[clr.epochs.length - 1];
    const summary: Record<string, number> = { encoder_parameters: encoderParameters, autoencoder_parameters: autoencoderParameters, clr_epochs: clr.epochs.length };
    if (last) summary.final_clr_loss = last.trainLoss;
    if (last?.valLoss != null) summary.final_clr_val_loss = last.valLoss;
    const config = { encoder: job.encoder, contrastive: job.contrastive, scaling: job.scaling, autoencoder: job.autoencoder, seed: job.seed };
    return {
      history: ae.epochs,
      stopped: ae.stopped,
      earlyStopEpoch: ae.earlyStopEpoch ?? null,
      restoredEpoch: ae.restoredEpoch ?? null,
      parameters: encoderParameters + autoencoderParameters,
      files: [
        { name: 'anomalyclr-config.json', kind: 'model-config', data: JSON.stringify(config, null, 1) },
        ...(await modelFiles(encoder, 'encoder')),
        ...(await modelFiles(autoencoder, 'autoencoder')),
        { name: 'model-summary.json', kind: 'model-summary', data: JSON.stringify({ encoder: modelSummary(encoder), autoencoder: modelSummary(autoencoder) }, null, 1) },
        { name: 'contrastive-history.json', kind: 'history', data: JSON.stringify(clr.epochs, null, 1) },
      ],
      testScores,
      summary,
    };
  } finally {
    encoder.dispose();
    autoencoder?.dispose();
    for (const t of tensors) t.dispose();
  }
}
