import { RUN_STATUSES, RunFilter, type RunSummary } from '@shared/api';
import { UsageError, type Command } from '../command';
import { formatDuration, formatNumber } from '@shared/format';
import { table } from '../format';

export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs';
  return table(
    ['id', 'status', 'kind', 'name', 'backend', 'started', 'duration', 'loss', 'tags'],
    runs.map((r) => [
      r.id,
      r.status,
      r.kind,
      r.name,
      r.backend,
      r.startedAt?.replace('T', ' ').slice(0, 19),
      formatDuration(r.startedAt, r.endedAt),
      formatNumber(r.summary.final_val_loss ?? r.summary.final_train_loss),
      r.tags.join(','),
    ]),
  );
}

export const runs: Command = {
  name: 'runs',
  args: '',
  summary: 'list runs in the registry, newest first',
  help: [
    `--status S   only runs with this status (${RUN_STATUSES.join(', ')})`,
    '--kind K     only runs of this kind (e.g. selftest)',
    '--tag T      only runs with this tag',
    '--search X   free text in name, kind, config, tags and notes',
    '--limit N    at most N runs (default 100)',
  ],
  options: {
    status: { type: 'string' },
    kind: { type: 'string' },
    tag: { type: 'string' },
    search: { type: 'string' },
    limit: { type: 'string' },
  },
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, values, out }) {
    const filter = RunFilter.safeParse({
      status: values.status,
      kind: values.kind,
      tag: values.tag,
      text: values.search,
      limit: values.limit === undefined ? 100 : Number(values.limit),
    });
    if (!filter.success) {
      const i = filter.error.issues[0];
      throw new UsageError(`--${i.path[0] === 'text' ? 'search' : String(i.path[0])}: ${i.message}`);
    }
    const list = await (await engine()).call('runs.list', filter.data);
    out.result(list, runsTable);
    return 0;
  },
};
