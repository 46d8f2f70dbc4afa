// The "done when" path through the real CLI: backends, a self-test on wasm recorded in the
// registry, the run list, tags and notes, and the error contract (stderr + non-zero exit).
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackendInfo, RunDetail, RunSummary } from '@shared/api';
import { awb, awbJson, spawnAwb, tempHome } from '../helpers/awb';

/** Resolves once the self-test's progress on stderr reports epoch `n` (so it is in the registry). */
function untilEpoch(child: ChildProcess, n: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (new RegExp(`epoch ${n}/`).test(err)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`selftest exited early (${code}): ${err}`)));
  });
}

const home = tempHome();
const H = ['--home', home.dir];
afterAll(() => home.cleanup());

describe('awb CLI', () => {
  it('lists every backend fastest first, with wasm and cpu available', () => {
    const list = awbJson<BackendInfo[]>(['backends', ...H]);
    expect(list.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    for (const name of ['wasm', 'cpu']) expect(list.find((b) => b.name === name)?.available).toBe(true);
    for (const b of list.filter((x) => !x.available)) expect(b.reason).toMatch(/\S/);
  });

  let runId = '';
  it('trains the self-test on wasm and records a finished run with its loss curve', () => {
    const r = awbJson<{ runId: string; status: string; backend: string }>(['selftest', '--backend', 'wasm', '--epochs', '4', ...H]);
    expect(r.status).toBe('finished');
    expect(r.backend).toBe('wasm');
    runId = r.runId;
    const runs = awbJson<RunSummary[]>(['runs', ...H]);
    expect(runs.find((x) => x.id === runId)?.status).toBe('finished');
    const detail = awbJson<RunDetail>(['show', runId, ...H]);
    const train = detail.metrics.filter((m) => m.key === 'train_loss').map((m) => m.value);
    const val = detail.metrics.filter((m) => m.key === 'val_loss').map((m) => m.value);
    expect(train).toHaveLength(4);
    expect(val).toHaveLength(4);
    expect(val[3]).toBeLessThan(val[0]); // the toy data is learnable: the loss must fall
    expect(detail.summary.final_val_loss).toBeCloseTo(val[3], 6);
    expect(detail.artifacts.map((a) => a.name).sort()).toEqual(['history.json', 'model-summary.json', 'model.json', 'weights.bin']);
  });

  it('is deterministic for a seed on one backend', () => {
    const a = awbJson<{ summary: Record<string, number> }>(['selftest', '--backend', 'wasm', '--epochs', '2', '--seed', '7', ...H]);
    const b = awbJson<{ summary: Record<string, number> }>(['selftest', '--backend', 'wasm', '--epochs', '2', '--seed', '7', ...H]);
    expect(a.summary.final_val_loss).toBe(b.summary.final_val_loss);
  });

  it('tags, notes and filters runs by tag, with id prefixes', () => {
    const prefix = runId.slice(0, runId.length - 2);
    expect(awbJson<{ tags: string[] }>(['tag', prefix, 'baseline', ...H]).tags).toEqual(['baseline']);
    expect(awbJson<{ notes: unknown[] }>(['note', runId, 'first look: loss falls', ...H]).notes).toHaveLength(1);
    const tagged = awbJson<RunSummary[]>(['runs', '--tag', 'baseline', ...H]);
    expect(tagged.map((x) => x.id)).toEqual([runId]);
    const found = awbJson<RunSummary[]>(['runs', '--search', 'first look', ...H]);
    expect(found.map((x) => x.id)).toEqual([runId]);
  });

  it('reports errors on stderr with a non-zero exit code', () => {
    const unknownRun = awb(['show', 'nonexistent', ...H]);
    expect(unknownRun.status).not.toBe(0);
    expect(unknownRun.stdout).toBe('');
    expect(unknownRun.stderr).toMatch(/nonexistent/);
    const badFlag = awb(['selftest', '--epochs', 'many', ...H]);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/--epochs/);
    const badBackend = awb(['backends', '--backend', 'quantum', ...H]);
    expect(badBackend.status).toBe(2);
    expect(badBackend.stderr).toMatch(/quantum/);
    const unknownCmd = awb(['frobnicate', '--json', ...H]);
    expect(JSON.parse(unknownCmd.stderr).error.message).toMatch(/frobnicate/);
  });

  it('cancels a self-test on Ctrl-C (SIGINT): the run ends cancelled with the epochs it finished', async () => {
    const child = spawnAwb(['selftest', '--backend', 'wasm', '--epochs', '10000', '--samples', '20000', ...H]);
    await untilEpoch(child, 2);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    const [run] = awbJson<RunSummary[]>(['runs', '--status', 'cancelled', ...H]);
    const detail = awbJson<RunDetail>(['show', run.id, ...H]);
    expect(detail.endedAt).not.toBeNull();
    expect(detail.metrics.filter((m) => m.key === 'train_loss').length).toBeGreaterThanOrEqual(2);
  });

  it('marks a self-test killed with SIGKILL mid-training as interrupted, with an intact database', async () => {
    const child = spawnAwb(['selftest', '--backend', 'wasm', '--epochs', '10000', '--samples', '20000', ...H]);
    // Wait until at least two epochs are in the registry, then kill without warning.
    await untilEpoch(child, 2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The next start of the engine (any command) recovers it.
    const runs = awbJson<RunSummary[]>(['runs', '--status', 'interrupted', ...H]);
    expect(runs).toHaveLength(1);
    const detail = awbJson<RunDetail>(['show', runs[0].id, ...H]);
    expect(detail.metrics.filter((m) => m.key === 'train_loss').length).toBeGreaterThanOrEqual(2);
    const db = new Database(join(home.dir, 'registry.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // Finished runs written before the crash are untouched.
    expect(awbJson<RunDetail>(['show', runId, ...H]).status).toBe('finished');
  });
});
