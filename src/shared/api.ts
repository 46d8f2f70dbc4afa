// The one typed API contract between the UI (Electron IPC or the browser host) and the engine.
// Every request and every event is a zod schema: hosts validate at the boundary with `parseRequest`
// and the renderer gets its TypeScript types from the same source.
import { z } from 'zod';
import { INTENSITY_TRANSFORMS } from './physics/jet-image';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;
export const BackendChoice = z.union([BackendName, z.literal('auto')]);
export type BackendChoice = z.infer<typeof BackendChoice>;

export const BackendInfo = z.object({
  name: BackendName,
  /** The TF.js backend it registers as ('tensorflow' for both tfjs-node flavours). */
  tfBackend: z.string(),
  available: z.boolean(),
  device: z.string().nullable(),
  reason: z.string().nullable(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const RUN_STATUSES = ['queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  status: RunStatus,
  parentId: z.string().nullable(),
  seed: z.number().int().nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  engineVersion: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
  tags: z.array(z.string()),
  summary: z.record(z.string(), z.number()),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const MetricPoint = z.object({ key: z.string(), step: z.number().int(), value: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const Artifact = z.object({
  name: z.string(),
  kind: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type Artifact = z.infer<typeof Artifact>;

export const Note = z.object({ text: z.string(), createdAt: z.string() });
export type Note = z.infer<typeof Note>;

export const RunDetail = RunSummary.extend({
  config: z.unknown(),
  metrics: z.array(MetricPoint),
  artifacts: z.array(Artifact),
  notes: z.array(Note),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const RunFilter = z.object({
  status: RunStatus.optional(),
  kind: z.string().optional(),
  tag: z.string().optional(),
  text: z.string().optional(),
  parentId: z.string().optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});
export type RunFilter = z.infer<typeof RunFilter>;

export const SelftestConfig = z.object({
  backend: BackendChoice.default('auto'),
  seed: z.number().int().min(0).default(1),
  samples: z.number().int().min(64).max(1_000_000).default(4096),
  features: z.number().int().min(2).max(1024).default(16),
  latent: z.number().int().min(1).max(256).default(4),
  epochs: z.number().int().min(1).max(10_000).default(5),
  batchSize: z.number().int().min(1).max(65_536).default(256),
  learningRate: z.number().positive().max(1).default(1e-3),
});
export type SelftestConfig = z.infer<typeof SelftestConfig>;

/** A change to some settings: only the fields given are changed. */
export const SettingsPatch = z.object({
  backend: BackendChoice.optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  /** Compute threads; 0 means one per core. */
  threads: z.number().int().min(0).max(256).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const Settings = z.object({
  backend: SettingsPatch.shape.backend.unwrap().default('auto'),
  theme: SettingsPatch.shape.theme.unwrap().default('system'),
  threads: SettingsPatch.shape.threads.unwrap().default(0),
});
export type Settings = z.infer<typeof Settings>;

export const EngineInfo = z.object({
  version: z.string(),
  home: z.string(),
  backend: BackendChoice,
  platform: z.string(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

export const DATASET_KINDS = ['jets', 'events', 'table'] as const;
export const IMPORT_FORMATS = ['auto', 'toptag', 'adc2021', 'lhco', 'hdf5', 'csv', 'npy', 'root'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;

/** Names users type on the command line and see in tables: no path separators, no leading or trailing space. */
export const DatasetName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/\\][^/\\]*$/, 'a name may not contain / or \\ nor start with a space')
  .refine((s) => s === s.trim(), 'a name may not end with a space');

export const SplitSpec = z
  .object({
    /** Fractions of train, validation, test; they must add up to 1. */
    fractions: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]),
    seed: z.number().int().min(0),
  })
  .refine((s) => Math.abs(s.fractions[0] + s.fractions[1] + s.fractions[2] - 1) < 1e-9, 'split fractions must add up to 1');
export type SplitSpec = z.infer<typeof SplitSpec>;
export const DEFAULT_SPLIT: SplitSpec = { fractions: [0.6, 0.2, 0.2], seed: 0 };

export const DatasetInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(DATASET_KINDS),
  /** The reader that imported it (toptag, adc2021, …). */
  format: z.string(),
  sourcePath: z.string(),
  /** SHA-256 of the source file's bytes. */
  sourceHash: z.string(),
  /** SHA-256 over the stored arrays (names, shapes and data), independent of the source format. */
  contentHash: z.string(),
  rows: z.number().int(),
  /** Array name → full shape, e.g. { p4: [5000, 200, 4], labels: [5000] }. */
  shapes: z.record(z.string(), z.array(z.number().int())),
  /** Label name → rows. */
  countsByLabel: z.record(z.string(), z.number().int()),
  /** Label code → name. */
  labelNames: z.record(z.string(), z.string()),
  /** Feature names for kind 'table'. */
  columns: z.array(z.string()).nullable(),
  splits: z.object({
    fractions: z.tuple([z.number(), z.number(), z.number()]),
    seed: z.number().int(),
    /** Split → label name → rows. */
    counts: z.record(z.string(), z.record(z.string(), z.number().int())),
  }),
  /** What the reader recorded about the source (pandas format, generator stamp, …) and the import options. */
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

export const ImportParams = z.object({
  path: z.string().min(1),
  name: DatasetName,
  format: z.enum(IMPORT_FORMATS).default('auto'),
  /** Import only the first N rows. */
  limit: z.number().int().positive().optional(),
  columns: z.array(z.string().min(1)).min(1).optional(),
  labelColumn: z.string().min(1).optional(),
  label: z.string().trim().min(1).max(64).optional(),
  key: z.string().min(1).optional(),
  tree: z.string().min(1).optional(),
  masterkey: z.string().min(1).optional(),
  split: SplitSpec.default(DEFAULT_SPLIT),
});
export type ImportParams = z.input<typeof ImportParams>;

export const JET_PROCESSES = ['qcd', 'top', 'w'] as const;
export const EVENT_PROCESSES = ['sm', 'ato4l', 'lq-btau', 'h0-tautau', 'hplus-taunu'] as const;
export const MANIFOLD_SHAPES = ['circle', 'sphere', 'torus', 'double-cone'] as const;
const Rows = z.number().int().min(1).max(100_000_000);
const Seed = z.number().int().min(0).max(2 ** 32 - 1);
const Fraction = z.number().min(0).max(1);

/** What `awb generate KIND` makes; `out` is the file written. */
export const GenerateParams = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('jets'), process: z.enum(JET_PROCESSES), n: Rows, seed: Seed, out: z.string().min(1) }),
  z.object({ kind: z.literal('events'), process: z.enum(EVENT_PROCESSES), n: Rows, seed: Seed, out: z.string().min(1) }),
  z.object({
    kind: z.literal('manifold'),
    shape: z.enum(MANIFOLD_SHAPES),
    /** Ambient dimension of the sphere S^(dim−1); other shapes have fixed dimensions. */
    dim: z.number().int().min(2).max(64).optional(),
    n: Rows,
    seed: Seed,
    signalFraction: Fraction.default(0),
    /** Size of the signal patch: points within this ambient distance of the patch centre. */
    signalRadius: z.number().positive().default(0.3),
    out: z.string().min(1),
  }),
  z.object({
    kind: z.literal('phase-space'),
    particles: z.number().int().min(2).max(64),
    sqrtS: z.number().positive(),
    n: Rows,
    seed: Seed,
    signalFraction: Fraction.default(0),
    /** Resonance mass of the signal (particles 0 and 1); default √s / 4. */
    signalMass: z.number().positive().optional(),
    out: z.string().min(1),
  }),
  z.object({
    kind: z.literal('dijet'),
    n: Rows,
    seed: Seed,
    sqrtS: z.number().positive().default(13_000),
    signalFraction: Fraction.default(0.01),
    signalMass: z.number().positive().default(3_500),
    out: z.string().min(1),
  }),
]);
export type GenerateParams = z.input<typeof GenerateParams>;

export const GenerateResult = z.object({ out: z.string(), rows: z.number().int(), sha256: z.string(), countsByLabel: z.record(z.string(), z.number().int()) });
export type GenerateResult = z.infer<typeof GenerateResult>;

/**
 * Model inputs computed from a stored dataset (and cached with it). Jets: images, constituent lists,
 * observables; events: objects (AnomalyCLR), the flat 57 features, observables; tables: the features.
 */
export const RepresentationSpec = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('jet-images'),
    pixels: z.number().int().min(4).max(256).default(40),
    /** Half-width of the η and φ window after preprocessing. */
    range: z.number().positive().max(3.2).default(0.8),
    transform: z.enum(INTENSITY_TRANSFORMS).default('none'),
  }),
  z.object({
    kind: z.literal('constituents'),
    n: z.number().int().min(1).max(700).default(20),
    coords: z.enum(['p4', 'pt-deta-dphi']).default('p4'),
    /** Robust scaling (median/IQR) fitted on the training split; padding stays zero. */
    scale: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('jet-observables') }),
  z.object({ kind: z.literal('event-objects'), sinCos: z.boolean().default(false) }),
  z.object({ kind: z.literal('event-features') }),
  z.object({ kind: z.literal('event-observables') }),
  z.object({
    kind: z.literal('features'),
    scale: z.boolean().default(false),
    /** A subset of the feature columns, in this order (default: all), e.g. substructure without the dijet mass. */
    columns: z.array(z.string().min(1)).min(1).optional(),
  }),
]);
export type RepresentationSpec = z.input<typeof RepresentationSpec>;

export const RepresentationInfo = z.object({
  dataset: z.string(),
  spec: z.record(z.string(), z.unknown()),
  /** The cache folder (data.npy, spec.json). */
  folder: z.string(),
  /** Full shape of data.npy: rows first. */
  shape: z.array(z.number().int()),
  /** Names of the last axis where it has names (observables, features). */
  columns: z.array(z.string()).nullable(),
  /** What was fitted on the training split (scalers), or null. */
  fit: z.unknown(),
  /** Whether the cached copy was used. */
  cached: z.boolean(),
});
export type RepresentationInfo = z.infer<typeof RepresentationInfo>;

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
  /** DisCo / OE weight λ (defaults 100 and 2, as Cheng et al.), OE hinge margin and variant. */
  lambda: z.number().min(0).optional(),
  margin: z.number().min(0).default(1),
  oeVariant: z.enum(OE_VARIANTS).default('kl-margin'),
  /** OE: the dataset whose training rows are the exposed outliers. */
  outliers: z.string().min(1).optional(),
  /** The score behind the headline metrics (every score's AUC is recorded); default mse. */
  score: z.enum(SCORE_KINDS).default('mse'),
  /**
   * AnomalyCLR (physics.md §5): the transformer encoder trained contrastively on the background's event objects
   * (loss, τ, its own epochs, batch size and Adam rate; defaults those of the tutorial), then a dense AE
   * (`widths`, `epochs`, `batchSize`, `learningRate`) on its frozen representations. `repDim` is the model,
   * feed-forward and output width.
   */
  clrLoss: z.enum(CLR_LOSSES).default('anomclr'),
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

/** A study run as `awb study show` reports it: the study's numbers (results.json) and its child runs. */
export const StudyReport = z.object({
  id: z.string(),
  /** The study kind (train-evaluate, inverted-task, …). */
  kind: z.string(),
  name: z.string(),
  status: RunStatus,
  error: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  children: z.array(RunSummary),
});
export type StudyReport = z.infer<typeof StudyReport>;

/** Request name → [params schema, result schema]. One table drives IPC, HTTP and validation. */
export const API = {
  'engine.info': [z.object({}), EngineInfo],
  'backends.list': [z.object({}), z.array(BackendInfo)],
  'runs.list': [RunFilter, z.array(RunSummary)],
  'runs.get': [z.object({ id: z.string().min(1) }), RunDetail],
  'runs.tag': [z.object({ id: z.string().min(1), tag: z.string().trim().min(1).max(64) }), z.array(z.string())],
  'runs.untag': [z.object({ id: z.string().min(1), tag: z.string().min(1) }), z.array(z.string())],
  'runs.note': [z.object({ id: z.string().min(1), text: z.string().trim().min(1).max(20_000) }), z.array(Note)],
  'settings.get': [z.object({}), Settings],
  'settings.set': [SettingsPatch, Settings],
  'jobs.selftest': [SelftestConfig, z.object({ runId: z.string() })],
  'jobs.cancel': [z.object({ runId: z.string().min(1) }), z.object({ cancelled: z.boolean() })],
  /** Starts a training run on stored data; its test scores and metrics land in the registry. */
  'jobs.train': [TrainConfig, z.object({ runId: z.string() })],
  /** Starts a new run that continues an interrupted or cancelled training run from its last checkpoint. */
  'jobs.resume': [z.object({ runId: z.string().min(1) }), z.object({ runId: z.string() })],
  /**
   * Starts a study (the study-file schema of src/shared/study/study-file.ts, checked by the engine: it
   * builds on this table's schemas, so it cannot be part of it).
   */
  'studies.run': [z.object({ file: z.unknown() }), z.object({ runId: z.string() })],
  'studies.show': [z.object({ id: z.string().min(1) }), StudyReport],
  /** Reloads a finished training run's weights and scores its test rows again (the reload check). */
  'runs.rescore': [z.object({ id: z.string().min(1) }), RescoreResult],
  'datasets.list': [z.object({}), z.array(DatasetInfo)],
  'datasets.get': [z.object({ id: z.string().min(1) }), DatasetInfo],
  /** Starts an import; progress arrives as 'task' events, the outcome as 'task-end' (result: DatasetInfo). */
  'datasets.import': [ImportParams, z.object({ taskId: z.string() })],
  /** Starts a generator; the outcome's result is a GenerateResult. */
  'datasets.generate': [GenerateParams, z.object({ taskId: z.string() })],
  /** Computes (or finds cached) a representation; the outcome's result is a RepresentationInfo. */
  'datasets.represent': [z.object({ id: z.string().min(1), spec: RepresentationSpec }), z.object({ taskId: z.string() })],
  'tasks.cancel': [z.object({ taskId: z.string().min(1) }), z.object({ cancelled: z.boolean() })],
} as const;

export type ApiMethod = keyof typeof API;
export type ApiParams<M extends ApiMethod> = z.input<(typeof API)[M][0]>;
/** Params after validation, defaults filled in: what handlers receive. */
export type ApiValidParams<M extends ApiMethod> = z.infer<(typeof API)[M][0]>;
export type ApiResult<M extends ApiMethod> = z.infer<(typeof API)[M][1]>;

/** Progress of a running job, pushed to every subscribed UI. */
export const JobEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    runId: z.string(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    loss: z.number(),
    samplesPerSec: z.number(),
  }),
  z.object({
    type: z.literal('epoch'),
    runId: z.string(),
    epoch: z.number().int(),
    metrics: z.record(z.string(), z.number()),
  }),
  z.object({ type: z.literal('status'), runId: z.string(), status: RunStatus, error: z.string().nullable() }),
  /** Progress of a task (import, generation): `done` of `total` in `unit` during `phase`. */
  z.object({
    type: z.literal('task'),
    taskId: z.string(),
    kind: z.string(),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    unit: z.string(),
  }),
  z.object({
    type: z.literal('task-end'),
    taskId: z.string(),
    kind: z.string(),
    status: z.enum(['finished', 'failed', 'cancelled']),
    error: z.string().nullable(),
    errorCode: z.enum(['bad-request', 'not-found', 'conflict', 'internal']).nullable(),
    result: z.unknown(),
  }),
]);
export type JobEvent = z.infer<typeof JobEvent>;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-request' | 'not-found' | 'conflict' | 'internal' = 'internal',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API, name);
}

/** Validates an incoming request at a host boundary; throws ApiError('bad-request') naming the field. */
export function parseRequest<M extends ApiMethod>(method: unknown, params: unknown): { method: M; params: ApiValidParams<M> } {
  if (!isApiMethod(method)) throw new ApiError(`unknown API method ${JSON.stringify(method)}`, 'bad-request');
  const r = API[method][0].safeParse(params ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ApiError(`${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`, 'bad-request');
  }
  return { method: method as M, params: r.data as ApiValidParams<M> };
}

/** What every host (Electron preload, browser HTTP client) offers the renderer. */
export interface EngineHost {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  onEvent(listener: (e: JobEvent) => void): () => void;
}

export type ApiErrorCode = ApiError['code'];

/** How a host carries a call's outcome over IPC or HTTP: a thrown error would lose its code on the way. */
export type ApiReply<T = unknown> = { ok: true; result: T } | { ok: false; error: { message: string; code: ApiErrorCode } };

/** `window.awb`, the Electron preload bridge. Replies carry errors as values: the bridge would strip a thrown error's code. */
export interface AwbBridge {
  call(method: string, params: unknown): Promise<ApiReply>;
  onEvent(listener: (e: JobEvent) => void): () => void;
}
