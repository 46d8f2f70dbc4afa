// Crash recovery: a run left 'queued' or 'running' by a process that no longer exists is marked 'interrupted'.
import type Database from 'better-sqlite3';
import { isProcessAlive } from '../processes';

/**
 * Marks the unfinished runs owned by dead processes on `host` as interrupted and returns their ids.
 * Runs owned by other hosts (a home on a shared file system) are left alone: their pids mean nothing here.
 */
export function recoverInterruptedRuns(db: Database.Database, host: string, now: string): string[] {
  const open = db
    .prepare<[string], { id: string; status: string; owner_pid: number }>(
      `SELECT id, status, owner_pid FROM runs WHERE status IN ('queued', 'running') AND owner_host = ?`,
    )
    .all(host);
  const dead = open.filter((r) => !isProcessAlive(r.owner_pid));
  // The status guard makes this safe against another process finishing or recovering the run meanwhile.
  const mark = db.prepare(
    `UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND status = ? AND owner_pid = ?`,
  );
  const marked: string[] = [];
  db.transaction(() => {
    for (const r of dead) {
      const error = `process ${r.owner_pid} ended while the run was ${r.status}`;
      if (mark.run(now, error, r.id, r.status, r.owner_pid).changes === 1) marked.push(r.id);
    }
  }).immediate();
  return marked;
}
