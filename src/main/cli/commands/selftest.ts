import { SelftestConfig } from '@shared/api';
import { UsageError, type Command } from '../command';
import { formatNumber } from '@shared/format';
import { followRun, runExitCode } from '../run-progress';

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
    const run = await followRun(e, () => e.call('jobs.selftest', cfg.data), out);
    const runId = run.id;
    out.result(
      { runId, status: run.status, backend: run.backend, device: run.device, error: run.error, summary: run.summary },
      (r) => `run ${r.runId} ${r.status} on ${r.backend ?? '—'}${r.error ? `: ${r.error}` : ''}; final validation loss ${formatNumber(r.summary.final_val_loss)}`,
    );
    return runExitCode(run);
  },
};
