// Follows a task (import, generation) from the command line: progress lines on stderr, Ctrl-C cancels.
import { ApiError } from '@shared/api';
import { formatBytes } from '@shared/format';
import type { Engine } from '../engine/engine';
import type { TaskOutcome } from '../engine/tasks';
import type { Output } from './command';

const LINE_INTERVAL_MS = 1000;

function amount(n: number, unit: string): string {
  return unit === 'bytes' ? formatBytes(n) : `${n.toLocaleString('en-US')} ${unit}`;
}

/** Waits for the task; returns its result, or throws its error (a cancelled task throws too). */
export async function followTask(e: Engine, taskId: string, out: Output): Promise<unknown> {
  let last = 0;
  let lastLine = '';
  const off = e.onEvent((ev) => {
    if (ev.type !== 'task' || ev.taskId !== taskId) return;
    const now = Date.now();
    if (ev.done < ev.total && now - last < LINE_INTERVAL_MS) return;
    const pct = ev.total > 0 ? ` (${Math.floor((100 * ev.done) / ev.total)} %)` : '';
    const line = `${ev.kind} · ${ev.phase}: ${amount(ev.done, ev.unit)} / ${amount(ev.total, ev.unit)}${pct}`;
    if (line === lastLine) return;
    last = now;
    lastLine = line;
    out.info(line);
  });
  const onSigint = () => {
    out.info('cancelling…');
    void e.call('tasks.cancel', { taskId }).catch(() => {});
  };
  process.once('SIGINT', onSigint);
  let outcome: TaskOutcome;
  try {
    outcome = await e.waitForTask(taskId);
  } finally {
    process.off('SIGINT', onSigint);
    off();
  }
  if (outcome.status === 'cancelled') throw new ApiError('cancelled; nothing was stored', 'conflict');
  if (outcome.status === 'failed') throw new ApiError(outcome.error ?? 'failed', outcome.errorCode ?? 'internal');
  return outcome.result;
}
