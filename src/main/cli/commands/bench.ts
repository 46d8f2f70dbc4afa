import { formatBenchReport } from '../../engine/bench/format-report';
import { runBench } from '../../engine/bench/run-bench';
import { UsageError, type Command } from '../command';

export const bench: Command = {
  name: 'bench',
  args: '',
  summary: 'training and inference throughput per backend, against the same models in PyTorch',
  help: [
    'Runs the dense and the conv autoencoder on every available backend (or only --backend NAME) and,',
    "in the same run, the identical models in PyTorch (Debian's python3-torch with OpenBLAS; $AWB_PYTHON",
    'overrides the interpreter) on the same number of threads; reports samples/s and the ratio.',
    '--quick       a smoke run of a few seconds (rough numbers)',
    '--threads N   threads for wasm and PyTorch (default 1)',
  ],
  options: { quick: { type: 'boolean' }, threads: { type: 'string' } },
  minPositionals: 0,
  maxPositionals: 0,
  async run({ values, global, out }) {
    const threads = values.threads === undefined ? 1 : Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads: a positive whole number, got ${String(values.threads)}`);
    const report = await runBench({
      quick: Boolean(values.quick),
      threads,
      backends: global.backend && global.backend !== 'auto' ? [global.backend] : undefined,
      onLog: (line) => out.info(line),
    });
    out.result(report, formatBenchReport);
    return 0;
  },
};
