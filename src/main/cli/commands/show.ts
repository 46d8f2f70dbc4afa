import type { RunDetail } from '@shared/api';
import type { Command } from '../command';
import { formatDuration, formatNumber } from '@shared/format';
import { table } from '../format';

/** Per-epoch metrics as one row per step, one column per metric key. */
function metricsTable(run: RunDetail): string {
  const keys = [...new Set(run.metrics.map((m) => m.key))];
  const steps = [...new Set(run.metrics.map((m) => m.step))].sort((a, b) => a - b);
  const at = new Map(run.metrics.map((m) => [`${m.key}@${m.step}`, m.value]));
  return table(['step', ...keys], steps.map((s) => [s, ...keys.map((k) => formatNumber(at.get(`${k}@${s}`)))]));
}

function showText(run: RunDetail): string {
  const lines = [
    `run        ${run.id}`,
    `name       ${run.name}`,
    `kind       ${run.kind}`,
    `status     ${run.status}${run.error ? ` (${run.error})` : ''}`,
    `backend    ${run.backend ?? '—'}${run.device ? ` on ${run.device}` : ''}`,
    `engine     ${run.engineVersion}`,
    `seed       ${run.seed ?? '—'}`,
    `created    ${run.createdAt}`,
    `duration   ${formatDuration(run.startedAt, run.endedAt)}`,
    `tags       ${run.tags.join(', ') || '—'}`,
    '',
    'config',
    JSON.stringify(run.config, null, 2),
  ];
  if (Object.keys(run.summary).length) {
    lines.push('', 'summary', table(['metric', 'value'], Object.entries(run.summary).map(([k, v]) => [k, formatNumber(v)])));
  }
  if (run.metrics.length) lines.push('', 'metrics', metricsTable(run));
  if (run.artifacts.length) {
    lines.push('', 'artifacts', table(['name', 'kind', 'bytes', 'sha256'], run.artifacts.map((a) => [a.path, a.kind, a.bytes, a.sha256.slice(0, 16)])));
  }
  for (const n of run.notes) lines.push('', `note (${n.createdAt})`, n.text);
  return lines.join('\n');
}

export const show: Command = {
  name: 'show',
  args: 'RUN',
  summary: 'show one run: config, status, metrics per epoch, artifacts, tags and notes',
  help: ['RUN is a run id or a unique prefix of one.'],
  options: {},
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, positionals, out }) {
    out.result(await (await engine()).call('runs.get', { id: positionals[0] }), showText);
    return 0;
  },
};
