// The run registry: one SQLite database per workbench home recording runs, their measurements and files.
// Every method taking a run accepts its full id or any unique prefix of it.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  ApiError,
  type Artifact,
  type DatasetInfo,
  type MetricPoint,
  type Note,
  type RunDetail,
  type RunFilter,
  type RunStatus,
  type RunSummary,
} from '@shared/api';
import { homeLayout } from '../home';
import { writeArtifactFile } from './artifacts';
import { openDatabase } from './connection';
import { assertDatasetNameFree, type DatasetInput, insertDataset, selectDataset, selectDatasets, selectDatasetsByHash } from './datasets';
import { newId, resolveRunId } from './ids';
import { recoverInterruptedRuns } from './recovery';

export interface NewRun {
  kind: string;
  name: string;
  config: unknown;
  seed?: number | null;
  parentId?: string | null;
  datasetId?: string | null;
}

export type EndStatus = 'finished' | 'failed' | 'cancelled';

/** Which statuses each end status may be reached from; anything else is an illegal transition. */
const END_FROM: Record<EndStatus, readonly RunStatus[]> = {
  finished: ['running'],
  failed: ['queued', 'running'],
  cancelled: ['queued', 'running'],
};

interface RunRow {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  config_json: string;
  seed: number | null;
  backend: string | null;
  device: string | null;
  engine_version: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  parent_id: string | null;
  error: string | null;
}

const now = (): string => new Date().toISOString();

function nonEmpty(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ApiError(`${what} must be a non-empty string`, 'bad-request');
  return value;
}

function finite(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ApiError(`${what} must be a finite number, got ${String(value)}`, 'bad-request');
  }
  return value;
}

export class Registry {
  private constructor(
    private readonly db: Database.Database,
    readonly home: string,
    readonly engineVersion: string,
    /** Runs this open marked 'interrupted' because their process had died. */
    readonly recovered: readonly string[],
  ) {}

  /** Opens (creating and migrating as needed) the registry in `home`, then recovers runs of dead processes. */
  static open(home: string, opts: { engineVersion: string }): Registry {
    const layout = homeLayout(home);
    mkdirSync(layout.home, { recursive: true });
    const db = openDatabase(layout.registry);
    try {
      return new Registry(db, layout.home, opts.engineVersion, recoverInterruptedRuns(db, hostname(), now()));
    } catch (e) {
      db.close();
      throw e;
    }
  }

  close(): void {
    this.db.close();
  }

  /** The absolute path of an artifact's file. */
  artifactFile(a: Artifact): string {
    return join(this.home, a.path);
  }

  resolveRunId(idOrPrefix: string): string {
    return resolveRunId(this.db, idOrPrefix);
  }

  /** Records a new run in status 'queued', owned by this process, and returns its id. */
  createRun(r: NewRun): string {
    const kind = nonEmpty('run kind', r.kind);
    const name = nonEmpty('run name', r.name);
    if (r.config === undefined) throw new ApiError(`run "${name}": config is missing`, 'bad-request');
    const seed = r.seed ?? null;
    if (seed !== null && !Number.isSafeInteger(seed)) throw new ApiError(`run "${name}": seed ${seed} is not an integer`, 'bad-request');
    const parentId = r.parentId ?? null;
    if (parentId !== null && !this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(parentId)) {
      throw new ApiError(`run "${name}": parent run ${parentId} not found`, 'not-found');
    }
    const datasetId = r.datasetId ?? null;
    if (datasetId !== null && !this.db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId)) {
      throw new ApiError(`run "${name}": dataset ${datasetId} not found`, 'not-found');
    }
    const id = newId('r');
    this.db
      .prepare(
        `INSERT INTO runs (id, kind, name, status, config_json, seed, engine_version, created_at,
                           parent_id, dataset_id, owner_pid, owner_host)
         VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, kind, name, JSON.stringify(r.config), seed, this.engineVersion, now(), parentId, datasetId, process.pid, hostname());
    return id;
  }

  /** queued → running; this process becomes the owner that crash recovery checks. */
  startRun(idOrPrefix: string, r: { backend: string; device: string | null }): void {
    const id = this.resolveRunId(idOrPrefix);
    const changed = this.db
      .prepare(
        `UPDATE runs SET status = 'running', started_at = ?, backend = ?, device = ?, owner_pid = ?, owner_host = ?
         WHERE id = ? AND status = 'queued'`,
      )
      .run(now(), nonEmpty('backend', r.backend), r.device, process.pid, hostname(), id).changes;
    if (changed !== 1) throw this.illegalTransition(id, 'running');
  }

  /** running → finished; queued or running → failed or cancelled. */
  finishRun(idOrPrefix: string, status: EndStatus, error: string | null = null): void {
    const id = this.resolveRunId(idOrPrefix);
    const from = END_FROM[status];
    if (!from) throw new ApiError(`"${String(status)}" is not an end status of a run`, 'bad-request');
    const changed = this.db
      .prepare(
        `UPDATE runs SET status = ?, ended_at = ?, error = ?
         WHERE id = ? AND status IN (SELECT value FROM json_each(?))`,
      )
      .run(status, now(), error, id, JSON.stringify(from)).changes;
    if (changed !== 1) throw this.illegalTransition(id, status);
  }

  /** Per-step metrics of a running run, all in one transaction; a (key, step) pair is recorded once. */
  addMetrics(idOrPrefix: string, points: readonly MetricPoint[]): void {
    const id = this.resolveRunId(idOrPrefix);
    for (const p of points) {
      nonEmpty('metric key', p.key);
      if (!Number.isSafeInteger(p.step) || p.step < 0) {
        throw new ApiError(`metric "${p.key}": step ${p.step} is not a non-negative integer`, 'bad-request');
      }
      finite(`metric "${p.key}" at step ${p.step}`, p.value);
    }
    const insert = this.db.prepare('INSERT INTO metrics (run_id, key, step, value) VALUES (?, ?, ?, ?)');
    this.db
      .transaction(() => {
        this.assertRunning(id, 'add metrics to');
        for (const p of points) {
          try {
            insert.run(id, p.key, p.step, p.value);
          } catch (e) {
            if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
            throw new ApiError(`run ${id} already has metric "${p.key}" at step ${p.step}`, 'conflict');
          }
        }
      })
      .immediate();
  }

  /** Summary metrics of a running run; a key set again replaces its value. */
  setSummary(idOrPrefix: string, values: Record<string, number>): void {
    const id = this.resolveRunId(idOrPrefix);
    for (const [key, value] of Object.entries(values)) finite(`summary "${nonEmpty('summary key', key)}"`, value);
    const upsert = this.db.prepare(
      'INSERT INTO summaries (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
    );
    this.db
      .transaction(() => {
        this.assertRunning(id, 'set the summary of');
        for (const [key, value] of Object.entries(values)) upsert.run(id, key, value);
      })
      .immediate();
  }

  /**
   * Stores a file under `<home>/artifacts/<runId>/<name>` and records its size and SHA-256. The file is
   * durable before its record is committed, so a recorded artifact always has its complete file.
   * Artifacts are write-once: a name already recorded for the run is a conflict.
   */
  addArtifact(idOrPrefix: string, a: { name: string; kind: string; data: Uint8Array | string }): Artifact {
    const id = this.resolveRunId(idOrPrefix);
    const kind = nonEmpty(`artifact "${a.name}": kind`, a.kind);
    if (this.db.prepare('SELECT 1 FROM artifacts WHERE run_id = ? AND name = ?').get(id, a.name)) {
      throw new ApiError(`run ${id} already has an artifact named "${a.name}"`, 'conflict');
    }
    const file = writeArtifactFile(this.home, id, a.name, a.data);
    const artifact: Artifact = { name: a.name, kind, path: file.path, bytes: file.bytes, sha256: file.sha256, createdAt: now() };
    this.db
      .prepare('INSERT INTO artifacts (run_id, name, kind, path, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, artifact.name, artifact.kind, artifact.path, artifact.bytes, artifact.sha256, artifact.createdAt);
    return artifact;
  }

  /**
   * Runs matching every given filter, newest first. `text` matches, case-insensitively, any part of the id,
   * name, kind, config JSON, a note or a tag.
   */
  listRuns(filter: RunFilter = {}): RunSummary[] {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (filter.status !== undefined) {
      where.push('r.status = @status');
      params.status = filter.status;
    }
    if (filter.kind !== undefined) {
      where.push('r.kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND t.tag = @tag)');
      params.tag = filter.tag;
    }
    if (filter.parentId !== undefined) {
      where.push('r.parent_id = @parentId');
      params.parentId = this.resolveRunId(filter.parentId);
    }
    if (filter.text !== undefined && filter.text.trim() !== '') {
      where.push(`(
        instr(lower(r.id), lower(@text)) OR instr(lower(r.name), lower(@text)) OR instr(lower(r.kind), lower(@text))
        OR instr(lower(r.config_json), lower(@text))
        OR EXISTS (SELECT 1 FROM notes n WHERE n.run_id = r.id AND instr(lower(n.text), lower(@text)))
        OR EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND instr(lower(t.tag), lower(@text))))`);
      params.text = filter.text.trim();
    }
    if (filter.limit !== undefined) params.limit = filter.limit;
    const rows = this.db
      .prepare<Record<string, string | number>, RunRow>(
        `SELECT r.* FROM runs r ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
         ORDER BY r.created_at DESC, r.id DESC ${filter.limit !== undefined ? 'LIMIT @limit' : ''}`,
      )
      .all(params);
    const ids = JSON.stringify(rows.map((r) => r.id));
    const tags = this.groupByRun(
      this.db
        .prepare<[string], { run_id: string; tag: string }>(
          'SELECT run_id, tag FROM tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY tag',
        )
        .all(ids),
    );
    const summaries = this.groupByRun(
      this.db
        .prepare<[string], { run_id: string; key: string; value: number }>(
          'SELECT run_id, key, value FROM summaries WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY key',
        )
        .all(ids),
    );
    return rows.map((r) =>
      this.toSummary(
        r,
        (tags.get(r.id) ?? []).map((t) => t.tag),
        Object.fromEntries((summaries.get(r.id) ?? []).map((s) => [s.key, s.value])),
      ),
    );
  }

  getRun(idOrPrefix: string): RunDetail {
    const id = this.resolveRunId(idOrPrefix);
    const row = this.db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id) as RunRow;
    const summary = this.db
      .prepare<[string], { key: string; value: number }>('SELECT key, value FROM summaries WHERE run_id = ? ORDER BY key')
      .all(id);
    return {
      ...this.toSummary(row, this.tagsOf(id), Object.fromEntries(summary.map((s) => [s.key, s.value]))),
      config: JSON.parse(row.config_json) as unknown,
      metrics: this.db
        .prepare<[string], MetricPoint>('SELECT key, step, value FROM metrics WHERE run_id = ? ORDER BY key, step')
        .all(id),
      artifacts: this.db
        .prepare<[string], Artifact>(
          `SELECT name, kind, path, bytes, sha256, created_at AS createdAt FROM artifacts WHERE run_id = ? ORDER BY created_at, name`,
        )
        .all(id),
      notes: this.notesOf(id),
    };
  }

  /** Adds a tag (adding one the run has is a no-op) and returns the run's tags. */
  tag(idOrPrefix: string, tag: string): string[] {
    const id = this.resolveRunId(idOrPrefix);
    const t = nonEmpty('tag', tag).trim();
    if (t.length > 64) throw new ApiError(`tag "${t}" is longer than 64 characters`, 'bad-request');
    this.db.prepare('INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)').run(id, t);
    return this.tagsOf(id);
  }

  /** Removes a tag and returns the run's remaining tags. */
  untag(idOrPrefix: string, tag: string): string[] {
    const id = this.resolveRunId(idOrPrefix);
    if (this.db.prepare('DELETE FROM tags WHERE run_id = ? AND tag = ?').run(id, tag.trim()).changes === 0) {
      throw new ApiError(`run ${id} has no tag "${tag}"`, 'not-found');
    }
    return this.tagsOf(id);
  }

  /** Adds a note and returns all the run's notes, oldest first. */
  note(idOrPrefix: string, text: string): Note[] {
    const id = this.resolveRunId(idOrPrefix);
    this.db.prepare('INSERT INTO notes (run_id, text, created_at) VALUES (?, ?, ?)').run(id, nonEmpty('note', text).trim(), now());
    return this.notesOf(id);
  }

  /** Records a dataset; `id` is the dataset store's folder name when the store made one. */
  addDataset(d: DatasetInput, id?: string): DatasetInfo {
    return insertDataset(this.db, d, now(), id);
  }

  listDatasets(): DatasetInfo[] {
    return selectDatasets(this.db);
  }

  getDataset(nameOrId: string): DatasetInfo {
    return selectDataset(this.db, nameOrId);
  }

  datasetsWithHash(which: 'source' | 'content', hash: string): DatasetInfo[] {
    return selectDatasetsByHash(this.db, which, hash);
  }

  assertDatasetNameFree(name: string): void {
    assertDatasetNameFree(this.db, name);
  }

  private assertRunning(id: string, action: string): void {
    const status = this.db.prepare<[string], RunStatus>('SELECT status FROM runs WHERE id = ?').pluck().get(id);
    if (status !== 'running') throw new ApiError(`cannot ${action} run ${id}: it is ${status}, not running`, 'conflict');
  }

  private illegalTransition(id: string, to: RunStatus): ApiError {
    const status = this.db.prepare<[string], RunStatus>('SELECT status FROM runs WHERE id = ?').pluck().get(id);
    return new ApiError(`run ${id} cannot become ${to}: it is ${status}`, 'conflict');
  }

  private tagsOf(id: string): string[] {
    return this.db.prepare<[string], string>('SELECT tag FROM tags WHERE run_id = ? ORDER BY tag').pluck().all(id);
  }

  private notesOf(id: string): Note[] {
    return this.db
      .prepare<[string], Note>('SELECT text, created_at AS createdAt FROM notes WHERE run_id = ? ORDER BY id')
      .all(id);
  }

  private groupByRun<T extends { run_id: string }>(rows: T[]): Map<string, T[]> {
    const byRun = new Map<string, T[]>();
    for (const row of rows) {
      const list = byRun.get(row.run_id);
      if (list) list.push(row);
      else byRun.set(row.run_id, [row]);
    }
    return byRun;
  }

  private toSummary(r: RunRow, tags: string[], summary: Record<string, number>): RunSummary {
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      status: r.status,
      parentId: r.parent_id,
      seed: r.seed,
      backend: r.backend,
      device: r.device,
      engineVersion: r.engine_version,
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      error: r.error,
      tags,
      summary,
    };
  }
}
