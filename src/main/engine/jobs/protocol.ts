// Messages between the engine (main thread) and its compute worker threads. All TF.js work runs in
// a worker so the caller's event loop (UI host, CLI progress) never stalls.
import type { BackendChoice, BackendInfo, BackendName, DatasetInfo, GenerateResult, ImportFormat, SplitSpec } from '@shared/api';
import type { RepresentationEntry } from '../represent/represent-dataset';
import type { Representation } from '../represent/representation';
import type { GenerateSpec } from '../data/generate-file';
import type { ImportOptions } from '../data/source';
import type { StagedDataset } from '../data/store/write-dataset';
import type { DenseActivation } from '../models/dense-autoencoder';
import type { GaussianLatentSpec } from '../data/gaussian-latent';
import type { EpochResult } from '../train/fit-autoencoder';

export interface DenseAutoencoderSpec {
  kind: 'dense-ae';
  widths: number[];
  activation: DenseActivation;
}

export interface TrainAutoencoderJob {
  kind: 'train-autoencoder';
  backend: BackendChoice;
  /** Compute threads for backends that take a count (wasm/XNNPACK). */
  threads: number;
  model: DenseAutoencoderSpec;
  data: { kind: 'gaussian-latent' } & GaussianLatentSpec;
  /** Fraction of the examples held out for the validation loss. */
  validationFraction: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
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
}

export type WorkerJob = TrainAutoencoderJob | ProbeBackendsJob | TrainReplicaJob | ImportDatasetJob | GenerateDatasetJob | RepresentDatasetJob;

/** TF.js model artefacts in the format `tf.loadLayersModel` reads (model.json + one weights file). */
export interface SavedModel {
  modelJson: string;
  weights: ArrayBuffer;
  parameters: number;
}

export interface TrainAutoencoderResult {
  history: EpochResult[];
  stopped: boolean;
  model: SavedModel;
}

export type WorkerResult<J extends WorkerJob> = J extends TrainAutoencoderJob
  ? TrainAutoencoderResult
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
            : never;

/** Worker → main. */
export type WorkerMessage =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerSec: number }
  | { type: 'epoch'; result: EpochResult }
  | { type: 'progress'; phase: string; done: number; total: number; unit: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string };

/** Main → worker: the job plus a shared flag the worker polls between batches to stop early. */
export interface WorkerStart {
  job: WorkerJob;
  cancelFlag: SharedArrayBuffer;
}
