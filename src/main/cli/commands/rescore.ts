import type { Command } from '../command';

export const rescore: Command = {
  name: 'rescore',
  args: 'RUN',
  summary: "reload a finished training run's saved weights and score its test rows again (the reload check)",
  help: ['Prints how many test rows were scored and the largest difference from the stored scores (0 = identical).'],
  options: {},
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, positionals, out }) {
    const r = await (await engine()).call('runs.rescore', { id: positionals[0] });
    out.result(r, (x) => `run ${x.runId}: ${x.scores} test rows scored again on ${x.backend}; largest difference from the stored scores ${x.maxAbsDifference}`);
    return 0;
  },
};
