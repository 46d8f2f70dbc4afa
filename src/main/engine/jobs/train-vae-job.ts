// Worker side of a VAE training run (β-VAE, DisCo-VAE, OE-VAE): builds the rows, the model and the
// objective, trains (with the run's schedule, early stopping, per-epoch checkpoints, resumed or not),
// and scores the test rows in input and latent space.
import * as tf from '@tensorflow/tfjs-core';
import { buildVae, disposeVae, serializeVae, vaeSummary } from '../models/vae';
import { latentScores } from '../scores/latent-scores';
import { writeCheckpoint } from '../train/checkpoint';
import { fitVae, type VaeObjective } from '../train/fit-vae';
import { CHENG_DISCO_ANNEALING, CHENG_KL_ANNEALING, CHENG_OE_ANNEALING } from '../train/vae-losses';
import { withWeightsFile } from '../models/save-model';
import type { TrainResult, TrainVaeJob, WorkerMessage } from './protocol';
import { gatherRows } from './train-autoencoder-job';

const FLAT = { model: { kind: 'vae' } };


export async function trainVaeJob(job: TrainVaeJob, post: (m: WorkerMessage) => void, shouldStop: () => boolean): Promise<TrainResult> {
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor | null>(t: T): T => {
    if (t) owned.push(t);
    return t;
  };
  const train = keep(gatherRows(FLAT, job.data.train)) as tf.Tensor2D | null;
  if (!train) throw new Error('the training set is empty: no background rows in the training split');
  const validation = keep(gatherRows(FLAT, job.data.validation)) as tf.Tensor2D | null;
  const test = keep(gatherRows(FLAT, job.data.test)) as tf.Tensor2D | null;
  const vae = buildVae({ ...job.model, inputDim: train.shape[1], seed: job.seed });
  try {
    const o = job.objective;
    let objective: VaeObjective;
    if (o.kind === 'disco') {
      if (!job.mass) throw new Error('DisCo-VAE needs the mass of every training row');
      objective = {
        kind: 'disco',
        lambda: o.lambda,
        mass: keep(tf.tensor1d(job.mass.train)),
        validationMass: validation ? keep(tf.tensor1d(job.mass.validation)) : undefined,
        lambdaAnnealing: job.annealing ? CHENG_DISCO_ANNEALING : null,
      };
    } else if (o.kind === 'oe') {
      const outliers = job.outliers ? (keep(gatherRows(FLAT, job.outliers.train)) as tf.Tensor2D | null) : null;
      if (!outliers) throw new Error('OE-VAE needs outlier rows: give an outlier dataset');
      objective = {
        kind: 'oe',
        variant: o.variant,
        lambda: o.lambda,
        margin: o.margin,
        outliers,
        validationOutliers: validation ? ((keep(gatherRows(FLAT, job.outliers!.validation)) as tf.Tensor2D | null) ?? outliers) : undefined,
        lambdaAnnealing: job.annealing ? CHENG_OE_ANNEALING : null,
      };
    } else {
      objective = { kind: 'beta-vae' };
    }
    const checkpointDir = job.checkpointDir;
    const result = await fitVae(vae, train, validation, {
      epochs: job.epochs,
      batchSize: job.batchSize,
      learningRate: job.learningRate,
      seed: job.seed,
      beta: job.beta,
      klAnnealing: job.annealing ? CHENG_KL_ANNEALING : null,
      objective,
      lrSchedule: job.lrSchedule,
      earlyStopping: job.earlyStopping,
      onCheckpoint: checkpointDir ? (c) => writeCheckpoint(checkpointDir, c) : undefined,
      resumeFrom: job.resumeFrom,
      shouldStop,
      onBatch: (p) => post({ type: 'batch', epochs: job.epochs, ...p }),
      onEpoch: (r) => post({ type: 'epoch', result: r }),
    });
    let testScores: TrainResult['testScores'] = null;
    if (test && !result.stopped) {
      const s = await latentScores(vae, test, { beta: job.beta, batchSize: job.batchSize, background: train });
      testScores = { mse: s.mse, kl: s.kl, 'mu-norm': s.muNorm, mahalanobis: s.mahalanobis, 'beta-loss': s.betaLoss };
    }
    const saved = await serializeVae(vae);
    const summary = vaeSummary(vae);
    return {
      history: result.epochs,
      stopped: result.stopped,
      earlyStopEpoch: result.earlyStopEpoch ?? null,
      restoredEpoch: result.restoredEpoch ?? null,
      parameters: vae.encoder.countParams() + vae.decoder.countParams(),
      files: [
        { name: 'vae-config.json', kind: 'model-config', data: saved.config },
        { name: 'encoder.json', kind: 'model', data: withWeightsFile(saved.encoder.modelJson, 'encoder.weights.bin') },
        { name: 'encoder.weights.bin', kind: 'model-weights', data: new Uint8Array(saved.encoder.weights) },
        { name: 'decoder.json', kind: 'model', data: withWeightsFile(saved.decoder.modelJson, 'decoder.weights.bin') },
        { name: 'decoder.weights.bin', kind: 'model-weights', data: new Uint8Array(saved.decoder.weights) },
        { name: 'model-summary.json', kind: 'model-summary', data: JSON.stringify(summary, null, 1) },
      ],
      testScores,
    };
  } finally {
    disposeVae(vae);
    for (const t of owned) t.dispose();
  }
}
