import { RepresentationSpec, type RepresentationInfo } from '@shared/api';
import { UsageError, type Command, type CommandContext } from '../command';
import { followTask } from '../task-progress';

const NUMERIC: Record<string, string> = { pixels: 'pixels', range: 'range', n: 'n' };

/** The command-line flags of a representation (shared by `awb represent` and `awb train`). */
export const REPRESENTATION_FLAGS = {
  pixels: { type: 'string' },
  range: { type: 'string' },
  transform: { type: 'string' },
  n: { type: 'string' },
  coords: { type: 'string' },
  'no-scale': { type: 'boolean' },
  scale: { type: 'boolean' },
  'sin-cos': { type: 'boolean' },
} as const;

export const REPRESENTATION_HELP = [
  'jets:   --kind jet-images [--pixels 40] [--range 0.8] [--transform none|sqrt|fourth-root|log1p-1000|occupancy]',
  '        --kind constituents [--n 20] [--coords p4|pt-deta-dphi] [--no-scale]',
  '        --kind jet-observables        (mass, pt, eta, multiplicity, tau21, tau32)',
  'events: --kind event-objects [--sin-cos] | event-features (the 57 inputs) | event-observables (ht, met, mjj, mll, …)',
  'tables: --kind features [--scale]',
];

/** A RepresentationSpec from the flags, or a usage error naming the flag. */
export function representationFromFlags(kind: string, values: CommandContext['values'], kindFlag = 'kind'): RepresentationSpec {
  const raw: Record<string, unknown> = { kind };
  for (const [flag, field] of Object.entries(NUMERIC)) if (values[flag] !== undefined) raw[field] = Number(values[flag]);
  if (values.transform !== undefined) raw.transform = values.transform;
  if (values.coords !== undefined) raw.coords = values.coords;
  if (values['no-scale']) raw.scale = false;
  if (values.scale) raw.scale = true;
  if (values['sin-cos']) raw.sinCos = true;
  const spec = RepresentationSpec.safeParse(raw);
  if (!spec.success) {
    const i = spec.error.issues[0];
    const field = String(i.path[0] ?? 'kind');
    throw new UsageError(`--${field === 'kind' ? kindFlag : field}: ${i.message}`);
  }
  return spec.data;
}

export const represent: Command = {
  name: 'represent',
  args: 'DATASET --kind KIND',
  summary: 'compute (or find cached) a representation of a stored dataset; prints where data.npy lies',
  help: [...REPRESENTATION_HELP, 'Scalers (constituents, event objects, --scale) are fitted on the training split only.'],
  options: { kind: { type: 'string' }, ...REPRESENTATION_FLAGS },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, values, positionals, out }) {
    if (values.kind === undefined) throw new UsageError('--kind KIND is required (see `awb help represent`)');
    const spec = representationFromFlags(String(values.kind), values);
    const e = await engine();
    const { taskId } = await e.call('datasets.represent', { id: positionals[0], spec });
    const r = (await followTask(e, taskId, out)) as RepresentationInfo;
    out.result(r, (x) => `${x.cached ? 'cached' : 'computed'} ${String(x.spec.kind)} (${x.shape.join(' × ')})${x.columns ? ` [${x.columns.join(', ')}]` : ''}\n${x.folder}/data.npy`);
    return 0;
  },
};
