// A training run as the registry sees it: create the run, start the worker, record the backend,
// per-epoch metrics and the model artefacts, and end in exactly one terminal status. Progress is
// passed on to the caller (UI host or CLI) as JobEvents.
import type { JobEvent, RunStatus } from '@shared/api';
import { startJob, type JobHandle } from '../jobs/job-runner';
import type { TrainAnomalyClrJob, TrainAutoencoderJob, TrainResult, TrainVaeJob, WorkerMessage } from '../jobs/protocol';
import type { EndStatus, Registry } from '../registry/registry';
import { silentTask, type TaskContext } from '../tasks';

export interface TrainingRunRequest {
  kind: string;
  name: string;
  /** The user-facing configuration stored with the run. */
  config: unknown;
  seed: number;
  datasetId?: string;
  /** The study run this run belongs to. */
  parentId?: string;
  /**
   * Makes the worker job; may take a while (e.g. computing representations), so it runs after the run is
   * recorded and can be cancelled.
   */
  prepare(task: TaskContext): Promise<TrainAutoencoderJob | TrainVaeJob | TrainAnomalyClrJob>;
  /** Records what only this kind of run produces (scores, metrics) before the run is reported finished. */
  onResult?(runId: string, result: TrainResult): void;
}

export interface LaunchedRun {
  runId: string;
  done: Promise<RunStatus>;
  cancel(): void;
}

/** At most this many progress events per second reach the UI; every epoch is always reported. */
const PROGRESS_INTERVAL_MS = 100;

export function launchTrainingRun(registry: Registry, req: TrainingRunRequest, emit: (e: JobEvent) => void): LaunchedRun {
  const runId = registry.createRun({ kind: req.kind, name: req.name, config: req.config, seed: req.seed, datasetId: req.datasetId, parentId: req.parentId });
  let lastProgress = 0;
  // A failure to record (e.g. a non-finite metric) stops the job; the run then fails with that error.
  let recordError: Error | null = null;
  const onMessage = (m: WorkerMessage) => {
    try {
      record(m);
    } catch (err) {
      recordError ??= err instanceof Error ? err : new Error(String(err));
      handle?.cancel();
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
        if (r.learningRate !== undefined) metrics.learning_rate = r.learningRate;
        registry.addMetrics(
          runId,
          Object.entries(metrics).map(([key, value]) => ({ key, step: r.epoch, value })),
        );
        emit({ type: 'epoch', runId, epoch: r.epoch, metrics });
        break;
      }
      case 'contrastive-epoch': {
        // Its own keys: the model trained after it numbers its epochs from 1 again.
        const metrics: Record<string, number> = { clr_loss: m.loss, clr_samples_per_sec: m.samplesPerSec, clr_epoch_seconds: m.seconds };
        if (m.valLoss !== null) metrics.clr_val_loss = m.valLoss;
        registry.addMetrics(
          runId,
          Object.entries(metrics).map(([key, value]) => ({ key, step: m.epoch, value })),
        );
        emit({ type: 'epoch', runId, epoch: m.epoch, metrics });
        break;
      }
    }
  };
  let handle: JobHandle<TrainResult> | null = null;
  // Preparing (e.g. computing representations in a worker) reports no progress of its own, but stops on cancel.
  const preparing = silentTask(runId);
  const cancel = () => {
    preparing.cancel();
    handle?.cancel();
  };
  const cancelled = () => preparing.task.cancelled;
  const finish = runFinisher(registry, runId, emit);
  const done = (async () => {
    try {
      const job = await req.prepare(preparing.task);
      if (cancelled()) return finish('cancelled', null);
      handle = startJob(job, onMessage);
      const result = await handle.result;
      if (recordError) throw recordError;
      if (result.stopped) return finish('cancelled', null);
      recordResult(registry, runId, result);
      req.onResult?.(runId, result);
      return finish('finished', null);
    } catch (err) {
      if (cancelled() && !handle) return finish('cancelled', null);
      return finish('failed', err instanceof Error ? err.message : String(err));
    }
  })();
  return { runId, done, cancel };
}

function recordResult(registry: Registry, runId: string, result: TrainResult): void {
  for (const f of result.files) registry.addArtifact(runId, f);
  registry.addArtifact(runId, { name: 'history.json', kind: 'history', data: JSON.stringify(result.history, null, 1) });
  const last = result.history[result.history.length - 1];
  const summary: Record<string, number> = { parameters: result.parameters, epochs: result.history.length };
  if (last) {
    summary.final_train_loss = last.trainLoss;
    summary.samples_per_sec = last.samplesPerSec;
    if (last.valLoss !== null) summary.final_val_loss = last.valLoss;
  }
  if (result.earlyStopEpoch !== null) summary.early_stop_epoch = result.earlyStopEpoch;
  if (result.restoredEpoch !== null) summary.restored_epoch = result.restoredEpoch;
  registry.setSummary(runId, { ...summary, ...result.summary });
}

/** Ends a run in the registry and tells the UIs, returning the status (for a run's `done` promise). */
export function runFinisher(registry: Registry, runId: string, emit: (e: JobEvent) => void): (status: EndStatus, error: string | null) => RunStatus {
  return (status, error) => {
    registry.finishRun(runId, status, error);
    emit({ type: 'status', runId, status, error });
    return status;
  };
}
