// A training run on stored data (`jobs.train`, `awb train`): which rows are background and signal, which
// representation feeds the model, and what is recorded at the end — the test scores with their labels
// and masses, and the ROC metrics physicists report.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { ApiError, TrainConfig, type BackendChoice, type DatasetInfo, type RepresentationInfo, type RepresentationSpec, type RescoreResult } from '@shared/api';
import { downsampleRoc, roc, rocSummary } from '@shared/metrics/roc';
import { encodeNpy, readNpy } from '../data/npy';
import { StoredDataset } from '../data/store/dataset-store';
import { startJob } from '../jobs/job-runner';
import { SNAPSHOTS_SO_FAR, type ObjectRowSource, type RowSource, type TrainAnomalyClrJob, type TrainAutoencoderJob, type TrainResult, type TrainVaeJob } from '../jobs/protocol';
import { CHENG_VAE, type VaeActivation } from '../models/vae';
import type { EventObjectScaling } from '../represent/event-objects';
import { WEIGHTS_FILE } from '../models/save-model';
import { homeLayout } from '../home';
import type { Registry } from '../registry/registry';
import { DATA_FILE } from '../represent/represent-dataset';
import type { Representation } from '../represent/representation';
import { represent } from '../represent/representation-cache';
import { silentTask, type TaskContext } from '../tasks';
import { readCheckpoint, type TrainingCheckpoint } from './checkpoint';
import type { TrainingRunRequest } from './training-run';

export type TrainSpec = z.infer<typeof TrainConfig>;

export interface TrainingContext {
  registry: Registry;
  home: string;
  threads: number;
  backendChoice: BackendChoice;
}

/** Points kept of the test ROC for plots and reports. */
const ROC_POINTS = 400;

function defaultRepresentation(cfg: TrainSpec, kind: DatasetInfo['kind']): Representation {
  if (cfg.model === 'conv-ae') return { kind: 'jet-images', pixels: 40, range: 0.8, transform: 'none' };
  if (cfg.model === 'anomalyclr') return { kind: 'event-objects', sinCos: false };
  if (kind === 'jets') return { kind: 'constituents', n: 20, coords: 'p4', scale: true };
  if (kind === 'events') return { kind: 'event-features' };
  return { kind: 'features', scale: true };
}

/** The representation that carries each row's mass (jet mass; the dijet mass of events), and its column. */
const MASS_SOURCE: Partial<Record<DatasetInfo['kind'], { spec: RepresentationSpec; column: string }>> = {
  jets: { spec: { kind: 'jet-observables' }, column: 'mass' },
  events: { spec: { kind: 'event-observables' }, column: 'mjj' },
};

interface DatasetRows {
  info: DatasetInfo;
  rep: RepresentationInfo;
  path: string;
  /** What the representation fitted on this dataset's training split (e.g. the event-object scaling). */
  fit: unknown;
  labels: Int8Array;
  splits: Uint8Array;
  mass: Float32Array | null;
}

/**
 * A dataset's representation rows, labels, splits and masses. Signal and outlier datasets take `fitFrom`,
 * the background's representation: their rows are scaled with the background's training-split fit, as
 * the model sees the background.
 */
async function load(ctx: TrainingContext, info: DatasetInfo, spec: Representation, task: TaskContext, fitFrom?: RepresentationInfo): Promise<DatasetRows> {
  const rep = await represent(ctx.home, info, spec, task, fitFrom);
  const ds = new StoredDataset(ctx.home, info);
  try {
    const labels = ds.array('labels').read(0, info.rows) as Int8Array;
    let mass: Float32Array | null = null;
    const source = MASS_SOURCE[info.kind];
    if (source) {
      const obs = await represent(ctx.home, info, source.spec as Representation, task);
      const col = obs.columns!.indexOf(source.column);
      const values = (await readNpy(join(obs.folder, DATA_FILE))).data as Float32Array;
      const width = obs.columns!.length;
      mass = Float32Array.from({ length: info.rows }, (_, r) => values[r * width + col]);
    }
    return { info, rep, path: join(rep.folder, DATA_FILE), fit: rep.fit, labels, splits: ds.splits(), mass };
  } finally {
    ds.close();
  }
}

/** What a row is to a training run: background (label code 0), signal (code ≥ 1) or unlabelled (code −1). */
type RowClass = 'background' | 'signal' | 'unlabelled';

/** The label code a test row of each class is stored with in labels.npy. */
const CLASS_CODE: Record<RowClass, number> = { background: 0, signal: 1, unlabelled: -1 };

/**
 * Rows of one split of the given classes, in row order. A dataset whose labelled rows hold a single class
 * plays whichever role it is given: every row of a top-only dataset is background when a model is
 * trained on top jets (the inverted task), every row of a QCD-only dataset is signal when QCD is what is
 * tagged. Unlabelled rows (a black box) are 'unlabelled' whatever the role.
 */
function rowsWhere(d: DatasetRows, split: number, classes: readonly RowClass[], role: 'background' | 'signal'): number[] {
  const labelled = d.labels.filter((c) => c >= 0);
  const single = labelled.every((c) => (c >= 1) === (labelled[0] >= 1));
  const out: number[] = [];
  for (let r = 0; r < d.labels.length; r++) {
    if (d.splits[r] !== split) continue;
    const code = d.labels[r];
    const cls: RowClass = code < 0 ? 'unlabelled' : single ? role : code >= 1 ? 'signal' : 'background';
    if (classes.includes(cls)) out.push(r);
  }
  return out;
}

/**
 * A run that skips unlabelled rows exists to measure how well signal is told from background, so both
 * must be in its test split. With unlabelled rows scored as data, any test rows will do: the ROC metrics
 * are then left out when the labelled rows lack a class.
 */
function checkTestRows(dataset: string, codes: readonly number[], unlabelled: TrainSpec['unlabelled']): void {
  if (unlabelled === 'background') {
    if (codes.length === 0) throw new Error(`no rows in the test split of "${dataset}" (nor of the --signal datasets) to score`);
    return;
  }
  if (!codes.includes(1)) throw new Error(`no signal rows in the test split: "${dataset}" has no signal label and no --signal dataset was given`);
  if (!codes.includes(0)) throw new Error(`no background rows (label code 0) in the test split of "${dataset}"`);
}

export function datasetTrainingRequest(ctx: TrainingContext, cfg: TrainSpec): TrainingRunRequest {
  const main = ctx.registry.getDataset(cfg.dataset);
  const signals = cfg.signal.map((s) => ctx.registry.getDataset(s));
  for (const s of signals) {
    if (s.kind !== main.kind) throw new Error(`signal dataset "${s.name}" holds ${s.kind}, the background dataset "${main.name}" ${main.kind}`);
  }
  const spec = (cfg.representation as Representation | undefined) ?? defaultRepresentation(cfg, main.kind);
  if (cfg.model === 'anomalyclr') checkAnomalyClr(cfg, main, spec);
  if (cfg.latentSnapshots > 0 && cfg.model !== 'conv-ae' && cfg.model !== 'dense-ae') {
    throw new ApiError(`--latent-snapshots: only conv-ae and dense-ae runs record latent snapshots, not ${cfg.model}`, 'bad-request');
  }
  // Only VAEs have latent-space scores; refuse before training rather than after.
  if (cfg.model !== 'vae' && cfg.score !== 'mse') throw new ApiError(`--score ${cfg.score}: a ${cfg.model} is scored by its reconstruction error (mse) only`, 'bad-request');
  // AnomalyCLR augments the 7-feature object lists; (sin φ, cos φ) is made from them for the encoder's input.
  const dataSpec: Representation = spec.kind === 'event-objects' && cfg.model === 'anomalyclr' ? { kind: 'event-objects', sinCos: false } : spec;
  const backend = cfg.backend === 'auto' ? ctx.backendChoice : cfg.backend;
  // Filled by prepare, read by onResult: what each test score belongs to.
  const test = { labels: [] as number[], mass: [] as number[], source: [] as number[], row: [] as number[], hasMass: MASS_SOURCE[main.kind] !== undefined };
  return {
    kind: 'train',
    name: `${cfg.model} on ${main.name}${signals.length ? ` vs ${signals.map((s) => s.name).join(', ')}` : ''}${cfg.resumeFrom ? ` (resumed from ${cfg.resumeFrom})` : ''}`,
    config: { ...cfg, representation: spec, backend },
    seed: cfg.seed,
    datasetId: main.id,
    async prepare(task) {
      const bg = await load(ctx, main, dataSpec, task);
      const others = [];
      for (const s of signals) others.push(await load(ctx, s, dataSpec, task, bg.rep));
      // Unlabelled rows of the main dataset (data, e.g. a black box) are mostly background: trained on as such.
      const background: RowClass[] = cfg.unlabelled === 'background' ? ['background', 'unlabelled'] : ['background'];
      let train = rowsWhere(bg, 0, background, 'background');
      if (cfg.maxTrain !== undefined) train = train.slice(0, cfg.maxTrain);
      const testSources: RowSource[] = [];
      // source: 0 for rows of the background dataset, k for rows of the k-th --signal dataset.
      const addTest = (d: DatasetRows, cls: RowClass, role: 'background' | 'signal', source: number) => {
        const rows = rowsWhere(d, 2, [cls], role);
        testSources.push({ path: d.path, rows });
        for (const r of rows) {
          test.labels.push(CLASS_CODE[cls]);
          test.mass.push(d.mass ? d.mass[r] : NaN);
          test.source.push(source);
          test.row.push(r);
        }
      };
      addTest(bg, 'background', 'background', 0);
      addTest(bg, 'signal', 'background', 0);
      if (cfg.unlabelled === 'background') addTest(bg, 'unlabelled', 'background', 0);
      others.forEach((d, k) => addTest(d, 'signal', 'signal', k + 1));
      checkTestRows(main.name, test.labels, cfg.unlabelled);
      const validation = rowsWhere(bg, 1, background, 'background');
      const data = { kind: 'stored' as const, train: [{ path: bg.path, rows: train }], validation: [{ path: bg.path, rows: validation }], test: testSources };
      const common = { backend, data, epochs: cfg.epochs, batchSize: cfg.batchSize, learningRate: cfg.learningRate, seed: cfg.seed };
      if (cfg.model === 'vae') return vaeJob(ctx, cfg, common, bg, train, validation, spec, task);
      if (cfg.model === 'anomalyclr') return anomalyClrJob(ctx, cfg, common, [bg, ...others], spec);
      return autoencoderJob(ctx, cfg, common, bg, train, spec, test.labels, task);
    },
    onResult(runId, result: TrainResult) {
      const scores = result.testScores!;
      if (!(cfg.score in scores)) throw new Error(`a ${cfg.model} has no ${cfg.score} score (it has ${Object.keys(scores).join(', ')})`);
      recordTestScores(ctx.registry, runId, scores, cfg.score, Int8Array.from(test.labels), test.hasMass ? Float32Array.from(test.mass) : null);
      // Which dataset (0 background, k the k-th signal) and which of its rows each test score belongs to.
      ctx.registry.addArtifact(runId, { name: 'source.npy', kind: 'source', data: encodeNpy({ shape: [test.source.length], data: Int8Array.from(test.source) }) });
      ctx.registry.addArtifact(runId, { name: 'rows.npy', kind: 'rows', data: encodeNpy({ shape: [test.row.length], data: Int32Array.from(test.row) }) });
    },
  };
}

/** The conv-ae / dense-ae job, semi-supervised with `outliers`, with latent snapshots and class-mean images on request. */
async function autoencoderJob(
  ctx: TrainingContext,
  cfg: TrainSpec,
  common: Pick<TrainAutoencoderJob, 'backend' | 'data' | 'epochs' | 'batchSize' | 'learningRate' | 'seed'>,
  bg: DatasetRows,
  train: number[],
  spec: Representation,
  testClasses: number[],
  task: TaskContext,
): Promise<TrainAutoencoderJob> {
  const imageSize = spec.kind === 'jet-images' ? (spec.pixels ?? 40) : 40;
  const job: TrainAutoencoderJob = {
    ...common,
    kind: 'train-autoencoder',
    threads: ctx.threads,
    model:
      cfg.model === 'conv-ae'
        ? { kind: 'conv-ae', imageSize, kernelSize: cfg.kernelSize, bottleneck: cfg.bottleneck }
        : { kind: 'dense-ae', widths: cfg.widths ?? AE_WIDTHS, activation: cfg.activation ?? 'leaky-relu' },
    validationFraction: 0,
    lrSchedule: cfg.lrSchedule,
    earlyStopping: cfg.earlyStopping,
    checkpointDir: runFolder(ctx.home, task.id),
    resumeFrom: cfg.resumeFrom ? resumeCheckpoint(ctx, cfg.resumeFrom) : undefined,
  };
  if (cfg.outliers) {
    const o = await loadOutliers(ctx, cfg.outliers, spec, task, bg);
    job.outliers = { train: [{ path: o.path, rows: o.rows(0).slice(0, cfg.maxOutliers) }], lambda: cfg.lambda ?? 1, margin: cfg.margin };
  }
  if (cfg.latentSnapshots > 0) {
    const k = cfg.latentSnapshots;
    if (k > train.length) throw new ApiError(`--latent-snapshots ${k}: more than the ${train.length} training rows`, 'bad-request');
    // Evenly spaced over the training split, so the snapshots cover the whole of it.
    const rows = Array.from({ length: k }, (_, i) => train[Math.floor((i * train.length) / k)]);
    const previous = cfg.resumeFrom ? join(homeLayout(ctx.home).artifacts, cfg.resumeFrom, SNAPSHOTS_SO_FAR) : undefined;
    job.latentSnapshots = { rows: [{ path: bg.path, rows }], previous };
  }
  if (spec.kind === 'jet-images') job.meanImages = { classes: testClasses, imageShape: [imageSize, imageSize] };
  return job;
}

/** An outlier dataset's rows in the background's representation (scaled with its fit), by split. */
async function loadOutliers(ctx: TrainingContext, name: string, spec: Representation, task: TaskContext, bg: DatasetRows): Promise<{ path: string; rows: (split: number) => number[] }> {
  const o = await load(ctx, ctx.registry.getDataset(name), spec, task, bg.rep);
  return { path: o.path, rows: (split) => [...o.splits.keys()].filter((r) => o.splits[r] === split) };
}

/** The AnomalyCLR baseline dense AE (physics.md §5.5). */
const AE_WIDTHS = [256, 128, 64, 32, 16, 5];
const VAE_ACTIVATIONS: readonly string[] = ['relu', 'elu', 'tanh', 'linear'];

async function vaeJob(
  ctx: TrainingContext,
  cfg: TrainSpec,
  common: Pick<TrainVaeJob, 'backend' | 'data' | 'epochs' | 'batchSize' | 'learningRate' | 'seed'>,
  bg: DatasetRows,
  train: number[],
  validation: number[],
  spec: Representation,
  task: TaskContext,
): Promise<TrainVaeJob> {
  const activation = cfg.activation ?? 'relu';
  if (!VAE_ACTIVATIONS.includes(activation)) throw new Error(`a VAE takes the activations ${VAE_ACTIVATIONS.join(', ')}, not ${activation}`);
  const job: TrainVaeJob = {
    ...common,
    kind: 'train-vae',
    model: { kind: 'vae', hiddenWidths: cfg.widths ?? CHENG_VAE.hiddenWidths, latentDim: cfg.latent, activation: activation as VaeActivation },
    objective: { kind: 'beta-vae' },
    beta: cfg.beta,
    annealing: cfg.annealing,
    lrSchedule: cfg.lrSchedule,
    earlyStopping: cfg.earlyStopping,
    checkpointDir: runFolder(ctx.home, task.id),
    resumeFrom: cfg.resumeFrom ? resumeCheckpoint(ctx, cfg.resumeFrom) : undefined,
  };
  if (cfg.objective === 'disco') {
    const mass = bg.mass;
    if (!mass) throw new Error(`DisCo-VAE decorrelates from the mass, and "${bg.info.name}" (${bg.info.kind}) has none`);
    job.objective = { kind: 'disco', lambda: cfg.lambda ?? 100 };
    job.mass = { train: train.map((r) => mass[r]), validation: validation.map((r) => mass[r]) };
  } else if (cfg.objective === 'oe') {
    if (!cfg.outliers) throw new Error('OE-VAE needs an outlier dataset (--outliers NAME)');
    const o = await loadOutliers(ctx, cfg.outliers, spec, task, bg);
    job.objective = { kind: 'oe', variant: cfg.oeVariant, lambda: cfg.lambda ?? 2, margin: cfg.margin };
    job.outliers = { train: [{ path: o.path, rows: o.rows(0).slice(0, cfg.maxOutliers) }], validation: [{ path: o.path, rows: o.rows(1) }] };
  }
  return job;
}

/** Refuses, before a run is made, what AnomalyCLR cannot train on. */
function checkAnomalyClr(cfg: TrainSpec, main: DatasetInfo, spec: Representation): void {
  if (main.kind !== 'events') throw new ApiError(`AnomalyCLR trains on events in the ADC2021 layout; dataset "${main.name}" holds ${main.kind}`, 'bad-request');
  if (spec.kind !== 'event-objects') throw new ApiError(`AnomalyCLR takes the event-objects representation, not ${spec.kind}`, 'bad-request');
  if (cfg.repDim % cfg.heads !== 0) throw new ApiError(`AnomalyCLR: the representation width ${cfg.repDim} (--rep-dim) is not a multiple of the ${cfg.heads} attention heads (--heads)`, 'bad-request');
  if (cfg.resumeFrom) throw new ApiError('AnomalyCLR runs cannot be resumed: the contrastive stage keeps no checkpoint', 'bad-request');
}

/**
 * The AnomalyCLR job: every dataset's object lists with the scaling fitted on its own training split, all to be
 * brought to the background's scaling, so that signal events are measured in the background's units.
 */
function anomalyClrJob(
  ctx: TrainingContext,
  cfg: TrainSpec,
  common: Pick<TrainAnomalyClrJob, 'backend' | 'epochs' | 'batchSize' | 'learningRate' | 'seed'> & { data: { train: RowSource[]; validation: RowSource[]; test: RowSource[] } },
  datasets: DatasetRows[],
  spec: Representation,
): TrainAnomalyClrJob {
  const scalingOf = new Map(datasets.map((d) => [d.path, d.fit as EventObjectScaling]));
  const withScaling = (sources: RowSource[]): ObjectRowSource[] => sources.map((s) => ({ ...s, scaling: scalingOf.get(s.path)! }));
  const dim = cfg.repDim;
  return {
    ...common,
    kind: 'train-anomalyclr',
    threads: ctx.threads,
    data: { train: withScaling(common.data.train), validation: withScaling(common.data.validation), test: withScaling(common.data.test) },
    scaling: datasets[0].fit as EventObjectScaling,
    encoder: {
      inputDim: spec.kind === 'event-objects' && spec.sinCos ? 8 : 7,
      modelDim: dim,
      outputDim: dim,
      feedForwardDim: dim,
      heads: cfg.heads,
      layers: cfg.layers,
      headLayers: cfg.headLayers,
      dropout: cfg.dropout,
    },
    contrastive: { loss: cfg.clrLoss, temperature: cfg.temperature, epochs: cfg.clrEpochs, batchSize: cfg.clrBatchSize, learningRate: cfg.clrLearningRate, anomalous: cfg.anomalousAugs },
    autoencoder: { kind: 'dense-ae', widths: cfg.widths ?? AE_WIDTHS, activation: cfg.activation ?? 'leaky-relu' },
    lrSchedule: cfg.lrSchedule,
    earlyStopping: cfg.earlyStopping,
  };
}

/** The run's artifact folder, where its worker writes the per-epoch checkpoint. */
function runFolder(home: string, runId: string): string {
  const dir = join(homeLayout(home).artifacts, runId);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function resumeCheckpoint(ctx: TrainingContext, runId: string): TrainingCheckpoint {
  const c = readCheckpoint(join(homeLayout(ctx.home).artifacts, runId));
  if (!c) throw new ApiError(`run ${runId} left no checkpoint to resume from (it ended before its first epoch)`, 'conflict');
  return c;
}

/**
 * A new run continuing an interrupted, cancelled or failed training run from its last checkpoint, with
 * the same configuration; the old run keeps its record.
 */
export function resumeRequest(ctx: TrainingContext, idOrPrefix: string): TrainingRunRequest {
  const old = ctx.registry.getRun(idOrPrefix);
  if (old.kind !== 'train' || !['interrupted', 'cancelled', 'failed'].includes(old.status)) {
    throw new ApiError(`run ${old.id} is a ${old.status} ${old.kind} run; only interrupted, cancelled or failed training runs can be resumed`, 'conflict');
  }
  resumeCheckpoint(ctx, old.id);
  return datasetTrainingRequest(ctx, TrainConfig.parse({ ...(old.config as object), resumeFrom: old.id }));
}

/**
 * Stores the test scores beside their labels and masses (`scores.npy` is the headline score, and with
 * several scores each has its own `score-NAME.npy`), and the ROC metrics as the run's summary: those of
 * the headline score, plus `auc_NAME` for every score, from the labelled rows only; with the test rows'
 * class counts (`n_test_unlabelled` when rows of code −1 were scored), which are all the summary holds
 * when the labelled rows lack signal or background.
 */
export function recordTestScores(
  registry: Registry,
  runId: string,
  scores: Record<string, Float32Array>,
  headline: string,
  labels: Int8Array,
  mass: Float32Array | null,
): void {
  const npy = (data: Float32Array | Int8Array) => encodeNpy({ shape: [data.length], data });
  const main = scores[headline];
  registry.addArtifact(runId, { name: 'scores.npy', kind: 'scores', data: npy(main) });
  registry.addArtifact(runId, { name: 'labels.npy', kind: 'labels', data: npy(labels) });
  if (mass) registry.addArtifact(runId, { name: 'mass.npy', kind: 'mass', data: npy(mass) });
  const names = Object.keys(scores);
  // ROC metrics need both classes among the labelled rows (unlabelled ones, code −1, never count).
  const count = (code: number) => labels.reduce((n, c) => n + (c === code ? 1 : 0), 0);
  const counts: Record<string, number> = { n_test_signal: count(1), n_test_background: count(0) };
  const unlabelled = count(-1);
  if (unlabelled > 0) counts.n_test_unlabelled = unlabelled;
  const ranked = counts.n_test_signal > 0 && counts.n_test_background > 0;
  const perScore: Record<string, number> = {};
  if (names.length > 1) {
    for (const name of names) {
      registry.addArtifact(runId, { name: `score-${name}.npy`, kind: 'scores', data: npy(scores[name]) });
      if (ranked) perScore[`auc_${name}`] = rocSummary(scores[name], labels).auc;
    }
  }
  if (!ranked) {
    registry.setSummary(runId, counts);
    return;
  }
  const curve = downsampleRoc(roc(main, labels), ROC_POINTS);
  registry.addArtifact(runId, { name: 'roc.json', kind: 'roc', data: JSON.stringify({ score: headline, fpr: Array.from(curve.fpr), tpr: Array.from(curve.tpr) }) });
  registry.setSummary(runId, { ...summaryMetrics(rocSummary(main, labels)), ...perScore, ...counts });
}

/**
 * The ROC summary as flat registry metrics: `rejection` is 1/ε_B at ε_S = 0.3 (the headline number of
 * `awb train` and the studies), with its siblings at 0.1 and 0.5. A rejection that is infinite (no
 * background passes) is left out rather than stored as a number it is not.
 */
export function summaryMetrics(s: ReturnType<typeof rocSummary>): Record<string, number> {
  const out: Record<string, number> = {
    auc: s.auc,
    rejection: s.rejection['0.3'],
    sic_max: s.sicMax,
    sic_max_tpr: s.sicMaxTpr,
    'tpr_at_fpr_1e-5': s.tprAtFpr1e5,
    n_test_signal: s.nSignal,
    n_test_background: s.nBackground,
  };
  for (const eff of ['0.1', '0.3', '0.5'] as const) {
    out[`rejection_${eff}`] = s.rejection[eff];
    out[`rejection_${eff}_error`] = s.rejectionError[eff];
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => Number.isFinite(v)));
}

/**
 * Reloads a finished training run's saved weights, scores its test rows again on the backend it trained
 * on, and compares with the scores it stored: the weights-reload check.
 */
export async function rescoreRun(ctx: TrainingContext, idOrPrefix: string): Promise<RescoreResult> {
  const run = ctx.registry.getRun(idOrPrefix);
  if (run.kind !== 'train' || run.status !== 'finished') throw new ApiError(`run ${run.id} is a ${run.status} ${run.kind} run, not a finished training run`, 'conflict');
  const file = (name: string) => {
    const a = run.artifacts.find((x) => x.name === name);
    if (!a) throw new ApiError(`run ${run.id} has no artifact ${name}`, 'not-found');
    return ctx.registry.artifactFile(a);
  };
  const cfg = TrainConfig.parse(run.config);
  if (cfg.model === 'vae') throw new ApiError(`run ${run.id} trained a VAE; the reload check covers autoencoder runs (VAE reloads are checked in the test suite)`, 'bad-request');
  if (cfg.model === 'anomalyclr') throw new ApiError(`run ${run.id} trained AnomalyCLR; the reload check covers autoencoder runs`, 'bad-request');
  const job = await datasetTrainingRequest(ctx, { ...cfg, backend: run.backend as BackendChoice }).prepare(silentTask(run.id).task);
  const weights = await readFile(file(WEIGHTS_FILE));
  if (job.kind !== 'train-autoencoder') throw new Error(`run ${run.id}: not an autoencoder job`);
  const scores = await startJob({
    kind: 'score-autoencoder',
    backend: run.backend as BackendChoice,
    model: job.model,
    saved: { modelJson: await readFile(file('model.json'), 'utf8'), weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) },
    rows: job.data.kind === 'stored' ? job.data.test : [],
    batchSize: cfg.batchSize ?? 256,
  }).result;
  const stored = (await readNpy(file('scores.npy'))).data as Float32Array;
  if (stored.length !== scores.length) throw new Error(`run ${run.id}: ${stored.length} stored scores, ${scores.length} test rows now (was a dataset changed?)`);
  let maxAbsDifference = 0;
  for (let i = 0; i < scores.length; i++) maxAbsDifference = Math.max(maxAbsDifference, Math.abs(scores[i] - stored[i]));
  return { runId: run.id, backend: run.backend ?? '', scores: scores.length, maxAbsDifference };
}
