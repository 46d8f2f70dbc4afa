// Follows a run from the command line: status, per-epoch and study-phase lines on stderr, Ctrl-C cancels it.
import type { RunDetail } from '@shared/api';
import { formatNumber } from '@shared/format';
import type { Engine } from '../engine/engine';
import type { Output } from './command';

/** Starts a run with `start`, follows it to its end, and returns its registry record. */
export async function followRun(e: Engine, start: () => Promise<{ runId: string }>, out: Output): Promise<RunDetail> {
  let epochs: number | null = null;
  const lastTenth = new Map<string, number>();
  const off = e.onEvent((ev) => {
    if (ev.type === 'status' && ev.status === 'running') out.info(`run ${ev.runId} running`);
    if (ev.type === 'progress') epochs = ev.epochs;
    // A study's own phases (e.g. pseudo-experiments), at most every tenth of the way.
    if (ev.type === 'task' && ev.kind === 'study' && ev.total > 0) {
      const tenth = Math.floor((10 * ev.done) / ev.total);
      if (tenth !== lastTenth.get(ev.phase)) {
        lastTenth.set(ev.phase, tenth);
        out.info(`${ev.phase}: ${ev.done} / ${ev.total} ${ev.unit}`);
      }
    }
    if (ev.type === 'epoch' && ev.metrics.clr_loss !== undefined) {
      const m = ev.metrics;
      const val = m.clr_val_loss === undefined ? '' : `  val loss ${formatNumber(m.clr_val_loss)}`;
      out.info(`contrastive epoch ${ev.epoch}  loss ${formatNumber(m.clr_loss)}${val}  ${Math.round(m.clr_samples_per_sec)} events/s`);
    } else if (ev.type === 'epoch') {
      const m = ev.metrics;
      const val = m.val_loss === undefined ? '' : `  val loss ${formatNumber(m.val_loss)}`;
      const lr = m.learning_rate === undefined ? '' : `  lr ${formatNumber(m.learning_rate)}`;
      out.info(`epoch ${ev.epoch}/${epochs ?? '?'}  train loss ${formatNumber(m.train_loss)}${val}${lr}  ${Math.round(m.samples_per_sec)} samples/s`);
    }
  });
  try {
    const { runId } = await start();
    const onSigint = () => {
      out.info('cancelling…');
      void e.call('jobs.cancel', { runId }).catch(() => {});
    };
    process.once('SIGINT', onSigint);
    try {
      await e.waitForRun(runId);
    } finally {
      process.off('SIGINT', onSigint);
    }
    return await e.call('runs.get', { id: runId });
  } finally {
    off();
  }
}

/** The exit code of a finished command that ran `run`. */
export function runExitCode(run: RunDetail): number {
  return run.status === 'finished' ? 0 : run.status === 'cancelled' ? 130 : 1;
}
