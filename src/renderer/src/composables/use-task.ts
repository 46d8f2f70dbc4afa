// One engine task (an import, a generator run) followed from the screen that started it: its latest
// progress ('task' events), its outcome ('task-end') and a cancel. Events of other tasks are ignored.
import { computed, onBeforeUnmount, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import type { ApiErrorCode, JobEvent } from '@shared/api';
import { errorMessage } from '@shared/format';
import { useWorkbench } from './workbench';

export type TaskProgress = Extract<JobEvent, { type: 'task' }>;
export type TaskEnd = Extract<JobEvent, { type: 'task-end' }>;

export interface TrackedTask {
  taskId: Ref<string | null>;
  progress: ShallowRef<TaskProgress | null>;
  running: Ref<boolean>;
  /** 0 to 1 within the current phase. */
  fraction: ComputedRef<number>;
  /** Starts a task and resolves with its outcome; a refused start resolves as 'failed' with the reason. */
  run(start: () => Promise<{ taskId: string }>): Promise<Pick<TaskEnd, 'status' | 'error' | 'errorCode' | 'result'>>;
  cancel(): Promise<void>;
}

export function useTask(): TrackedTask {
  const { host } = useWorkbench();
  const taskId = ref<string | null>(null);
  const progress = shallowRef<TaskProgress | null>(null);
  const running = ref(false);
  // Events can arrive before the start call answers: keep them until the id is known.
  const early: JobEvent[] = [];
  let settle: ((e: TaskEnd) => void) | null = null;

  const take = (e: JobEvent): void => {
    if (e.type === 'task' && e.taskId === taskId.value) progress.value = e;
    else if (e.type === 'task-end' && e.taskId === taskId.value) settle?.(e);
  };
  const off = host.onEvent((e) => {
    if (e.type !== 'task' && e.type !== 'task-end') return;
    if (running.value && taskId.value === null) early.push(e);
    else take(e);
  });
  onBeforeUnmount(off);

  async function run(start: () => Promise<{ taskId: string }>): ReturnType<TrackedTask['run']> {
    progress.value = null;
    taskId.value = null;
    running.value = true;
    early.length = 0;
    try {
      const ended = new Promise<TaskEnd>((resolve) => (settle = resolve));
      taskId.value = (await start()).taskId;
      for (const e of early.splice(0)) take(e);
      const end = await ended;
      return { status: end.status, error: end.error, errorCode: end.errorCode, result: end.result };
    } catch (e) {
      return { status: 'failed', error: errorMessage(e), errorCode: ((e as { code?: ApiErrorCode }).code ?? 'internal') as ApiErrorCode, result: null };
    } finally {
      running.value = false;
      settle = null;
    }
  }

  async function cancel(): Promise<void> {
    if (taskId.value && running.value) await host.call('tasks.cancel', { taskId: taskId.value });
  }

  const fraction = computed(() => (progress.value && progress.value.total > 0 ? Math.min(1, progress.value.done / progress.value.total) : 0));
  return { taskId, progress, running, fraction, run, cancel };
}
