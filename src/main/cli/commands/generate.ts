import { EVENT_PROCESSES, GenerateParams, JET_PROCESSES, MANIFOLD_SHAPES, type GenerateResult } from '@shared/api';
import { UsageError, type Command } from '../command';
import { followTask } from '../task-progress';

/** Command-line flag → GenerateParams field, and whether its value is a number. */
const FLAGS: Record<string, { field: string; numeric: boolean }> = {
  n: { field: 'n', numeric: true },
  seed: { field: 'seed', numeric: true },
  out: { field: 'out', numeric: false },
  process: { field: 'process', numeric: false },
  shape: { field: 'shape', numeric: false },
  dim: { field: 'dim', numeric: true },
  particles: { field: 'particles', numeric: true },
  'sqrt-s': { field: 'sqrtS', numeric: true },
  'signal-fraction': { field: 'signalFraction', numeric: true },
  'signal-mass': { field: 'signalMass', numeric: true },
  'signal-radius': { field: 'signalRadius', numeric: true },
};

export const generate: Command = {
  name: 'generate',
  args: 'KIND --n N --seed S --out FILE',
  summary: 'write a built-in data set (jets, events, manifold, phase-space, dijet) to a file for `awb import`',
  help: [
    `jets --process ${JET_PROCESSES.join('|')}            boosted R = 0.8 jets, pT 550–650 GeV, Top Tagging pandas layout`,
    `events --process ${EVENT_PROCESSES.join('|')}   ADC2021-layout events (19 objects)`,
    `manifold --shape ${MANIFOLD_SHAPES.join('|')} [--dim D] [--signal-fraction F --signal-radius R]`,
    'phase-space --particles N --sqrt-s E [--signal-fraction F --signal-mass M]   massless n-body phase space (RAMBO)',
    'dijet [--sqrt-s E] [--signal-fraction F] [--signal-mass M]   falling dijet spectrum plus a resonance',
    'The same KIND, options and seed give the same file on every machine.',
    'Example: awb generate jets --process top --n 5000 --seed 1 --out top.h5',
  ],
  options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, values, positionals, out }) {
    const raw: Record<string, unknown> = { kind: positionals[0] };
    for (const [flag, { field, numeric }] of Object.entries(FLAGS)) {
      const v = values[flag];
      if (v === undefined) continue;
      if (numeric && !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(String(v))) throw new UsageError(`--${flag}: not a number: ${String(v)}`);
      raw[field] = numeric ? Number(v) : v;
    }
    const p = GenerateParams.safeParse(raw);
    if (!p.success) {
      const i = p.error.issues[0];
      const field = String(i.path[0] ?? 'kind');
      const flag = Object.entries(FLAGS).find(([, f]) => f.field === field)?.[0];
      throw new UsageError(flag ? `--${flag}: ${i.message}` : `${field === 'kind' ? 'KIND' : field}: ${i.message}`);
    }
    const known = new Set(Object.keys(GenerateParams.options.find((o) => o.shape.kind.value === p.data.kind)!.shape));
    const stray = Object.keys(FLAGS).filter((f) => values[f] !== undefined && !known.has(FLAGS[f].field));
    if (stray.length) throw new UsageError(`--${stray[0]} does not apply to \`generate ${p.data.kind}\``);
    const e = await engine();
    const { taskId } = await e.call('datasets.generate', p.data);
    const r = (await followTask(e, taskId, out)) as GenerateResult;
    out.result(r, (x) => `wrote ${x.rows} rows to ${x.out} (${Object.entries(x.countsByLabel).map(([k, v]) => `${k} ${v}`).join(', ')})\nsha256 ${x.sha256}`);
    return 0;
  },
};
