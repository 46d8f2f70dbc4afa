// Every API method the engine answers returns what the contract promises: the results parse with
// the result schemas of src/shared/api.ts (the UI relies on them), and bad params are refused.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { API, ApiError, DatasetInfo, ExportResult, GenerateResult, RepresentationInfo, type ApiMethod, type JobEvent } from '@shared/api';
import { JobEvent as JobEventSchema } from '@shared/api';
import { Engine } from '../../src/main/engine/engine';
import { tempHome } from '../helpers/awb';

const home = tempHome();
afterAll(() => home.cleanup());

async function checked<M extends ApiMethod>(engine: Engine, method: M, params: unknown) {
  const result = await engine.call(method, params);
  expect(() => API[method][1].parse(result), `${method} result`).not.toThrow();
  return result;
}

describe('engine API contract', () => {
  it('answers every method with a result of the promised shape', async () => {
    const engine = await Engine.open({ home: home.dir });
    const events: JobEvent[] = [];
    engine.onEvent((e) => events.push(e));
    try {
      const covered = new Set<string>();
      const call = async <M extends ApiMethod>(m: M, p: unknown) => {
        covered.add(m);
        return checked(engine, m, p);
      };
      await call('engine.info', {});
      await call('backends.list', {});
      await call('settings.get', {});
      expect((await call('settings.set', { threads: 1 })).threads).toBe(1);
      expect((await call('settings.get', {})).backend).toBe('auto'); // a patch leaves other settings alone
      // The home later starts open is kept in the app-data folder: a temporary one here.
      const xdg = process.env.XDG_DATA_HOME;
      process.env.XDG_DATA_HOME = join(home.dir, 'xdg');
      try {
        expect(await call('settings.home', {})).toEqual({ current: home.dir, startHome: null, defaultHome: join(home.dir, 'xdg', 'anomaly-workbench') });
        expect((await call('settings.setStartHome', { path: join(home.dir, 'next') })).startHome).toBe(join(home.dir, 'next'));
        expect((await call('settings.setStartHome', { path: null })).startHome).toBeNull();
      } finally {
        if (xdg === undefined) delete process.env.XDG_DATA_HOME;
        else process.env.XDG_DATA_HOME = xdg;
      }
      const { runId } = await call('jobs.selftest', { backend: 'wasm', epochs: 2 });
      await engine.waitForRun(runId);
      await call('runs.list', {});
      await call('runs.get', { id: runId });
      await call('runs.tag', { id: runId, tag: 'contract' });
      await call('runs.untag', { id: runId, tag: 'contract' });
      await call('runs.note', { id: runId, text: 'checked' });
      const long = await call('jobs.selftest', { backend: 'wasm', epochs: 10_000 });
      while (!events.some((e) => e.type === 'epoch' && e.runId === long.runId)) await new Promise((r) => setTimeout(r, 20));
      expect(await call('jobs.cancel', { runId: long.runId })).toEqual({ cancelled: true });
      expect(await engine.waitForRun(long.runId)).toBe('cancelled');
      await expect(engine.call('jobs.cancel', { runId: long.runId })).rejects.toMatchObject({ code: 'conflict' });
      // Tasks: their outcomes carry the result schemas the UI reads.
      const outcome = async (taskId: string) => {
        const o = await engine.waitForTask(taskId);
        expect(o.error).toBeNull();
        return o.result;
      };
      const out = join(home.dir, 'dijet.h5');
      const gen = await call('datasets.generate', { kind: 'dijet', n: 500, seed: 1, out });
      GenerateResult.parse(await outcome(gen.taskId));
      const imported = DatasetInfo.parse(await outcome((await call('datasets.import', { path: out, name: 'dijet' })).taskId));
      expect((await call('files.list', { dir: home.dir })).entries.map((e) => e.name)).toContain('dijet.h5');
      expect((await call('datasets.inspect', { path: out })).rows).toBe(500);
      expect((await call('datasets.summary', { id: imported.id })).id).toBe(imported.id);
      await call('datasets.list', {});
      expect(await call('datasets.get', { id: imported.id })).toEqual(imported);
      RepresentationInfo.parse(await outcome((await call('datasets.represent', { id: 'dijet', spec: { kind: 'features', scale: true } })).taskId));
      // Training on the stored data: a run, its reload check, and a resume of a cancelled one.
      const jets = async (process: 'qcd' | 'top', n: number) => {
        const file = join(home.dir, `${process}.h5`);
        await outcome((await call('datasets.generate', { kind: 'jets', process, n, seed: 3, out: file })).taskId);
        await outcome((await call('datasets.import', { path: file, name: process })).taskId);
      };
      await jets('qcd', 200);
      await jets('top', 100);
      const trainCfg = { dataset: 'qcd', signal: ['top'], model: 'dense-ae' as const, representation: { kind: 'jet-observables' as const }, widths: [8, 2], epochs: 200, backend: 'wasm' as const };
      const trained = await call('jobs.train', { ...trainCfg, epochs: 2 });
      expect(await engine.waitForRun(trained.runId)).toBe('finished');
      expect((await call('runs.rescore', { id: trained.runId })).maxAbsDifference).toBe(0);
      expect((await call('runs.curves', { id: trained.runId })).roc.tpr.length).toBeGreaterThan(0);
      const exportOut = join(home.dir, 'exports', trained.runId);
      const exported = ExportResult.parse(await outcome((await call('runs.export', { id: trained.runId, out: exportOut, formats: ['html', 'csv'] })).taskId));
      expect(exported).toMatchObject({ id: trained.runId, out: exportOut, report: join(exportOut, 'report.html') });
      expect(exported.files.filter((f) => !existsSync(join(exportOut, f)))).toEqual([]);
      await expect(engine.call('runs.export', { id: trained.runId, out: exportOut, formats: ['docx'] })).rejects.toMatchObject({ code: 'bad-request' });
      await expect(engine.call('runs.curves', { id: runId })).rejects.toMatchObject({ code: 'bad-request' }); // a self-test has no scores
      const long2 = await call('jobs.train', trainCfg);
      while (!events.some((e) => e.type === 'epoch' && e.runId === long2.runId)) await new Promise((r) => setTimeout(r, 20));
      await call('jobs.cancel', { runId: long2.runId });
      expect(await engine.waitForRun(long2.runId)).toBe('cancelled');
      const resumed = await call('jobs.resume', { runId: long2.runId });
      await call('jobs.cancel', { runId: resumed.runId });
      expect(await engine.waitForRun(resumed.runId)).toMatch(/cancelled|finished/);
      const studyFile = { kind: 'inverted-task', a: { name: 'qcd', data: { dataset: 'qcd' } }, b: { name: 'top', data: { dataset: 'top' } }, model: { ...trainCfg, epochs: 1 } };
      const studyRun = await call('studies.run', { file: studyFile });
      expect(await engine.waitForRun(studyRun.runId)).toBe('finished');
      expect((await call('studies.show', { id: studyRun.runId })).children).toHaveLength(2);
      await expect(engine.call('studies.run', { file: { kind: 'nope' } })).rejects.toMatchObject({ code: 'bad-request' });
      const slow = await call('datasets.generate', { kind: 'events', process: 'hplus-taunu', n: 1_000_000, seed: 1, out: join(home.dir, 'slow.h5') });
      expect(await call('tasks.cancel', { taskId: slow.taskId })).toEqual({ cancelled: true });
      expect((await engine.waitForTask(slow.taskId)).status).toBe('cancelled');
      expect([...covered].sort()).toEqual(Object.keys(API).sort());
      for (const e of events) expect(() => JobEventSchema.parse(e)).not.toThrow();
    } finally {
      await engine.close();
    }
  });

  it('refuses bad params at the boundary with a message naming the field', async () => {
    const engine = await Engine.open({ home: home.dir });
    try {
      await expect(engine.call('jobs.selftest', { epochs: 0 })).rejects.toThrow(/epochs/);
      await expect(engine.call('runs.tag', { id: 'x', tag: '   ' })).rejects.toThrow(ApiError);
      await expect(engine.call('settings.set', { backend: 'tpu' })).rejects.toThrow(/backend/);
      await expect(engine.call('runs.get', { id: 'r-no-such-run' })).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await engine.close();
    }
  });
});
