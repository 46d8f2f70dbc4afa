import { SelftestConfig } from '@shared/api';
import { UsageError, type Command } from '../command';
import { formatNumber } from '@shared/format';

const NUMERIC = { epochs: 'epochs', samples: 'samples', features: 'features', latent: 'latent', 'batch-size': 'batchSize', seed: 'seed', lr: 'learningRate' } as const;

export const selftest: Command = {
  name: 'selftest',
  args: '',
  summary: 'train a tiny dense autoencoder on generated Gaussian data and record it as a run',
  help: [
    'Checks the whole chain: backend, worker thread, training, registry. Ctrl-C cancels the run.',
    '--epochs N (5)  --samples N (4096)  --features N (16)  --latent N (4)  --batch-size N (256)  --seed S (1)  --lr X (0.001)',
  ],
  options: Object.fromEntries(Object.keys(NUMERIC).map((k) => [k, { type: 'string' as const }])),
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, values, global, out }) {
    const raw: Record<string, unknown> = { backend: global.backend ?? 'auto' };
    for (const [flag, key] of Object.entries(NUMERIC)) {
      const v = values[flag];
      if (v === undefined) continue;
      if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(String(v))) throw new UsageError(`--${flag}: not a number: ${String(v)}`);
      raw[key] = Number(v);
    }
    const cfg = SelftestConfig.safeParse(raw);
    if (!cfg.success) {
      const i = cfg.error.issues[0];
      const flag = Object.entries(NUMERIC).find(([, k]) => k === i.path[0])?.[0] ?? String(i.path[0]);
      throw new UsageError(`--${flag}: ${i.message}`);
    }
    const e = await engine();
    const off = e.onEvent((ev) => {
      if (ev.type === 'status' && ev.status === 'running') out.info(`run ${ev.runId} running`);
      if (ev.type === 'epoch') {
        const m = ev.metrics;
        out.info(`epoch ${ev.epoch}/${cfg.data.epochs}  train loss ${formatNumber(m.train_loss)}  val loss ${formatNumber(m.val_loss)}  ${Math.round(m.samples_per_sec)} samples/s`);
      }
    });
    const { runId } = await e.call('jobs.selftest', cfg.data);
    const onSigint = () => {
      out.info('cancelling…');
      void e.call('jobs.cancel', { runId }).catch(() => {});
    };
    process.once('SIGINT', onSigint);
    try {
      await e.waitForRun(runId);
    } finally {
      process.off('SIGINT', onSigint);
      off();
    }
    const run = await e.call('runs.get', { id: runId });
    out.result(
      { runId, status: run.status, backend: run.backend, device: run.device, error: run.error, summary: run.summary },
      (r) => `run ${r.runId} ${r.status} on ${r.backend ?? '—'}${r.error ? `: ${r.error}` : ''}; final validation loss ${formatNumber(r.summary.final_val_loss)}`,
    );
    return run.status === 'finished' ? 0 : run.status === 'cancelled' ? 130 : 1;
  },
};
