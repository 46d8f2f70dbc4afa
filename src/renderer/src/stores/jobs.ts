// Live state of the jobs this engine is running, built from its event stream: the latest
// progress, the per-epoch metrics so far, and a counter that bumps whenever a run changes
// status, so run lists know to refresh.
import { reactive, ref, type Ref } from 'vue';
import type { EngineHost, JobEvent, RunStatus } from '@shared/api';

export type ProgressEvent = Extract<JobEvent, { type: 'progress' }>;

export interface LiveJob {
  runId: string;
  status: RunStatus;
  error: string | null;
  progress: ProgressEvent | null;
  epochs: { epoch: number; metrics: Record<string, number> }[];
  /** When this window first heard of the run, and of its end (ms since the epoch). */
  since: number;
  until: number | null;
}

export interface JobsStore {
  jobs: Map<string, LiveJob>;
  /** Bumps on every status change of any run. */
  statusChanges: Ref<number>;
  /** Bumps on every finished epoch of any run. */
  epochChanges: Ref<number>;
  /** The self-test last started from this window, shown again when the user comes back. */
  lastSelftest: Ref<string | null>;
  /** Starts following a run just created by this window, before its first event arrives. */
  track(runId: string): LiveJob;
}

export const TERMINAL: readonly RunStatus[] = ['finished', 'failed', 'cancelled', 'interrupted'];

/** Fraction of the run's batches done, 0 to 1. */
export function progressFraction(p: ProgressEvent): number {
  const total = p.epochs * p.batches;
  return total > 0 ? Math.min(1, ((p.epoch - 1) * p.batches + p.batch) / total) : 0;
}

export function createJobsStore(host: EngineHost): JobsStore {
  const jobs = reactive(new Map<string, LiveJob>()) as Map<string, LiveJob>;
  const statusChanges = ref(0);
  const epochChanges = ref(0);
  const entry = (runId: string): LiveJob => {
    let job = jobs.get(runId);
    if (!job) {
      jobs.set(runId, { runId, status: 'queued', error: null, progress: null, epochs: [], since: Date.now(), until: null });
      job = jobs.get(runId)!;
    }
    return job;
  };
  host.onEvent((e) => {
    // Task events (imports, generators) belong to the data screens, not to runs.
    if (e.type === 'task' || e.type === 'task-end') return;
    const job = entry(e.runId);
    if (e.type === 'progress') {
      job.progress = e;
    } else if (e.type === 'epoch') {
      job.epochs.push({ epoch: e.epoch, metrics: e.metrics });
      epochChanges.value++;
    } else {
      job.status = e.status;
      job.error = e.error;
      if (TERMINAL.includes(e.status)) job.until = Date.now();
      statusChanges.value++;
    }
  });
  return { jobs, statusChanges, epochChanges, lastSelftest: ref(null), track: entry };
}
