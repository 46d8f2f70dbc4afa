import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { homeLayout } from '../../../src/main/engine/home';
import { Registry } from '../../../src/main/engine/registry/registry';
import { useTempHomes } from './helpers';

const tempHome = useTempHomes();
const engineVersion = '0.0.0-test';
const CRASH_WRITER = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));

/** The pid of a process that has exited and been reaped, so no process with this id exists. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid;
}

function setOwner(home: string, runId: string, pid: number, host?: string): void {
  const db = new Database(homeLayout(home).registry);
  try {
    db.prepare('UPDATE runs SET owner_pid = ?, owner_host = coalesce(?, owner_host) WHERE id = ?').run(pid, host ?? null, runId);
  } finally {
    db.close();
  }
}

/** Starts the crash writer on `runId`, SIGKILLs it once it has committed `steps` steps, returns what it reported. */
async function killMidTraining(file: string, runId: string, steps: number): Promise<{ pid: number; lastReported: number }> {
  const child = spawn(process.execPath, [CRASH_WRITER, file, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lastReported = -1;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    if (lines.length) lastReported = Number(lines[lines.length - 1]);
    if (lastReported + 1 >= steps) child.kill('SIGKILL');
  });
  const signal = await exited;
  expect(stderr).toBe('');
  expect(signal).toBe('SIGKILL');
  return { pid: child.pid!, lastReported };
}

describe('crash recovery', () => {
  it('marks a run SIGKILLed mid-training interrupted, keeping every committed step and every finished run', async () => {
    const home = tempHome();
    const file = homeLayout(home).registry;
    const reg = Registry.open(home, { engineVersion });
    const done = reg.createRun({ kind: 'train', name: 'finished before the crash', config: { epochs: 2 } });
    reg.startRun(done, { backend: 'cpu', device: null });
    reg.addMetrics(done, [0, 1].map((step) => ({ key: 'loss', step, value: 1 / (step + 2) })));
    reg.setSummary(done, { final_loss: 1 / 3 });
    const weights = reg.addArtifact(done, { name: 'weights.bin', kind: 'model-weights', data: new Uint8Array(4096).fill(42) });
    reg.finishRun(done, 'finished');
    reg.tag(done, 'keep');
    const doneBefore = reg.getRun(done);
    const victim = reg.createRun({ kind: 'train', name: 'killed', config: {} });
    reg.close();

    const { pid, lastReported } = await killMidTraining(file, victim, 200);
    expect(lastReported).toBeGreaterThanOrEqual(199);

    const after = Registry.open(home, { engineVersion });
    try {
      expect(after.recovered).toEqual([victim]);
      const run = after.getRun(victim);
      expect(run.status).toBe('interrupted');
      expect(run.error).toBe(`process ${pid} ended while the run was running`);
      expect(run.endedAt! >= run.startedAt!).toBe(true);
      // Every step the child reported as committed is there, and each step's transaction is whole.
      const steps = (key: string) => run.metrics.filter((m) => m.key === key).map((m) => m.step);
      const loss = steps('loss');
      expect(loss.length).toBeGreaterThan(lastReported);
      expect(loss).toEqual(loss.map((_, i) => i));
      expect(steps('lr')).toEqual(loss);
      expect(after.getRun(done)).toEqual(doneBefore);
      const onDisk = readFileSync(after.artifactFile(weights));
      expect(createHash('sha256').update(onDisk).digest('hex')).toBe(weights.sha256);
    } finally {
      after.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('marks a queued run of an exited process interrupted', () => {
    const home = tempHome();
    const reg = Registry.open(home, { engineVersion });
    const id = reg.createRun({ kind: 'train', name: 'never started', config: {} });
    reg.close();
    const pid = deadPid();
    setOwner(home, id, pid);
    const again = Registry.open(home, { engineVersion });
    try {
      expect(again.recovered).toEqual([id]);
      expect(again.getRun(id)).toMatchObject({ status: 'interrupted', error: `process ${pid} ended while the run was queued` });
    } finally {
      again.close();
    }
  });

  it('leaves runs of live processes and of other hosts alone', () => {
    const home = tempHome();
    const reg = Registry.open(home, { engineVersion });
    const mine = reg.createRun({ kind: 'train', name: 'mine', config: {} });
    reg.startRun(mine, { backend: 'cpu', device: null });
    const queued = reg.createRun({ kind: 'train', name: 'mine, queued', config: {} });
    const remote = reg.createRun({ kind: 'train', name: 'on a cluster node', config: {} });
    reg.startRun(remote, { backend: 'cpu', device: null });
    setOwner(home, remote, deadPid(), 'some-other-host');
    // A second process-wide open (as the CLI does while the app is training) must not touch live runs.
    const second = Registry.open(home, { engineVersion });
    try {
      expect(second.recovered).toEqual([]);
      expect(second.getRun(mine).status).toBe('running');
      expect(second.getRun(queued).status).toBe('queued');
      expect(second.getRun(remote).status).toBe('running');
      reg.addMetrics(mine, [{ key: 'loss', step: 0, value: 1 }]);
      reg.finishRun(mine, 'finished');
      expect(second.getRun(mine)).toMatchObject({ status: 'finished', metrics: [{ key: 'loss', step: 0, value: 1 }] });
    } finally {
      second.close();
      reg.close();
    }
  });
});
