import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { homeLayout } from '../../../src/main/engine/home';
import { openDatabase } from '../../../src/main/engine/registry/connection';
import { MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from '../../../src/main/engine/registry/migrations';
import { Registry } from '../../../src/main/engine/registry/registry';
import { useTempHomes } from './helpers';

const tempHome = useTempHomes();
const engineVersion = '0.0.0-test';
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const TABLES = ['artifacts', 'datasets', 'metrics', 'notes', 'runs', 'summaries', 'tags'];

function schemaOf(file: string): { version: number; sql: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      sql: db.prepare<[], string>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").pluck().all(),
    };
  } finally {
    db.close();
  }
}

function tableNames(db: Database.Database): string[] {
  return db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();
}

describe('registry migrations', () => {
  it('create the whole schema in an empty home, with WAL, FULL sync, foreign keys and a busy timeout', () => {
    const home = tempHome();
    Registry.open(home, { engineVersion }).close();
    const file = homeLayout(home).registry;
    expect(schemaOf(file).version).toBe(SCHEMA_VERSION);
    const db = openDatabase(file);
    try {
      expect(tableNames(db)).toEqual(TABLES);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('leave an up-to-date database as it is on re-open', () => {
    const home = tempHome();
    const reg = Registry.open(home, { engineVersion });
    const id = reg.createRun({ kind: 'selftest', name: 'kept', config: { a: 1 } });
    reg.close();
    const file = homeLayout(home).registry;
    const before = schemaOf(file);
    const db = openDatabase(file);
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = Registry.open(home, { engineVersion });
    expect(again.getRun(id).name).toBe('kept');
    again.close();
    expect(schemaOf(file)).toEqual(before);
  });

  it('refuse a database from a newer workbench without changing a byte of it', () => {
    const home = tempHome();
    const file = homeLayout(home).registry;
    const newer = new Database(file);
    newer.exec('CREATE TABLE runs (id TEXT PRIMARY KEY, from_the_future TEXT)');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const before = sha256(file);
    expect(() => Registry.open(home, { engineVersion })).toThrow(
      `registry ${file} has schema version ${SCHEMA_VERSION + 1}, but this workbench knows versions up to ${SCHEMA_VERSION}`,
    );
    expect(sha256(file)).toBe(before);
    expect(existsSync(file + '-wal')).toBe(false);
    expect(schemaOf(file).version).toBe(SCHEMA_VERSION + 1);
  });

  it('refuse a file that is not a SQLite database, naming it', () => {
    const home = tempHome();
    const file = homeLayout(home).registry;
    writeFileSync(file, 'these are not the pages you are looking for'.repeat(100));
    const before = sha256(file);
    expect(() => Registry.open(home, { engineVersion })).toThrow(`registry ${file} is not a SQLite database`);
    expect(sha256(file)).toBe(before);
  });

  it('leave a version-0 database that clashes with the schema at version 0, with nothing half-created', () => {
    // A database made by hand (or by a prototype before schema versions) that already has a "runs" table.
    const home = tempHome();
    const file = homeLayout(home).registry;
    const old = new Database(file);
    old.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, note TEXT); INSERT INTO runs VALUES ('r1', 'precious')");
    old.close();
    expect(() => Registry.open(home, { engineVersion })).toThrow(/registry .*registry\.sqlite: table runs already exists/);
    const db = new Database(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(tableNames(db)).toEqual(['runs']);
      expect(db.prepare('SELECT note FROM runs').pluck().get()).toBe('precious');
    } finally {
      db.close();
    }
  });

  it('roll back a migration that fails half-way and apply it once fixed', () => {
    const db = new Database(join(tempHome(), 'm.sqlite'));
    try {
      const first: Migration = { version: 1, description: 'a', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') };
      const broken: Migration = {
        version: 2,
        description: 'b',
        up: (d) => {
          d.exec('CREATE TABLE b (y INTEGER)');
          throw new Error('disk on fire');
        },
      };
      expect(() => migrate(db, [first, broken])).toThrow('disk on fire');
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(tableNames(db)).toEqual(['a']);
      const fixed: Migration = { version: 2, description: 'b', up: (d) => d.exec('CREATE TABLE b (y INTEGER)') };
      expect(migrate(db, [first, fixed])).toEqual([2]);
      expect(tableNames(db)).toEqual(['a', 'b']);
      expect(() => migrate(db, [fixed])).toThrow(/migration list is out of order: entry 0 has version 2/);
    } finally {
      db.close();
    }
  });

  it('number the shipped migrations 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('enforce run statuses and foreign keys in the schema itself', () => {
    const home = tempHome();
    Registry.open(home, { engineVersion }).close();
    const db = openDatabase(homeLayout(home).registry);
    try {
      const insertRun = db.prepare(
        `INSERT INTO runs (id, kind, name, status, config_json, engine_version, created_at, owner_pid, owner_host)
         VALUES (?, 'k', 'n', ?, '{}', 'v', '2025-01-01T00:00:00.000Z', 1, 'h')`,
      );
      expect(() => insertRun.run('r1', 'done')).toThrow(/CHECK constraint failed/);
      insertRun.run('r2', 'finished');
      expect(() => db.prepare("INSERT INTO metrics VALUES ('nope', 'loss', 0, 1.0)").run()).toThrow(/FOREIGN KEY/);
      expect(() => db.prepare("INSERT INTO tags VALUES ('r2', 'a'), ('r2', 'a')").run()).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(() => db.prepare("UPDATE runs SET config_json = '{oops' WHERE id = 'r2'").run()).toThrow(/CHECK constraint failed/);
    } finally {
      db.close();
    }
  });
});
