// Training: what `awb train`, the API and study files take to train and score a model.
import { z } from 'zod';
import { BackendChoice } from './backends';
import { RepresentationSpec } from './datasets';

/** Learning-rate schedules: PyTorch StepLR / MultiStepLR steps, Keras ReduceLROnPlateau on the validation loss. */
export const LrScheduleSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('step-every'), factor: z.number().positive().max(1), every: z.number().int().min(1) }),
  z.object({ kind: z.literal('step-at'), factor: z.number().positive().max(1), epochs: z.array(z.number().int().min(1)).min(1) }),
  z.object({
    kind: z.literal('plateau'),
    factor: z.number().positive().lt(1),
    patience: z.number().int().min(0),
    minDelta: z.number().min(0).optional(),
    minLr: z.number().min(0).optional(),
    cooldown: z.number().int().min(0).optional(),
  }),
]);

/** Keras EarlyStopping on the validation loss, restoring the best weights by default. */
export const EarlyStoppingSpec = z.object({
  patience: z.number().int().min(0),
  minDelta: z.number().min(0).optional(),
  restoreBestWeights: z.boolean().optional(),
});

export const MODEL_KINDS = ['conv-ae', 'dense-ae', 'vae', 'anomalyclr'] as const;
/** Training objectives of the VAE (Cheng et al.): plain β-VAE, mass-decorrelated DisCo-VAE, outlier-exposed OE-VAE. */
export const VAE_OBJECTIVES = ['beta-vae', 'disco', 'oe'] as const;
export const OE_VARIANTS = ['mse-margin', 'mse-sigmoid', 'kl-margin'] as const;
/** Per-example anomaly scores: reconstruction error, and for VAEs the latent-space scores and the β-VAE loss. */
export const SCORE_KINDS = ['mse', 'kl', 'mu-norm', 'mahalanobis', 'beta-loss'] as const;
export const ACTIVATIONS = ['relu', 'leaky-relu', 'prelu', 'elu', 'tanh', 'linear'] as const;
/** AnomalyCLR's contrastive losses (physics.md §5.3): SimCLR-like, AnomalyCLR, AnomalyCLR without the denominator. */
export const CLR_LOSSES = ['clr', 'anomclr', 'anomclr+'] as const;
/** AnomalyCLR's anomalous augmentations (physics.md §5.4): add objects, collinear splitting, shift MET or pT. */
export const ANOMALOUS_AUGMENTATIONS = ['ao', 'aowcpm', 'spm'] as const;
export type AnomalousAugmentation = (typeof ANOMALOUS_AUGMENTATIONS)[number];
/** What training does with rows without a label (code −1, e.g. a black box). */
export const UNLABELLED_ROLES = ['skip', 'background'] as const;

/**
 * Train a model on the background of a stored dataset and score its test split: background = rows of
 * `dataset` with label code 0, signal = its rows with code ≥ 1 plus the signal rows of the `signal`
 * datasets. A dataset of one class plays the role it is given (a top-only `dataset` is all background:
 * the inverted task). Training uses the training split of the background, the validation loss its
 * validation split, and the scores the test splits of both.
 */
export const TrainConfig = z.object({
  dataset: z.string().min(1),
  signal: z.array(z.string().min(1)).default([]),
  model: z.enum(MODEL_KINDS),
  /** Default: jet images for conv-ae; event objects for anomalyclr; for dense-ae constituents (jets), the 57 event features (events) or scaled features (tables). */
  representation: RepresentationSpec.optional(),
  /**
   * Encoder widths: for dense-ae and anomalyclr's autoencoder the last is the bottleneck (default the AnomalyCLR
   * baseline 256-128-64-32-16-5); for vae the hidden layers before the latent heads (default 256-128-64).
   */
  widths: z.array(z.number().int().min(1).max(4096)).min(1).optional(),
  /** Default leaky-relu for dense-ae and anomalyclr, relu for vae (which takes relu, elu, tanh or linear). */
  activation: z.enum(ACTIVATIONS).optional(),
  /** VAE: latent dimension, objective, β of MSE + β·KL, Cheng's cyclic annealing of the KL (and λ) weight. */
  latent: z.number().int().min(1).max(512).default(10),
  objective: z.enum(VAE_OBJECTIVES).default('beta-vae'),
  beta: z.number().min(0).default(0.1),
  annealing: z.boolean().default(false),
  /**
   * DisCo / OE weight λ (defaults 100 and 2, as Cheng et al.), OE hinge margin and variant. For conv-ae and
   * dense-ae with `outliers` (semi-supervised training), the loss is MSE(background) + λ·mean max(0, margin·MSĒ −
   * MSE(outlier)) with MSĒ the batch's mean background error (so the margin has no units); λ defaults to 1.
   */
  lambda: z.number().min(0).optional(),
  margin: z.number().min(0).default(1),
  oeVariant: z.enum(OE_VARIANTS).default('kl-margin'),
  /** OE-VAE and semi-supervised AEs: the dataset whose training rows are the exposed outliers (labelled anomalies). */
  outliers: z.string().min(1).optional(),
  /** Use at most this many outlier rows (the first ones of the outlier dataset's training split): how many labelled anomalies there are. */
  maxOutliers: z.number().int().positive().optional(),
  /** Rows without a label: left out ('skip'), or trained on as background and scored ('background'; metrics use labelled rows only). */
  unlabelled: z.enum(UNLABELLED_ROLES).default('skip'),
  /** conv-ae / dense-ae: record the bottleneck's output for this many training rows before training and after every epoch. */
  latentSnapshots: z.number().int().min(0).max(5000).default(0),
  /** The score behind the headline metrics (every score's AUC is recorded); default mse. */
  score: z.enum(SCORE_KINDS).default('mse'),
  /**
   * AnomalyCLR (physics.md §5): the transformer encoder trained contrastively on the background's event objects
   * (loss, τ, its own epochs, batch size and Adam rate; defaults those of the tutorial), then a dense AE
   * (`widths`, `epochs`, `batchSize`, `learningRate`) on its frozen representations. `repDim` is the model,
   * feed-forward and output width.
   */
  clrLoss: z.enum(CLR_LOSSES).default('anomclr'),
  /** The anomalous augmentations anomclr and anomclr+ draw from (each event gets one, chosen uniformly). */
  anomalousAugs: z.array(z.enum(ANOMALOUS_AUGMENTATIONS)).min(1).default(['ao', 'aowcpm']),
  temperature: z.number().positive().default(0.1),
  clrEpochs: z.number().int().min(1).max(10_000).default(100),
  clrBatchSize: z.number().int().min(2).max(65_536).default(128),
  clrLearningRate: z.number().positive().max(1).default(5e-5),
  repDim: z.number().int().min(1).max(4096).default(136),
  layers: z.number().int().min(1).max(64).default(4),
  heads: z.number().int().min(1).max(64).default(4),
  headLayers: z.number().int().min(0).max(16).default(2),
  dropout: z.number().min(0).lt(1).default(0.1),
  /** Conv AE bottleneck width and kernel size (physics.md §2). */
  bottleneck: z.number().int().min(1).max(1024).default(32),
  kernelSize: z.number().int().min(1).max(9).default(3),
  epochs: z.number().int().min(1).max(10_000).default(10),
  batchSize: z.number().int().min(1).max(65_536).default(256),
  learningRate: z.number().positive().max(1).default(1e-3),
  seed: z.number().int().min(0).default(1),
  backend: BackendChoice.default('auto'),
  /** Use at most this many training rows (the first ones of the training split). */
  maxTrain: z.number().int().positive().optional(),
  lrSchedule: LrScheduleSpec.optional(),
  earlyStopping: EarlyStoppingSpec.optional(),
  /** Continue this interrupted or cancelled training run from its last checkpoint (same data and settings). */
  resumeFrom: z.string().min(1).optional(),
});
export type TrainConfig = z.input<typeof TrainConfig>;

export const RescoreResult = z.object({
  runId: z.string(),
  backend: z.string(),
  /** Test rows scored again. */
  scores: z.number().int(),
  /** Largest |new − stored| score: 0 when the reloaded weights reproduce the run exactly. */
  maxAbsDifference: z.number(),
});
export type RescoreResult = z.infer<typeof RescoreResult>;
