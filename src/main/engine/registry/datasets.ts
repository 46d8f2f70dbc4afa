// Dataset records: what was imported or generated, from where, and what it holds.
import type Database from 'better-sqlite3';
import { ApiError } from '@shared/api';
import { newId } from './ids';

export interface DatasetInput {
  name: string;
  /** The file or generator spec the data came from. */
  sourcePath: string;
  format: string;
  /** Hash of the stored content, so a changed source is noticed. */
  contentHash: string;
  /** Array name → shape, e.g. `{ images: [100000, 40, 40] }`. */
  shapes: Record<string, number[]>;
  /** Label → number of samples, e.g. `{ background: 90000, signal: 10000 }`. */
  countsByLabel: Record<string, number>;
}

export interface DatasetRecord extends DatasetInput {
  id: string;
  createdAt: string;
}

interface DatasetRow {
  id: string;
  name: string;
  source_path: string;
  format: string;
  content_hash: string;
  shapes_json: string;
  counts_json: string;
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
  for (const field of ['sourcePath', 'format', 'contentHash'] as const) {
    if (typeof d[field] !== 'string' || d[field] === '') bad(`${field} must be a non-empty string`);
  }
  for (const [array, shape] of Object.entries(d.shapes ?? bad('shapes is missing'))) {
    if (!Array.isArray(shape) || !shape.every(isCount)) bad(`shape of "${array}" must be a list of non-negative integers`);
  }
  for (const [label, count] of Object.entries(d.countsByLabel ?? bad('countsByLabel is missing'))) {
    if (!isCount(count)) bad(`count of label "${label}" must be a non-negative integer`);
  }
}

function toRecord(r: DatasetRow): DatasetRecord {
  return {
    id: r.id,
    name: r.name,
    sourcePath: r.source_path,
    format: r.format,
    contentHash: r.content_hash,
    shapes: JSON.parse(r.shapes_json) as Record<string, number[]>,
    countsByLabel: JSON.parse(r.counts_json) as Record<string, number>,
    createdAt: r.created_at,
  };
}

export function insertDataset(db: Database.Database, d: DatasetInput, now: string): DatasetRecord {
  checkDataset(d);
  const id = newId('d');
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM datasets WHERE name = ?').get(d.name)) {
      throw new ApiError(`a dataset named "${d.name}" already exists`, 'conflict');
    }
    db.prepare(
      `INSERT INTO datasets (id, name, source_path, format, content_hash, shapes_json, counts_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, d.name, d.sourcePath, d.format, d.contentHash, JSON.stringify(d.shapes), JSON.stringify(d.countsByLabel), now);
  }).immediate();
  return selectDataset(db, id);
}

export function selectDatasets(db: Database.Database): DatasetRecord[] {
  return db.prepare<[], DatasetRow>('SELECT * FROM datasets ORDER BY name').all().map(toRecord);
}

/** A dataset by its name or its id. */
export function selectDataset(db: Database.Database, nameOrId: string): DatasetRecord {
  // A name wins over an id, should one dataset be named like another's id.
  const row = db
    .prepare<{ key: string }, DatasetRow>('SELECT * FROM datasets WHERE name = @key OR id = @key ORDER BY name = @key DESC')
    .get({ key: nameOrId });
  if (!row) throw new ApiError(`no dataset named "${nameOrId}"`, 'not-found');
  return toRecord(row);
}
