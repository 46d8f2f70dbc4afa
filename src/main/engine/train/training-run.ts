// A training run as the registry sees it: create the run, start the worker, record the backend,
// per-epoch metrics and the model artefacts, and end in exactly one terminal status. Progress is
// passed on to the caller (UI host or CLI) as JobEvents.
import type { JobEvent, RunStatus } from '@shared/api';
import { startJob } from '../jobs/job-runner';
import type { TrainAutoencoderJob, TrainAutoencoderResult, WorkerMessage } from '../jobs/protocol';
import { WEIGHTS_FILE } from '../models/save-model';
import type { Registry } from '../registry/registry';

export interface TrainingRunRequest {
  kind: string;
  name: string;
  /** The user-facing configuration stored with the run. */
  config: unknown;
  job: TrainAutoencoderJob;
}

export interface LaunchedRun {
  runId: string;
  done: Promise<RunStatus>;
  cancel(): void;
}

/** At most this many progress events per second reach the UI; every epoch is always reported. */
const PROGRESS_INTERVAL_MS = 100;

export function launchTrainingRun(registry: Registry, req: TrainingRunRequest, emit: (e: JobEvent) => void): LaunchedRun {
  const runId = registry.createRun({ kind: req.kind, name: req.name, config: req.config, seed: req.job.seed });
  let lastProgress = 0;
  // A failure to record (e.g. a non-finite metric) stops the job; the run then fails with that error.
  let recordError: Error | null = null;
  const onMessage = (m: WorkerMessage) => {
    try {
      record(m);
    } catch (err) {
      recordError ??= err instanceof Error ? err : new Error(String(err));
      handle.cancel();
    }
  };
  const record = (m: WorkerMessage) => {
    switch (m.type) {
      case 'backend':
        registry.startRun(runId, { backend: m.info.name, device: m.info.device });
        emit({ type: 'status', runId, status: 'running', error: null });
        break;
      case 'batch': {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && m.batch < m.batches) break;
        lastProgress = now;
        const { type: _t, ...p } = m;
        emit({ type: 'progress', runId, ...p });
        break;
      }
      case 'epoch': {
        const r = m.result;
        const metrics: Record<string, number> = { train_loss: r.trainLoss, samples_per_sec: r.samplesPerSec, epoch_seconds: r.seconds };
        if (r.valLoss !== null) metrics.val_loss = r.valLoss;
        registry.addMetrics(
          runId,
          Object.entries(metrics).map(([key, value]) => ({ key, step: r.epoch, value })),
        );
        emit({ type: 'epoch', runId, epoch: r.epoch, metrics });
        break;
      }
    }
  };
  const handle = startJob(req.job, onMessage);
  const finish = (status: 'finished' | 'failed' | 'cancelled', error: string | null): RunStatus => {
    registry.finishRun(runId, status, error);
    emit({ type: 'status', runId, status, error });
    return status;
  };
  const done = (async () => {
    try {
      const result = await handle.result;
      if (recordError) throw recordError;
      if (result.stopped) return finish('cancelled', null);
      recordResult(registry, runId, result);
      return finish('finished', null);
    } catch (err) {
      return finish('failed', err instanceof Error ? err.message : String(err));
    }
  })();
  return { runId, done, cancel: handle.cancel };
}

function recordResult(registry: Registry, runId: string, result: TrainAutoencoderResult): void {
  registry.addArtifact(runId, { name: 'model.json', kind: 'model', data: result.model.modelJson });
  registry.addArtifact(runId, { name: WEIGHTS_FILE, kind: 'model-weights', data: new Uint8Array(result.model.weights) });
  registry.addArtifact(runId, { name: 'history.json', kind: 'history', data: JSON.stringify(result.history, null, 1) });
  const last = result.history[result.history.length - 1];
  const summary: Record<string, number> = { parameters: result.model.parameters, epochs: result.history.length };
  if (last) {
    summary.final_train_loss = last.trainLoss;
    summary.samples_per_sec = last.samplesPerSec;
    if (last.valLoss !== null) summary.final_val_loss = last.valLoss;
  }
  registry.setSummary(runId, summary);
}
