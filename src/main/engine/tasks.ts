// Tasks: long operations that are not training runs (imports, generators). Each has an id, streams
// 'task' progress events, can be cancelled, and ends with one 'task-end' event. Unlike runs they leave no
// registry record of their own: a failed import must leave the registry exactly as it was.
import { ApiError, type ApiErrorCode, type JobEvent } from '@shared/api';
import { newId } from './registry/ids';

export interface TaskContext {
  readonly id: string;
  /** Reports progress; events are thrown away faster than every 100 ms except the last of a phase. */
  progress(phase: string, done: number, total: number, unit: string): void;
  readonly cancelled: boolean;
  /** Runs `fn` when the task is cancelled (e.g. to raise the worker's stop flag). */
  onCancel(fn: () => void): void;
}

export interface TaskOutcome {
  status: 'finished' | 'failed' | 'cancelled';
  error: string | null;
  /** The ApiError code of a failure; other errors (a reader refusing a file) count as bad requests. */
  errorCode: ApiErrorCode | null;
  result: unknown;
}

interface ActiveTask {
  cancel(): void;
  done: Promise<TaskOutcome>;
}

const PROGRESS_INTERVAL_MS = 100;

export class TaskRunner {
  private readonly active = new Map<string, ActiveTask>();
  private readonly ended = new Map<string, TaskOutcome>();

  constructor(private readonly emit: (e: JobEvent) => void) {}

  start(kind: string, body: (task: TaskContext) => Promise<unknown>): string {
    const id = newId('t');
    let cancelled = false;
    const cancelHooks: (() => void)[] = [];
    let lastEmit = 0;
    let lastPhase = '';
    const ctx: TaskContext = {
      id,
      get cancelled() {
        return cancelled;
      },
      progress: (phase, done, total, unit) => {
        const now = Date.now();
        if (phase === lastPhase && done < total && now - lastEmit < PROGRESS_INTERVAL_MS) return;
        lastEmit = now;
        lastPhase = phase;
        this.emit({ type: 'task', taskId: id, kind, phase, done, total, unit });
      },
      onCancel: (fn) => {
        if (cancelled) fn();
        else cancelHooks.push(fn);
      },
    };
    const done = (async (): Promise<TaskOutcome> => {
      try {
        const result = await body(ctx);
        return { status: 'finished', error: null, errorCode: null, result };
      } catch (e) {
        if (cancelled) return { status: 'cancelled', error: null, errorCode: null, result: null };
        const errorCode = e instanceof ApiError ? e.code : 'bad-request';
        return { status: 'failed', error: e instanceof Error ? e.message : String(e), errorCode, result: null };
      }
    })().then((outcome) => {
      this.active.delete(id);
      this.ended.set(id, outcome);
      this.emit({ type: 'task-end', taskId: id, kind, ...outcome });
      return outcome;
    });
    this.active.set(id, {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        for (const fn of cancelHooks.splice(0)) fn();
      },
      done,
    });
    return id;
  }

  cancel(id: string): void {
    const task = this.active.get(id);
    if (!task) {
      const ended = this.ended.get(id);
      throw new ApiError(ended ? `task ${id} has already ended (${ended.status})` : `no task ${id} in this workbench session`, ended ? 'conflict' : 'not-found');
    }
    task.cancel();
  }

  /** The task's outcome once it ends. */
  async wait(id: string): Promise<TaskOutcome> {
    const task = this.active.get(id);
    if (task) return task.done;
    const ended = this.ended.get(id);
    if (!ended) throw new ApiError(`no task ${id} in this workbench session`, 'not-found');
    return ended;
  }

  /** Cancels every running task and waits for them to end. */
  async close(): Promise<void> {
    const running = [...this.active.values()];
    for (const t of running) t.cancel();
    await Promise.allSettled(running.map((t) => t.done));
  }
}

/**
 * A context for work inside a run (preparing data, a study's steps): no progress events of its own, but
 * cancellable — `cancel` raises `cancelled` and runs the hooks registered with onCancel.
 */
export function silentTask(id: string): { task: TaskContext; cancel(): void } {
  let cancelled = false;
  const hooks: (() => void)[] = [];
  return {
    task: {
      id,
      progress: () => {},
      get cancelled() {
        return cancelled;
      },
      onCancel: (fn) => (cancelled ? fn() : hooks.push(fn)),
    },
    cancel: () => {
      cancelled = true;
      for (const fn of hooks.splice(0)) fn();
    },
  };
}
