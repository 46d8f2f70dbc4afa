// The one typed API contract between the UI (Electron IPC or the browser host) and the engine.
// Every request and every event is a zod schema: hosts validate at the boundary with `parseRequest`
// and the renderer gets its TypeScript types from the same source.
import { z } from 'zod';

export * from './schemas/backends';
export * from './schemas/datasets';
export * from './schemas/data-views';
export * from './schemas/training';
export * from './schemas/dialogs';
export * from './schemas/run-views';
export * from './schemas/export';
import { BackendChoice, BackendInfo } from './schemas/backends';
import type { PickFileOptions } from './schemas/dialogs';
import { DatasetInfo, GenerateParams, ImportParams, RepresentationSpec } from './schemas/datasets';
import { DatasetSummary, FileInspection, FileListing, FileListParams, InspectParams } from './schemas/data-views';
import { RescoreResult, TrainConfig } from './schemas/training';
import { RunCurves } from './schemas/run-views';
import { ExportParams } from './schemas/export';
import { StudyFile } from './study/study-file';

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

/** Which workbench home is open, and which later starts open (`--home` and AWB_HOME still win). */
export const HomeSettings = z.object({
  current: z.string(),
  /** Chosen in Settings; null: the OS app-data folder (`defaultHome`). */
  startHome: z.string().nullable(),
  defaultHome: z.string(),
});
export type HomeSettings = z.infer<typeof HomeSettings>;

export const EngineInfo = z.object({
  version: z.string(),
  home: z.string(),
  backend: BackendChoice,
  platform: z.string(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;


/** A study run as `awb study show` reports it: the study's numbers (results.json) and its child runs. */
export const StudyReport = z.object({
  id: z.string(),
  /** The study kind (train-evaluate, inverted-task, …). */
  kind: z.string(),
  name: z.string(),
  status: RunStatus,
  error: z.string().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  /** The data behind the study's plots (results.json `plots`), for the UI; null until the study has finished. */
  plots: z.record(z.string(), z.unknown()).nullable(),
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
  /** ROC, SIC and score histograms of a scored training run (the numbers the studies plot). */
  'runs.curves': [z.object({ id: z.string().min(1) }), RunCurves],
  /** Starts an export of a finished run or study (report, plots, data); the outcome's result is an ExportResult. */
  'runs.export': [ExportParams, z.object({ taskId: z.string() })],
  'settings.get': [z.object({}), Settings],
  'settings.set': [SettingsPatch, Settings],
  'settings.home': [z.object({}), HomeSettings],
  /** Chooses the home later starts open (null: the OS app-data folder); the folder is created now. */
  'settings.setStartHome': [z.object({ path: z.string().trim().min(1).nullable() }), HomeSettings],
  'jobs.selftest': [SelftestConfig, z.object({ runId: z.string() })],
  'jobs.cancel': [z.object({ runId: z.string().min(1) }), z.object({ cancelled: z.boolean() })],
  /** Starts a training run on stored data; its test scores and metrics land in the registry. */
  'jobs.train': [TrainConfig, z.object({ runId: z.string() })],
  /** Starts a new run that continues an interrupted or cancelled training run from its last checkpoint. */
  'jobs.resume': [z.object({ runId: z.string().min(1) }), z.object({ runId: z.string() })],
  /** Starts a study (the study-file schema of src/shared/study/study-file.ts). */
  'studies.run': [z.object({ file: StudyFile }), z.object({ runId: z.string() })],
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
  /** One folder's entries (default: the user's home), folders first: the browser host's file picker. */
  'files.list': [FileListParams, FileListing],
  /** What an import of a file would see: reader, kind, rows, candidate columns, first rows, label counts. */
  'datasets.inspect': [InspectParams, FileInspection],
  /** Per-class observable histograms (and mean jet images) of a stored dataset, cached with it. */
  'datasets.summary': [z.object({ id: z.string().min(1) }), DatasetSummary],
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
  /** The native open-file dialog; the chosen path, or null when cancelled. */
  pickFile(options: PickFileOptions): Promise<string | null>;
  /** Prints an exported report.html to a PDF with Electron's printer (absolute paths). */
  printPdf(htmlFile: string, pdfFile: string): Promise<{ pages: number }>;
}
