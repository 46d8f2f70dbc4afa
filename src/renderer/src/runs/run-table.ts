// The rows of the runs browser: key parameters read from each run's configuration, metrics from its
// summary, sorting by any column, and grouping of runs whose configurations differ only in the seed.
import type { RunSummary } from '@shared/api';
import { meanStd, type MeanStd } from '@shared/stats/mean-std';

export interface KeyParams {
  model: string | null;
  dataset: string | null;
  epochs: number | null;
  seed: number | null;
}

export interface RunRow extends KeyParams {
  run: RunSummary;
  auc: number | null;
  /** 1/ε_B at ε_S = 0.3 (the registry's `rejection`). */
  rejection: number | null;
}

export const SORT_KEYS = ['id', 'name', 'kind', 'status', 'model', 'dataset', 'epochs', 'seed', 'started', 'auc', 'rejection'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A dataset as configs name it: a stored name, or a study's spec ({ name } or { generate: … }). */
function datasetName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (isRecord(v)) return str(v.name) ?? str(v.dataset) ?? (isRecord(v.generate) ? `generated ${str(v.generate.process) ?? str(v.generate.kind) ?? ''}`.trim() : null);
  return null;
}

/** Model, dataset, epochs and seed from a training config, a self-test config or a study file. */
export function keyParams(kind: string, config: unknown, seed: number | null): KeyParams {
  const c = isRecord(config) ? config : {};
  const model = isRecord(c.model) ? str(c.model.kind) : str(c.model);
  return {
    // A study's "model" column says what study it is; a self-test trains a dense AE.
    model: model ?? (kind === 'study' ? str(c.kind) : kind === 'selftest' ? 'dense-ae' : null),
    dataset: datasetName(c.dataset) ?? (kind === 'selftest' ? 'gaussian' : null),
    epochs: num(c.epochs),
    seed: seed ?? num(c.seed),
  };
}

export function runRow(run: RunSummary, config: unknown): RunRow {
  return { run, ...keyParams(run.kind, config, run.seed), auc: num(run.summary.auc), rejection: num(run.summary.rejection) };
}

function sortValue(row: RunRow, key: SortKey): string | number | null {
  switch (key) {
    case 'id':
    case 'name':
    case 'kind':
    case 'status':
      return row.run[key];
    case 'started':
      return row.run.startedAt ?? row.run.createdAt;
    default:
      return row[key];
  }
}

/** Compares two cell values; missing values (null) go last whichever the direction. */
export function compareCells(a: string | number | null, b: string | number | null, dir: SortDir): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
  return dir === 'asc' ? c : -c;
}

/** A stable sort of the rows by one column. */
export function sortRows(rows: readonly RunRow[], key: SortKey, dir: SortDir): RunRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => compareCells(sortValue(x.row, key), sortValue(y.row, key), dir) || x.i - y.i)
    .map((x) => x.row);
}

/** Parses `auc:desc` (the URL form) into a sort; anything else is null (the registry's order). */
export function parseSort(text: string | undefined): { key: SortKey; dir: SortDir } | null {
  const [key, dir] = (text ?? '').split(':');
  return (SORT_KEYS as readonly string[]).includes(key) && (dir === 'asc' || dir === 'desc') ? { key: key as SortKey, dir } : null;
}

/** JSON with object keys in sorted order, so equal configs give equal text whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The identity of a configuration apart from its seed: the run kind and the config without `seed`. */
export function configurationKey(kind: string, config: unknown): string {
  const rest = isRecord(config) ? Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'seed')) : config;
  return `${kind}\u0000${canonical(rest)}`;
}

export interface RunGroup {
  key: string;
  /** The newest run of the group stands for it (name, key parameters). */
  first: RunRow;
  rows: RunRow[];
  seeds: number[];
  /** Over the runs that have the metric; null when none has. */
  auc: MeanStd | null;
  rejection: MeanStd | null;
}

const stat = (values: (number | null)[]): MeanStd | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? meanStd(present) : null;
};

/** Groups rows with identical configurations except the seed, in the order of each group's first row. */
export function groupByConfiguration(rows: readonly RunRow[], configs: ReadonlyMap<string, unknown>): RunGroup[] {
  const groups = new Map<string, RunRow[]>();
  for (const row of rows) {
    const key = configurationKey(row.run.kind, configs.get(row.run.id));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([key, members]) => ({
    key,
    first: members[0],
    rows: members,
    seeds: members.map((r) => r.seed).filter((s): s is number => s !== null),
    auc: stat(members.map((r) => r.auc)),
    rejection: stat(members.map((r) => r.rejection)),
  }));
}
