// The engine facade: one object that owns the workbench home, the registry and the running jobs,
// and answers every request of the API contract. The CLI, the browser host and the Electron shell
// are thin layers over `Engine.call`.
import os from 'node:os';
import {
  ApiError,
  parseRequest,
  type ApiMethod,
  type ApiResult,
  type ApiValidParams,
  type BackendChoice,
  type BackendInfo,
  type JobEvent,
  type SelftestConfig,
} from '@shared/api';
import { generateDataset } from './data/generate-dataset';
import { importDataset } from './data/import-dataset';
import { datasetSummary } from './data/dataset-summary';
import { exportRun } from './export/export-run';
import { inspectFile } from './data/inspect-file';
import { listFiles } from './data/list-files';
import { removeStaleStaging } from './data/store/dataset-store';
import { chooseStartHome, homeChoice, resolveHome } from './home';
import { launchStudy } from './studies/run-study';
import { studyReport } from './studies/study-report';
import { represent } from './represent/representation-cache';
import { startJob } from './jobs/job-runner';
import { Registry } from './registry/registry';
import { runCurves } from './registry/run-curves';
import { loadSettings, saveSettings } from './settings';
import { silentTask, TaskRunner, type TaskOutcome } from './tasks';
import { datasetTrainingRequest, rescoreRun, resumeRequest } from './train/dataset-training';
import { launchTrainingRun, type LaunchedRun } from './train/training-run';
import { ENGINE_VERSION } from './version';

export interface EngineOptions {
  home?: string;
  /** Overrides the backend setting for this session (the CLI's --backend). */
  backend?: BackendChoice;
}

type Handlers = { [M in ApiMethod]: (params: ApiValidParams<M>) => Promise<ApiResult<M>> | ApiResult<M> };

export class Engine {
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private readonly active = new Map<string, LaunchedRun>();
  private backends: Promise<BackendInfo[]> | null = null;
  private readonly tasks = new TaskRunner((e) => this.emit(e));

  private constructor(
    readonly home: string,
    readonly registry: Registry,
    private readonly backendOverride: BackendChoice | undefined,
  ) {}

  static async open(opts: EngineOptions = {}): Promise<Engine> {
    const home = resolveHome({ home: opts.home });
    loadSettings(home); // a broken settings file is reported now, not in the middle of a run
    removeStaleStaging(home);
    return new Engine(home, Registry.open(home, { engineVersion: ENGINE_VERSION }), opts.backend);
  }

  /** The backend new jobs ask for when they do not name one: --backend, else the setting. */
  get backendChoice(): BackendChoice {
    return this.backendOverride ?? loadSettings(this.home).backend;
  }

  /** Compute threads per job: the setting, 0 meaning one per core. */
  get threads(): number {
    const t = loadSettings(this.home).threads;
    return t === 0 ? os.availableParallelism() : t;
  }

  async call<M extends ApiMethod>(method: M | string, params: unknown): Promise<ApiResult<M>> {
    const req = parseRequest<M>(method, params);
    const handler = this.handlers[req.method] as (p: ApiValidParams<M>) => Promise<ApiResult<M>> | ApiResult<M>;
    return handler(req.params);
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the run's terminal status once a job started by this engine ends. */
  async waitForRun(runId: string): Promise<string> {
    const run = this.active.get(runId);
    return run ? run.done : this.registry.getRun(runId).status;
  }

  /** The outcome of a task (import, generation) started by this engine, once it ends. */
  waitForTask(taskId: string): Promise<TaskOutcome> {
    return this.tasks.wait(taskId);
  }

  private closing: Promise<void> | null = null;

  /** Cancels running jobs, waits until they are recorded, and closes the registry; idempotent. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      for (const run of this.active.values()) run.cancel();
      await Promise.allSettled([...this.active.values()].map((r) => r.done));
      await this.tasks.close();
      this.registry.close();
    })());
  }

  private emit(e: JobEvent): void {
    for (const l of this.listeners) l(e);
  }

  private readonly handlers: Handlers = {
    'engine.info': () => ({ version: ENGINE_VERSION, home: this.home, backend: this.backendChoice, platform: `${os.platform()}-${os.arch()}` }),
    'backends.list': () => {
      // A failed probe is not kept, so asking again retries it.
      this.backends ??= startJob({ kind: 'probe-backends', threads: this.threads }).result.catch((e: unknown) => {
        this.backends = null;
        throw e;
      });
      return this.backends;
    },
    'runs.list': (filter) => this.registry.listRuns(filter),
    'runs.get': ({ id }) => this.registry.getRun(id),
    'runs.tag': ({ id, tag }) => this.registry.tag(id, tag),
    'runs.untag': ({ id, tag }) => this.registry.untag(id, tag),
    'runs.note': ({ id, text }) => this.registry.note(id, text),
    'runs.curves': ({ id }) => runCurves(this.registry, id),
    'runs.export': ({ id, out, formats, label }) => ({
      taskId: this.tasks.start('export', () => exportRun({ registry: this.registry, home: this.home, engineVersion: ENGINE_VERSION }, id, out, { formats, label })),
    }),
    'settings.get': () => loadSettings(this.home),
    'settings.home': () => ({ current: this.home, ...homeChoice() }),
    'settings.setStartHome': ({ path }) => {
      try {
        return { current: this.home, ...chooseStartHome(path) };
      } catch (e) {
        throw new ApiError((e as Error).message, 'bad-request');
      }
    },
    'settings.set': (patch) => {
      const next = { ...loadSettings(this.home), ...patch };
      saveSettings(this.home, next);
      this.backends = null; // the listing describes the threads setting
      return next;
    },
    'jobs.selftest': (cfg) => ({ runId: this.startSelftest(cfg) }),
    'runs.rescore': ({ id }) => rescoreRun(this, id),
    'studies.run': ({ file }) => ({ runId: this.track(launchStudy(this, file, (e) => this.emit(e))) }),
    'studies.show': ({ id }) => studyReport(this.registry, id),
    'jobs.resume': ({ runId }) => ({ runId: this.track(launchTrainingRun(this.registry, resumeRequest(this, runId), (e) => this.emit(e))) }),
    'jobs.train': (cfg) => ({ runId: this.track(launchTrainingRun(this.registry, datasetTrainingRequest(this, cfg), (e) => this.emit(e))) }),
    'jobs.cancel': ({ runId }) => {
      const run = this.active.get(runId);
      if (!run) {
        const status = this.registry.getRun(runId).status;
        throw new ApiError(`run ${runId} is not running in this workbench session (status: ${status})`, 'conflict');
      }
      run.cancel();
      return { cancelled: true };
    },
    'datasets.list': () => this.registry.listDatasets(),
    'datasets.get': ({ id }) => this.registry.getDataset(id),
    'datasets.import': (params) => ({ taskId: this.tasks.start('import', (t) => importDataset(this.registry, this.home, params, t)) }),
    'datasets.generate': (spec) => ({ taskId: this.tasks.start('generate', (t) => generateDataset(spec, t)) }),
    'datasets.represent': ({ id, spec }) => {
      const info = this.registry.getDataset(id);
      return { taskId: this.tasks.start('represent', (t) => represent(this.home, info, spec, t)) };
    },
    'tasks.cancel': ({ taskId }) => {
      this.tasks.cancel(taskId);
      return { cancelled: true };
    },
    'files.list': ({ dir }) => listFiles(dir),
    'datasets.inspect': (params) => inspectFile(params),
    'datasets.summary': ({ id }) => datasetSummary(this.home, this.registry.getDataset(id), silentTask(`summary-${id}`).task),
  };

  private startSelftest(cfg: SelftestConfig): string {
    const backend = cfg.backend === 'auto' ? this.backendChoice : cfg.backend;
    const config = { ...cfg, backend };
    const run = launchTrainingRun(
      this.registry,
      {
        kind: 'selftest',
        name: `self-test: dense AE on ${cfg.features}-d Gaussian data`,
        config,
        seed: cfg.seed,
        prepare: async () => ({
          kind: 'train-autoencoder',
          backend,
          threads: this.threads,
          model: { kind: 'dense-ae', widths: [2 * cfg.features, cfg.features, cfg.latent], activation: 'elu' },
          data: { kind: 'gaussian-latent', samples: cfg.samples, features: cfg.features, latent: cfg.latent, seed: cfg.seed },
          validationFraction: 0.2,
          epochs: cfg.epochs,
          batchSize: cfg.batchSize,
          learningRate: cfg.learningRate,
          seed: cfg.seed,
        }),
      },
      (e) => this.emit(e),
    );
    return this.track(run);
  }

  /** Keeps a launched run cancellable until it ends. */
  private track(run: LaunchedRun): string {
    this.active.set(run.runId, run);
    void run.done.finally(() => this.active.delete(run.runId));
    return run.runId;
  }
}
