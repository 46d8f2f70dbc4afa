// The registry schema as an ordered list of forward migrations. The schema version is SQLite's
// `PRAGMA user_version`; migration N takes the database from version N-1 to N inside one transaction,
// so a crash mid-migration leaves the previous version intact. Released migrations are never edited:
// a schema change is a new entry at the end.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  up: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'datasets, runs, metrics, summaries, artifacts, tags, notes',
    up: (db) =>
      db.exec(`
        CREATE TABLE datasets (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          source_path TEXT NOT NULL,
          format TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          shapes_json TEXT NOT NULL CHECK (json_valid(shapes_json)),
          counts_json TEXT NOT NULL CHECK (json_valid(counts_json)),
          created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE runs (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          name TEXT NOT NULL,
          status TEXT NOT NULL
            CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted')),
          config_json TEXT NOT NULL CHECK (json_valid(config_json)),
          seed INTEGER,
          backend TEXT,
          device TEXT,
          engine_version TEXT NOT NULL,
          created_at TEXT NOT NULL,
          started_at TEXT,
          ended_at TEXT,
          parent_id TEXT REFERENCES runs(id),
          dataset_id TEXT REFERENCES datasets(id),
          error TEXT,
          owner_pid INTEGER NOT NULL,
          owner_host TEXT NOT NULL
        ) STRICT;
        CREATE INDEX runs_by_created ON runs(created_at);
        CREATE INDEX runs_by_parent ON runs(parent_id);
        CREATE INDEX runs_by_dataset ON runs(dataset_id);
        CREATE INDEX runs_by_status ON runs(status);

        CREATE TABLE metrics (
          run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          step INTEGER NOT NULL,
          value REAL NOT NULL,
          PRIMARY KEY (run_id, key, step)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE summaries (
          run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value REAL NOT NULL,
          PRIMARY KEY (run_id, key)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE artifacts (
          run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          kind TEXT NOT NULL,
          path TEXT NOT NULL UNIQUE,
          bytes INTEGER NOT NULL CHECK (bytes >= 0),
          sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
          created_at TEXT NOT NULL,
          PRIMARY KEY (run_id, name)
        ) STRICT;

        CREATE TABLE tags (
          run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          PRIMARY KEY (run_id, tag)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX tags_by_tag ON tags(tag);

        CREATE TABLE notes (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          text TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX notes_by_run ON notes(run_id);
      `),
  },
  {
    version: 2,
    description: 'dataset store: kind, rows, source hash, label names, columns, splits, reader facts',
    up: (db) =>
      db.exec(`
        ALTER TABLE datasets ADD COLUMN kind TEXT NOT NULL DEFAULT 'table';
        ALTER TABLE datasets ADD COLUMN rows INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE datasets ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE datasets ADD COLUMN label_names_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(label_names_json));
        ALTER TABLE datasets ADD COLUMN columns_json TEXT CHECK (columns_json IS NULL OR json_valid(columns_json));
        ALTER TABLE datasets ADD COLUMN splits_json TEXT NOT NULL DEFAULT '{"fractions":[0,0,0],"seed":0,"counts":{}}' CHECK (json_valid(splits_json));
        ALTER TABLE datasets ADD COLUMN meta_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta_json));
        CREATE INDEX datasets_by_source_hash ON datasets(source_hash);
        CREATE INDEX datasets_by_content_hash ON datasets(content_hash);
      `),
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer workbench before anything is written to it. */
export function assertKnownVersion(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const found = schemaVersion(db);
  if (found > migrations.length) {
    throw new Error(
      `registry ${db.name} has schema version ${found}, but this workbench knows versions up to ${migrations.length}; ` +
        'use a newer workbench for this home (the database was not changed)',
    );
  }
}

/** Applies every migration the database lacks, each in its own write transaction. Returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order: entry ${i} has version ${m.version}`);
  });
  assertKnownVersion(db, migrations);
  const applied: number[] = [];
  for (const m of migrations) {
    // IMMEDIATE takes the write lock before the version is read, so two processes opening a fresh home
    // at once cannot both apply the same migration.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
