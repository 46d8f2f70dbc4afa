import type { DatasetInfo } from '@shared/api';
import { formatDateTime } from '@shared/format';
import type { Command } from '../command';
import { table } from '../format';

const counts = (c: Record<string, number>): string => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ');

/** Everything a physicist checks before using a dataset: where from, what shape, which labels, which split. */
export function datasetText(d: DatasetInfo): string {
  const lines = [
    `dataset ${d.name} (${d.id}), ${d.kind}, ${d.rows} rows, read as ${d.format}`,
    `source   ${d.sourcePath}`,
    `         sha256 ${d.sourceHash}`,
    `content  sha256 ${d.contentHash}`,
    `arrays   ${Object.entries(d.shapes).map(([k, s]) => `${k} (${s.join(', ')})`).join('; ')}`,
    `labels   ${counts(d.countsByLabel)}`,
    `split    seed ${d.splits.seed}, fractions ${d.splits.fractions.join('/')}: ${Object.entries(d.splits.counts).map(([s, c]) => `${s} [${counts(c)}]`).join(', ')}`,
  ];
  if (d.columns) lines.push(`columns  ${d.columns.join(', ')}`);
  return lines.join('\n');
}

export const datasets: Command = {
  name: 'datasets',
  args: '[NAME]',
  summary: 'list the stored datasets, or show one',
  help: ['With NAME (or id): sources, hashes, arrays, label counts and the train/validation/test split.'],
  options: {},
  minPositionals: 0,
  maxPositionals: 1,
  async run({ engine, positionals, out }) {
    const e = await engine();
    if (positionals.length === 1) {
      const d = await e.call('datasets.get', { id: positionals[0] });
      out.result(d, datasetText);
      return 0;
    }
    const all = await e.call('datasets.list', {});
    out.result(all, (ds) =>
      ds.length === 0
        ? 'no datasets; `awb import FILE --name NAME` or `awb generate jets ...` then import'
        : table(
            ['name', 'id', 'kind', 'format', 'rows', 'labels', 'content sha256', 'created'],
            ds.map((d) => [d.name, d.id, d.kind, d.format, d.rows, counts(d.countsByLabel), d.contentHash.slice(0, 12), formatDateTime(d.createdAt, false)]),
          ),
    );
    return 0;
  },
};
