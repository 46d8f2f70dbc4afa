// Dataset records: what was imported, from where, and what the store holds for it.
import type Database from 'better-sqlite3';
import { ApiError, DATASET_KINDS, type DatasetInfo } from '@shared/api';
import { newId } from './ids';

export type DatasetInput = Omit<DatasetInfo, 'id' | 'createdAt'>;

interface DatasetRow {
  id: string;
  name: string;
  kind: DatasetInfo['kind'];
  source_path: string;
  format: string;
  source_hash: string;
  content_hash: string;
  rows: number;
  shapes_json: string;
  counts_json: string;
  label_names_json: string;
  columns_json: string | null;
  splits_json: string;
  meta_json: string;
  created_at: string;
}

const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

function checkDataset(d: DatasetInput): void {
  const bad = (what: string): never => {
    throw new ApiError(`dataset "${d.name}": ${what}`, 'bad-request');
  };
  if (typeof d.name !== 'string' || d.name.trim() === '' || d.name !== d.name.trim()) {
    bad('the name must be non-empty without leading or trailing spaces');
  }
  if (!DATASET_KINDS.includes(d.kind)) bad(`kind must be one of ${DATASET_KINDS.join(', ')}`);
  for (const field of ['sourcePath', 'format', 'sourceHash', 'contentHash'] as const) {
    if (typeof d[field] !== 'string' || d[field] === '') bad(`${field} must be a non-empty string`);
  }
  if (!isCount(d.rows)) bad('rows must be a non-negative integer');
  for (const [array, shape] of Object.entries(d.shapes ?? bad('shapes is missing'))) {
    if (!Array.isArray(shape) || !shape.every(isCount)) bad(`shape of "${array}" must be a list of non-negative integers`);
  }
  for (const [label, count] of Object.entries(d.countsByLabel ?? bad('countsByLabel is missing'))) {
    if (!isCount(count)) bad(`count of label "${label}" must be a non-negative integer`);
  }
}

function toRecord(r: DatasetRow): DatasetInfo {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    format: r.format,
    sourcePath: r.source_path,
    sourceHash: r.source_hash,
    contentHash: r.content_hash,
    rows: r.rows,
    shapes: JSON.parse(r.shapes_json) as DatasetInfo['shapes'],
    countsByLabel: JSON.parse(r.counts_json) as DatasetInfo['countsByLabel'],
    labelNames: JSON.parse(r.label_names_json) as DatasetInfo['labelNames'],
    columns: r.columns_json === null ? null : (JSON.parse(r.columns_json) as string[]),
    splits: JSON.parse(r.splits_json) as DatasetInfo['splits'],
    meta: JSON.parse(r.meta_json) as DatasetInfo['meta'],
    createdAt: r.created_at,
  };
}

/** Checks that `name` is free; the store calls this before a long import so a clash fails at once. */
export function assertDatasetNameFree(db: Database.Database, name: string): void {
  if (db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(name)) {
    throw new ApiError(`a dataset named "${name}" already exists`, 'conflict');
  }
}

/** Records a dataset under `id` (the store folder's name), or a new id. */
export function insertDataset(db: Database.Database, d: DatasetInput, now: string, id = newId('d')): DatasetInfo {
  checkDataset(d);
  db.transaction(() => {
    assertDatasetNameFree(db, d.name);
    db.prepare(
      `INSERT INTO datasets (id, name, kind, source_path, format, source_hash, content_hash, rows, shapes_json, counts_json,
                             label_names_json, columns_json, splits_json, meta_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      d.name,
      d.kind,
      d.sourcePath,
      d.format,
      d.sourceHash,
      d.contentHash,
      d.rows,
      JSON.stringify(d.shapes),
      JSON.stringify(d.countsByLabel),
      JSON.stringify(d.labelNames),
      d.columns === null ? null : JSON.stringify(d.columns),
      JSON.stringify(d.splits),
      JSON.stringify(d.meta),
      now,
    );
  }).immediate();
  return selectDataset(db, id);
}

export function selectDatasets(db: Database.Database): DatasetInfo[] {
  return db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name').all().map(toRecord);
}

/** Datasets whose source file or stored content has this hash (duplicate detection). */
export function selectDatasetsByHash(db: Database.Database, which: 'source' | 'content', hash: string): DatasetInfo[] {
  const column = which === 'source' ? 'source_hash' : 'content_hash';
  return db.prepare<[string], DatasetRow>(`SELECT * FROM datasets WHERE ${column} = ? ORDER BY name`).all(hash).map(toRecord);
}

/** A dataset by its name or its id. */
export function selectDataset(db: Database.Database, nameOrId: string): DatasetInfo {
  // A name wins over an id, should one dataset be named like another's id.
  const row = db
    .prepare<{ key: string }, DatasetRow>('SELECT * FROM datasets WHERE name = @key OR id = @key ORDER BY name = @key DESC')
    .get({ key: nameOrId });
  if (!row) throw new ApiError(`no dataset named "${nameOrId}"`, 'not-found');
  return toRecord(row);
}
