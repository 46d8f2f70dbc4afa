import type { Command } from '../command';
import { followRun, runExitCode } from '../run-progress';

export const resume: Command = {
  name: 'resume',
  args: 'RUN',
  summary: 'continue an interrupted, cancelled or failed training run from its last checkpoint, as a new run',
  help: ['The new run has the same configuration and ends with the weights an uninterrupted run would have reached.'],
  options: {},
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, positionals, out }) {
    const e = await engine();
    const run = await followRun(e, () => e.call('jobs.resume', { runId: positionals[0] }), out);
    out.result(
      { id: run.id, kind: run.kind, status: run.status, error: run.error, metrics: run.summary },
      (r) => `run ${r.id} ${r.status}${r.error ? `: ${r.error}` : ''} (resumed from ${positionals[0]})`,
    );
    return runExitCode(run);
  },
};
