// A study run: a parent run in the registry whose children are training runs. The study's results —
// numbers and the arrays behind every plot — are stored as the parent's results.json, so reports and the
// UI draw from the same source; the headline numbers are also the parent's summary metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobEvent, RepresentationInfo, RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import { parseNpy } from '../data/npy';
import { StoredDataset } from '../data/store/dataset-store';
import type { Representation } from '../represent/representation';
import { represent } from '../represent/representation-cache';
import type { Registry } from '../registry/registry';
import { silentTask } from '../tasks';
import { datasetTrainingRequest, type TrainingContext, type TrainSpec } from '../train/dataset-training';
import { launchTrainingRun, runFinisher, type LaunchedRun } from '../train/training-run';
import { bumpHuntStudy } from './bump-hunt-study';
import { invertedTask } from './inverted-task';
import { massDecorrelation } from './mass-decorrelation';
import { representationStudy } from './representation-study';
import { topologyStudy } from './topology';
import { studyDataset } from './study-data';
import { trainEvaluate } from './train-evaluate';

export interface StudyResults {
  /** The numbers the study reports (JSON-able; `awb study run --json` prints them). */
  metrics: Record<string, unknown>;
  /** Flat numbers for the registry summary (sorting and filtering runs). */
  summary: Record<string, number>;
  /** The data behind every plot of the study, by plot name. */
  plots: Record<string, unknown>;
}

/** What a study kind's runner gets: its own data resolution and child training runs. */
export interface StudyRunner {
  registry: Registry;
  home: string;
  /** A stored or generated dataset's name. */
  dataset(d: Parameters<typeof studyDataset>[2]): Promise<string>;
  /** Trains one child run and returns its registry record once it has ended (finished). */
  train(cfg: TrainSpec): Promise<RunDetail>;
  /** A stored array artifact of a child run. */
  artifact(run: RunDetail, name: string): Float32Array | Int8Array | Int32Array;
  /** The cached representation of a dataset (computed if needed), to read rows of. */
  representation(dataset: string, spec: Representation): Promise<RepresentationInfo>;
  /** Rows of a stored array of a dataset (e.g. the `intrinsic` coordinates of a manifold sample). */
  datasetRows(dataset: string, array: string, rows: ArrayLike<number>): { values: Float32Array | Int8Array; width: number };
  /** Progress of a phase of the study's own work (e.g. 'toys'): a 'task' event whose taskId is the study's run id. */
  progress(phase: string, done: number, total: number, unit: string): void;
  /** True once the study is cancelled: its own long loops stop (throwing) when they see it; the study ends 'cancelled'. */
  readonly cancelled: boolean;
}

/** The runner of each study kind. */
const RUNNERS: { [K in ResolvedStudy['kind']]: (runner: StudyRunner, study: Extract<ResolvedStudy, { kind: K }>) => Promise<StudyResults> } = {
  'train-evaluate': trainEvaluate,
  'inverted-task': invertedTask,
  'mass-decorrelation': massDecorrelation,
  representation: representationStudy,
  topology: topologyStudy,
  'bump-hunt': bumpHuntStudy,
};

class StudyCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export function launchStudy(ctx: TrainingContext, study: ResolvedStudy, emit: (e: JobEvent) => void): LaunchedRun {
  const { registry, home } = ctx;
  const runId = registry.createRun({ kind: 'study', name: study.name, config: study, seed: study.seeds[0] });
  let child: LaunchedRun | null = null;
  const steps = silentTask(runId);
  const task = steps.task;
  const runner: StudyRunner = {
    registry,
    home,
    dataset: async (d) => (await studyDataset(registry, home, d, task)).name,
    async train(cfg) {
      if (task.cancelled) throw new StudyCancelled();
      child = launchTrainingRun(registry, { ...datasetTrainingRequest(ctx, cfg), parentId: runId }, emit);
      const status = await child.done;
      const run = registry.getRun(child.runId);
      child = null;
      if (status === 'cancelled' || task.cancelled) throw new StudyCancelled();
      if (status !== 'finished') throw new Error(`training run ${run.id} (${run.name}) ${status}: ${run.error ?? 'no error recorded'}`);
      return run;
    },
    artifact(run, name) {
      const a = run.artifacts.find((x) => x.name === name);
      if (!a) throw new Error(`run ${run.id} has no artifact ${name}`);
      const data = parseNpy(new Uint8Array(readFileSync(join(home, a.path))), a.path).data;
      if (!(data instanceof Float32Array || data instanceof Int8Array || data instanceof Int32Array)) throw new Error(`${a.path}: not a float32, int8 or int32 array`);
      return data;
    },
    representation: (dataset, spec) => represent(home, registry.getDataset(dataset), spec, task),
    datasetRows(dataset, array, rows) {
      const ds = new StoredDataset(home, registry.getDataset(dataset));
      try {
        const reader = ds.array(array);
        return { values: reader.gather(rows), width: reader.rowLength };
      } finally {
        ds.close();
      }
    },
    progress: (phase, done, total, unit) => emit({ type: 'task', taskId: runId, kind: 'study', phase, done, total, unit }),
    get cancelled() {
      return task.cancelled;
    },
  };
  registry.startRun(runId, { backend: ctx.backendChoice, device: null });
  emit({ type: 'status', runId, status: 'running', error: null });
  const finish = runFinisher(registry, runId, emit);
  const done = (async () => {
    try {
      // TypeScript cannot correlate the kind with its runner through the union; RUNNERS pairs them.
      const results = await RUNNERS[study.kind](runner, study as never);
      registry.addArtifact(runId, { name: 'study.json', kind: 'study', data: JSON.stringify(study, null, 2) });
      registry.addArtifact(runId, { name: 'results.json', kind: 'results', data: JSON.stringify({ metrics: results.metrics, plots: results.plots }) });
      registry.setSummary(runId, results.summary);
      return finish('finished', null);
    } catch (e) {
      if (e instanceof StudyCancelled || task.cancelled) return finish('cancelled', null);
      return finish('failed', e instanceof Error ? e.message : String(e));
    }
  })();
  return {
    runId,
    done,
    cancel: () => {
      steps.cancel();
      child?.cancel();
    },
  };
}
