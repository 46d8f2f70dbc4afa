import { RepresentationSpec, type RepresentationInfo } from '@shared/api';
import { UsageError, type Command } from '../command';
import { followTask } from '../task-progress';

const NUMERIC: Record<string, string> = { pixels: 'pixels', range: 'range', n: 'n' };

export const represent: Command = {
  name: 'represent',
  args: 'DATASET --kind KIND',
  summary: 'compute (or find cached) a representation of a stored dataset; prints where data.npy lies',
  help: [
    'jets:   --kind jet-images [--pixels 40] [--range 0.8] [--transform none|sqrt|fourth-root|log1p-1000|occupancy]',
    '        --kind constituents [--n 20] [--coords p4|pt-deta-dphi] [--no-scale]',
    '        --kind jet-observables        (mass, pt, eta, multiplicity, tau21, tau32)',
    'events: --kind event-objects [--sin-cos] | event-features (the 57 inputs) | event-observables (ht, met, mjj, mll, …)',
    'tables: --kind features [--scale]',
    'Scalers (constituents, event objects, --scale) are fitted on the training split only.',
  ],
  options: {
    kind: { type: 'string' },
    pixels: { type: 'string' },
    range: { type: 'string' },
    transform: { type: 'string' },
    n: { type: 'string' },
    coords: { type: 'string' },
    'no-scale': { type: 'boolean' },
    scale: { type: 'boolean' },
    'sin-cos': { type: 'boolean' },
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, values, positionals, out }) {
    if (values.kind === undefined) throw new UsageError('--kind KIND is required (see `awb help represent`)');
    const raw: Record<string, unknown> = { kind: values.kind };
    for (const [flag, field] of Object.entries(NUMERIC)) if (values[flag] !== undefined) raw[field] = Number(values[flag]);
    if (values.transform !== undefined) raw.transform = values.transform;
    if (values.coords !== undefined) raw.coords = values.coords;
    if (values['no-scale']) raw.scale = false;
    if (values.scale) raw.scale = true;
    if (values['sin-cos']) raw.sinCos = true;
    const spec = RepresentationSpec.safeParse(raw);
    if (!spec.success) {
      const i = spec.error.issues[0];
      throw new UsageError(`--${String(i.path[0] ?? 'kind')}: ${i.message}`);
    }
    const e = await engine();
    const { taskId } = await e.call('datasets.represent', { id: positionals[0], spec: spec.data });
    const r = (await followTask(e, taskId, out)) as RepresentationInfo;
    out.result(r, (x) => `${x.cached ? 'cached' : 'computed'} ${String(x.spec.kind)} (${x.shape.join(' × ')})${x.columns ? ` [${x.columns.join(', ')}]` : ''}\n${x.folder}/data.npy`);
    return 0;
  },
};
