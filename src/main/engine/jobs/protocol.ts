// Messages between the engine (main thread) and its compute worker threads. All TF.js work runs in
// a worker so the caller's event loop (UI host, CLI progress) never stalls.
import type { BackendChoice, BackendInfo, BackendName, DatasetInfo, GenerateResult, ImportFormat, SplitSpec } from '@shared/api';
import type { RepresentationEntry } from '../represent/represent-dataset';
import type { Representation } from '../represent/representation';
import type { GenerateSpec } from '../data/generate-file';
import type { ImportOptions } from '../data/source';
import type { StagedDataset } from '../data/store/write-dataset';
import type { DenseActivation } from '../models/dense-autoencoder';
import type { TransformerEncoderConfig } from '../models/transformer-encoder';
import type { EventObjectScaling } from '../represent/event-objects';
import type { AnomalousAugmentation } from '@shared/api';
import type { ContrastiveLossName } from '../train/contrastive-losses';
import type { GaussianLatentSpec } from '../data/gaussian-latent';
import type { TrainingCheckpoint } from '../train/checkpoint';
import type { EarlyStoppingSpec } from '../train/early-stopping';
import type { EpochResult } from '../train/fit-autoencoder';
import type { LrSchedule } from '../train/lr-schedule';
import type { OeVariant } from '../train/vae-losses';
import type { VaeActivation } from '../models/vae';

export interface DenseAutoencoderSpec {
  kind: 'dense-ae';
  widths: number[];
  activation: DenseActivation;
}

export interface ConvAutoencoderSpec {
  kind: 'conv-ae';
  /** Side of the square one-channel images. */
  imageSize: number;
  kernelSize: number;
  bottleneck: number;
}

/** Rows of stored arrays (representation caches, data.npy) to train, validate and score on, in order. */
export interface RowSource {
  path: string;
  rows: number[];
}

export interface StoredTrainingData {
  kind: 'stored';
  train: RowSource[];
  validation: RowSource[];
  /** Scored after training (per-example reconstruction error), in this order. */
  test: RowSource[];
}

/** How a training job trains: the loop's settings, shared by every model's job. */
export interface TrainingControl {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  lrSchedule?: LrSchedule;
  /** On the validation loss; the best epoch's weights are put back. */
  earlyStopping?: EarlyStoppingSpec;
  /** Where the worker writes a checkpoint after every epoch (the run's artifact folder). */
  checkpointDir?: string;
  /** Continue an interrupted run from its last checkpoint (one written by a run of the same kind). */
  resumeFrom?: TrainingCheckpoint;
}

/** The file beside a run's checkpoint that holds its latent snapshots so far (a resumed run continues from them). */
export const SNAPSHOTS_SO_FAR = 'latent-snapshots.partial.npy';

export interface TrainAutoencoderJob extends TrainingControl {
  kind: 'train-autoencoder';
  backend: BackendChoice;
  /** Compute threads for backends that take a count (wasm/XNNPACK). */
  threads: number;
  model: DenseAutoencoderSpec | ConvAutoencoderSpec;
  data: ({ kind: 'gaussian-latent' } & GaussianLatentSpec) | StoredTrainingData;
  /** Fraction of generated examples held out for the validation loss (stored data brings its own split). */
  validationFraction: number;
  /** Semi-supervised training: labelled outlier rows paired with the batches (train/ae-outlier-loss.ts); one replica. */
  outliers?: { train: RowSource[]; lambda: number; margin: number };
  /**
   * Record the bottleneck's output for these rows before training and after every epoch (`latent-snapshots.npy`).
   * `previous`: the snapshots file of the run this one resumes.
   */
  latentSnapshots?: { rows: RowSource[]; previous?: string };
  /**
   * Per test row its class, 0 background, 1 signal or −1 unlabelled (in neither mean): the class means of the
   * inputs and reconstructions are recorded as `mean-input.npy` / `mean-reconstruction.npy`, float32 (2, ...imageShape).
   */
  meanImages?: { classes: number[]; imageShape: number[] };
}

export interface ProbeBackendsJob {
  kind: 'probe-backends';
  /** The threads setting: CPU backends train with this many data-parallel replicas. */
  threads: number;
}

/** What every replica of a data-parallel training run starts from. */
export interface ReplicaGroupSpec {
  /** A resolved backend: all replicas must compute alike. Each replica runs it on one thread. */
  backend: BackendName;
  count: number;
  /** The all-reduce memory (train/data-parallel.ts, createReduceBuffer). */
  reduceBuffer: SharedArrayBuffer;
  /** The initial model, as serializeModel writes it. */
  model: { modelJson: string; weights: ArrayBuffer };
  /** The training examples as float32, shared read-only, in the layout `shape`. */
  data: SharedArrayBuffer;
  shape: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Every replica resumes from the same checkpoint as rank 0. */
  resumeFrom?: TrainingCheckpoint;
}

/** One replica of a data-parallel training run; rank 0 posts the batch progress. */
export interface TrainReplicaJob extends ReplicaGroupSpec {
  kind: 'train-replica';
  rank: number;
}

/** Reads a file with its format's reader into a staging folder of the dataset store. */
export interface ImportDatasetJob {
  kind: 'import-dataset';
  path: string;
  format: ImportFormat;
  options: ImportOptions;
  limit?: number;
  split: SplitSpec;
  chunkRows: number;
  staging: string;
}

/** Runs a built-in generator and writes its file. */
export interface GenerateDatasetJob {
  kind: 'generate-dataset';
  spec: GenerateSpec;
}

/** Computes a representation of a stored dataset into a staging folder of its cache. */
export interface RepresentDatasetJob {
  kind: 'represent-dataset';
  home: string;
  info: DatasetInfo;
  spec: Representation;
  folder: string;
  chunkRows: number;
  /** A fit made on another dataset, applied instead of fitting on this one. */
  given?: { fit: unknown; from: string };
}

/** Scores rows with a saved autoencoder (the reload check of a finished run). */
export interface ScoreAutoencoderJob {
  kind: 'score-autoencoder';
  backend: BackendChoice;
  model: TrainAutoencoderJob['model'];
  saved: { modelJson: string; weights: ArrayBuffer };
  rows: RowSource[];
  batchSize: number;
}

export type WorkerJob =
  | TrainAutoencoderJob
  | TrainVaeJob
  | TrainAnomalyClrJob
  | ProbeBackendsJob
  | TrainReplicaJob
  | ImportDatasetJob
  | GenerateDatasetJob
  | RepresentDatasetJob
  | ScoreAutoencoderJob;

/** TF.js model artefacts in the format `tf.loadLayersModel` reads (model.json + one weights file). */
export interface SavedModel {
  modelJson: string;
  weights: ArrayBuffer;
  parameters: number;
}

/** A file a training job hands back for the run's artifacts. */
export interface RunFile {
  name: string;
  kind: string;
  data: Uint8Array | string;
}

export interface TrainResult {
  history: EpochResult[];
  stopped: boolean;
  /** Early stopping: the epoch training stopped after, and the epoch whose weights were restored. */
  earlyStopEpoch: number | null;
  restoredEpoch: number | null;
  parameters: number;
  /** The trained model (TF.js layers format plus its config) and anything else worth keeping. */
  files: RunFile[];
  /** Per-example anomaly scores of the stored data's test rows, in order, by score name; null for generated data. */
  testScores: Record<string, Float32Array> | null;
  /** Further numbers for the run's summary (e.g. the parameters of each part of a two-stage model). */
  summary?: Record<string, number>;
}

/** A β-VAE, DisCo-VAE or OE-VAE (Cheng et al., physics.md §3) trained on stored rows. */
export interface TrainVaeJob extends TrainingControl {
  kind: 'train-vae';
  backend: BackendChoice;
  model: { kind: 'vae'; hiddenWidths: number[]; latentDim: number; activation: VaeActivation };
  data: StoredTrainingData;
  objective: { kind: 'beta-vae' } | { kind: 'disco'; lambda: number } | { kind: 'oe'; variant: OeVariant; lambda: number; margin: number };
  /** DisCo: the mass of every training and validation row, in the order of `data`. */
  mass?: { train: number[]; validation: number[] };
  /** OE: rows of the outlier sample paired with the training and validation batches. */
  outliers?: { train: RowSource[]; validation: RowSource[] };
  beta: number;
  /** Cheng's cyclic KL annealing (and λ annealing for DisCo and OE). */
  annealing: boolean;
}

/** Rows of an event-objects representation (N, 19, 7) and the scaling that representation was made with. */
export interface ObjectRowSource extends RowSource {
  scaling: EventObjectScaling;
}

/**
 * AnomalyCLR (physics.md §5): the transformer encoder trained contrastively on the training events, then a
 * dense autoencoder on its frozen representations, scored by reconstruction MSE on the test events.
 */
/** The autoencoder stage's training; the contrastive stage keeps no checkpoint, so there is no resume. */
export interface TrainAnomalyClrJob extends Omit<TrainingControl, 'checkpointDir' | 'resumeFrom'> {
  kind: 'train-anomalyclr';
  backend: BackendChoice;
  /** Compute threads for backends that take a count (wasm/XNNPACK); one replica trains. */
  threads: number;
  /** Every source is brought to `scaling` (the background's) before use; rows made with the background's fit already are. */
  data: { train: ObjectRowSource[]; validation: ObjectRowSource[]; test: ObjectRowSource[] };
  scaling: EventObjectScaling;
  /** inputDim 7, or 8 for (sin φ, cos φ) in place of φ' (made from the 7-feature lists after the augmentations). */
  encoder: Omit<TransformerEncoderConfig, 'seed'>;
  contrastive: {
    loss: ContrastiveLossName;
    temperature: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    /** The anomalous augmentations the negative views draw from (physics.md §5.4 names). */
    anomalous: AnomalousAugmentation[];
  };
  autoencoder: DenseAutoencoderSpec;
}

export type WorkerResult<J extends WorkerJob> = J extends TrainAutoencoderJob | TrainVaeJob | TrainAnomalyClrJob
  ? TrainResult
  : J extends ProbeBackendsJob
    ? BackendInfo[]
    : J extends TrainReplicaJob
      ? null
      : J extends ImportDatasetJob
        ? StagedDataset
        : J extends GenerateDatasetJob
          ? GenerateResult
          : J extends RepresentDatasetJob
            ? RepresentationEntry
            : J extends ScoreAutoencoderJob
              ? Float32Array
              : never;

/** Worker → main. */
export type WorkerMessage =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerSec: number }
  | { type: 'epoch'; result: EpochResult }
  /** An epoch of a contrastive (representation) stage before the model whose epochs are 'epoch' messages. */
  | { type: 'contrastive-epoch'; epoch: number; loss: number; valLoss: number | null; samplesPerSec: number; seconds: number }
  | { type: 'progress'; phase: string; done: number; total: number; unit: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string };

/** Main → worker: the job plus a shared flag the worker polls between batches to stop early. */
export interface WorkerStart {
  job: WorkerJob;
  cancelFlag: SharedArrayBuffer;
}
