import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunDetail } from '@shared/api';
import { Registry } from '../../../src/main/engine/registry/registry';
import { apiError, useTempHomes } from './helpers';

const tempHome = useTempHomes();
let reg: Registry;
beforeEach(() => {
  reg = Registry.open(tempHome(), { engineVersion: '1.2.3' });
});
afterEach(() => reg.close());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function runningRun(name = 'run'): string {
  const id = reg.createRun({ kind: 'train', name, config: {} });
  reg.startRun(id, { backend: 'wasm', device: null });
  return id;
}

describe('run lifecycle', () => {
  it('goes queued → running → finished, recording who, where and when', () => {
    const config = { epochs: 3, layers: [8, 4], nested: { lr: 1e-3 } };
    const id = reg.createRun({ kind: 'selftest', name: 'first', config, seed: 7 });
    let run = reg.getRun(id);
    expect(run).toMatchObject({ id, kind: 'selftest', name: 'first', status: 'queued', seed: 7, config, engineVersion: '1.2.3' });
    expect(run.createdAt).toMatch(ISO);
    expect([run.startedAt, run.endedAt, run.backend, run.device, run.parentId]).toEqual([null, null, null, null, null]);

    reg.startRun(id, { backend: 'wasm', device: 'xnnpack' });
    run = reg.getRun(id);
    expect(run).toMatchObject({ status: 'running', backend: 'wasm', device: 'xnnpack' });
    expect(run.startedAt).toMatch(ISO);

    reg.finishRun(id, 'finished');
    run = reg.getRun(id);
    expect(run.status).toBe('finished');
    expect(run.endedAt).toMatch(ISO);
    expect(run.endedAt! >= run.startedAt! && run.startedAt! >= run.createdAt).toBe(true);
    expect(run.error).toBeNull();
    // What the registry returns is exactly what the API contract promises.
    expect(RunDetail.parse(run)).toEqual(run);
  });

  it('records the error of a failed run and lets a queued run be cancelled', () => {
    const failed = runningRun();
    reg.finishRun(failed, 'failed', 'out of memory');
    expect(reg.getRun(failed)).toMatchObject({ status: 'failed', error: 'out of memory' });
    const queued = reg.createRun({ kind: 'train', name: 'q', config: null });
    reg.finishRun(queued, 'cancelled');
    expect(reg.getRun(queued)).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(reg.getRun(queued).config).toBeNull();
  });

  it('refuses illegal transitions with a conflict naming the run and its status', () => {
    const queued = reg.createRun({ kind: 'train', name: 'q', config: {} });
    expect(apiError(() => reg.finishRun(queued, 'finished'))).toMatchObject({
      code: 'conflict',
      message: `run ${queued} cannot become finished: it is queued`,
    });
    const done = runningRun();
    reg.finishRun(done, 'finished');
    for (const attempt of [
      () => reg.startRun(done, { backend: 'cpu', device: null }),
      () => reg.finishRun(done, 'failed', 'late'),
      () => reg.finishRun(done, 'cancelled'),
      () => reg.finishRun(done, 'finished'),
    ]) {
      expect(apiError(attempt)).toMatchObject({ code: 'conflict', message: expect.stringContaining('it is finished') });
    }
    const running = runningRun();
    expect(apiError(() => reg.startRun(running, { backend: 'cpu', device: null })).message).toBe(
      `run ${running} cannot become running: it is running`,
    );
    expect(reg.getRun(done).status).toBe('finished');
  });

  it('validates new runs: names, seed, parent and dataset', () => {
    expect(apiError(() => reg.createRun({ kind: '', name: 'x', config: {} })).message).toBe('run kind must be a non-empty string');
    expect(apiError(() => reg.createRun({ kind: 'k', name: 'x', config: undefined })).code).toBe('bad-request');
    expect(apiError(() => reg.createRun({ kind: 'k', name: 'x', config: {}, seed: 1.5 })).message).toMatch(/seed 1.5 is not an integer/);
    expect(apiError(() => reg.createRun({ kind: 'k', name: 'x', config: {}, parentId: 'rnope' }))).toMatchObject({
      code: 'not-found',
      message: 'run "x": parent run rnope not found',
    });
    expect(apiError(() => reg.createRun({ kind: 'k', name: 'x', config: {}, datasetId: 'dnope' })).code).toBe('not-found');
    expect(reg.listRuns()).toEqual([]);
  });

  it('answers not-found for an unknown run in every method', () => {
    for (const call of [
      () => reg.getRun('rmissing'),
      () => reg.startRun('rmissing', { backend: 'cpu', device: null }),
      () => reg.finishRun('rmissing', 'failed'),
      () => reg.addMetrics('rmissing', []),
      () => reg.tag('rmissing', 't'),
      () => reg.note('rmissing', 'n'),
    ]) {
      expect(apiError(call)).toMatchObject({ code: 'not-found', message: 'no run matches "rmissing"' });
    }
  });

  it('accepts a unique id prefix wherever a run is named', () => {
    const a = reg.createRun({ kind: 'k', name: 'a', config: {} });
    const b = reg.createRun({ kind: 'k', name: 'b', config: {} });
    // Ids made in one process share their leading time digits, so the shortest unique prefix is found by search.
    let n = 1;
    while (a.slice(0, n) === b.slice(0, n)) n++;
    expect(reg.getRun(a.slice(0, n)).name).toBe('a');
    expect(reg.tag(b.slice(0, n), 'x')).toEqual(['x']);
    expect(apiError(() => reg.getRun(a.slice(0, n - 1)))).toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining(`run prefix "${a.slice(0, n - 1)}" is ambiguous`),
    });
  });
});

describe('metrics and summaries', () => {
  it('stores per-step metrics and returns them by key and step', () => {
    const id = runningRun();
    reg.addMetrics(id, [
      { key: 'val_loss', step: 0, value: 0.5 },
      { key: 'loss', step: 1, value: 0.25 },
      { key: 'loss', step: 0, value: 1.5e-300 },
    ]);
    reg.addMetrics(id, [{ key: 'loss', step: 2, value: -0.125 }]);
    expect(reg.getRun(id).metrics).toEqual([
      { key: 'loss', step: 0, value: 1.5e-300 },
      { key: 'loss', step: 1, value: 0.25 },
      { key: 'loss', step: 2, value: -0.125 },
      { key: 'val_loss', step: 0, value: 0.5 },
    ]);
  });

  it('writes a batch of metrics all or nothing, refusing a step recorded twice', () => {
    const id = runningRun();
    reg.addMetrics(id, [{ key: 'loss', step: 0, value: 1 }]);
    const err = apiError(() =>
      reg.addMetrics(id, [
        { key: 'loss', step: 1, value: 0.9 },
        { key: 'loss', step: 0, value: 0.8 },
      ]),
    );
    expect(err).toMatchObject({ code: 'conflict', message: `run ${id} already has metric "loss" at step 0` });
    expect(reg.getRun(id).metrics).toEqual([{ key: 'loss', step: 0, value: 1 }]);
  });

  it('refuses non-finite values, bad steps and metrics of a run that is not running', () => {
    const id = runningRun();
    expect(apiError(() => reg.addMetrics(id, [{ key: 'loss', step: 0, value: NaN }])).message).toBe(
      'metric "loss" at step 0 must be a finite number, got NaN',
    );
    expect(apiError(() => reg.addMetrics(id, [{ key: 'loss', step: 0, value: Infinity }])).code).toBe('bad-request');
    expect(apiError(() => reg.addMetrics(id, [{ key: 'loss', step: -1, value: 1 }])).message).toMatch(/step -1/);
    expect(apiError(() => reg.addMetrics(id, [{ key: 'loss', step: 0.5, value: 1 }])).code).toBe('bad-request');
    expect(apiError(() => reg.setSummary(id, { auc: NaN })).message).toBe('summary "auc" must be a finite number, got NaN');
    const queued = reg.createRun({ kind: 'k', name: 'q', config: {} });
    expect(apiError(() => reg.addMetrics(queued, [{ key: 'loss', step: 0, value: 1 }]))).toMatchObject({
      code: 'conflict',
      message: `cannot add metrics to run ${queued}: it is queued, not running`,
    });
    reg.finishRun(id, 'finished');
    expect(apiError(() => reg.setSummary(id, { auc: 0.9 })).code).toBe('conflict');
    expect(reg.getRun(id).metrics).toEqual([]);
  });

  it('keeps one value per summary key, the last one set', () => {
    const id = runningRun();
    reg.setSummary(id, { auc: 0.8, epochs: 3 });
    reg.setSummary(id, { auc: 0.85 });
    reg.finishRun(id, 'finished');
    expect(reg.getRun(id).summary).toEqual({ auc: 0.85, epochs: 3 });
    expect(reg.listRuns()[0].summary).toEqual({ auc: 0.85, epochs: 3 });
  });
});

describe('artifacts', () => {
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  it('writes files under the home with the size and SHA-256 of what is on disk', () => {
    const id = runningRun();
    const weights = new Uint8Array(10_000).map((_, i) => (i * 7919) % 256);
    const w = reg.addArtifact(id, { name: 'weights.bin', kind: 'model-weights', data: weights });
    const j = reg.addArtifact(id, { name: 'model.json', kind: 'model', data: '{"layers":["dénse"]}' });
    for (const a of [w, j]) {
      const file = reg.artifactFile(a);
      expect(file).toBe(join(reg.home, 'artifacts', id, a.name));
      const onDisk = readFileSync(file);
      expect(a.bytes).toBe(statSync(file).size);
      expect(a.sha256).toBe(sha256(onDisk));
      expect(a.createdAt).toMatch(ISO);
    }
    expect(readFileSync(reg.artifactFile(w))).toEqual(Buffer.from(weights));
    expect(j.bytes).toBe(Buffer.byteLength('{"layers":["dénse"]}'));
    expect(w.path).toBe(`artifacts/${id}/weights.bin`);
    expect(reg.getRun(id).artifacts).toEqual(expect.arrayContaining([w, j]));
    expect(reg.getRun(id).artifacts).toHaveLength(2);
    // No temporary files are left beside the artifacts.
    expect(readdirSync(join(reg.home, 'artifacts', id)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('stores an empty file', () => {
    const id = runningRun();
    const a = reg.addArtifact(id, { name: 'empty.txt', kind: 'log', data: '' });
    expect(a).toMatchObject({ bytes: 0, sha256: sha256(new Uint8Array()) });
    expect(statSync(reg.artifactFile(a)).size).toBe(0);
  });

  it('is write-once and refuses names that could leave the run folder', () => {
    const id = runningRun();
    reg.addArtifact(id, { name: 'scores.f32', kind: 'scores', data: new Uint8Array([1, 2, 3]) });
    expect(apiError(() => reg.addArtifact(id, { name: 'scores.f32', kind: 'scores', data: 'other' }))).toMatchObject({
      code: 'conflict',
      message: `run ${id} already has an artifact named "scores.f32"`,
    });
    expect([...readFileSync(join(reg.home, 'artifacts', id, 'scores.f32'))]).toEqual([1, 2, 3]);
    for (const name of ['../escape', 'a/b', '.hidden', '', 'x'.repeat(129), 'sp ace']) {
      expect(apiError(() => reg.addArtifact(id, { name, kind: 'k', data: 'x' })).message).toContain(`artifact name "${name}" is not allowed`);
    }
    expect(reg.getRun(id).artifacts.map((a) => a.name)).toEqual(['scores.f32']);
  });
});

describe('tags and notes', () => {
  it('adds tags once, keeps them sorted and removes them', () => {
    const id = runningRun();
    expect(reg.tag(id, 'baseline')).toEqual(['baseline']);
    expect(reg.tag(id, ' Alpha ')).toEqual(['Alpha', 'baseline']);
    expect(reg.tag(id, 'baseline')).toEqual(['Alpha', 'baseline']);
    expect(reg.untag(id, 'baseline')).toEqual(['Alpha']);
    expect(apiError(() => reg.untag(id, 'baseline'))).toMatchObject({ code: 'not-found', message: `run ${id} has no tag "baseline"` });
    expect(apiError(() => reg.tag(id, '  ')).code).toBe('bad-request');
    expect(apiError(() => reg.tag(id, 'x'.repeat(65))).code).toBe('bad-request');
    expect(reg.getRun(id).tags).toEqual(['Alpha']);
  });

  it('keeps notes in the order written, on runs of any status', () => {
    const id = runningRun();
    reg.finishRun(id, 'finished');
    reg.note(id, 'first look: fine');
    const notes = reg.note(id, 'second look: the val loss plateaus');
    expect(notes.map((n) => n.text)).toEqual(['first look: fine', 'second look: the val loss plateaus']);
    for (const n of notes) expect(n.createdAt).toMatch(ISO);
    expect(reg.getRun(id).notes).toEqual(notes);
    expect(apiError(() => reg.note(id, '')).code).toBe('bad-request');
  });
});

describe('listRuns', () => {
  function populate() {
    const parent = reg.createRun({ kind: 'study', name: 'Scan of latent size', config: { scan: 'latent' } });
    reg.startRun(parent, { backend: 'cpu', device: null });
    const small = reg.createRun({ kind: 'train', name: 'latent 2', config: { latent: 2, model: 'ConvAE' }, parentId: parent });
    const big = reg.createRun({ kind: 'train', name: 'latent 16', config: { latent: 16 }, parentId: parent });
    const lone = reg.createRun({ kind: 'selftest', name: 'selftest', config: {} });
    reg.startRun(small, { backend: 'wasm', device: null });
    reg.finishRun(small, 'finished');
    reg.tag(big, 'Candidate');
    reg.note(lone, 'reference for the top-tagging comparison');
    return { parent, small, big, lone };
  }

  it('lists newest first and filters by status, kind, tag and parent', () => {
    const { parent, small, big, lone } = populate();
    expect(reg.listRuns().map((r) => r.id)).toEqual([lone, big, small, parent]);
    expect(reg.listRuns({ status: 'finished' }).map((r) => r.id)).toEqual([small]);
    expect(reg.listRuns({ kind: 'train' }).map((r) => r.id)).toEqual([big, small]);
    expect(reg.listRuns({ tag: 'Candidate' }).map((r) => r.id)).toEqual([big]);
    expect(reg.listRuns({ parentId: parent }).map((r) => r.id)).toEqual([big, small]);
    expect(reg.listRuns({ kind: 'train', status: 'queued', parentId: parent }).map((r) => r.id)).toEqual([big]);
    expect(reg.listRuns({ limit: 2 }).map((r) => r.id)).toEqual([lone, big]);
    expect(reg.listRuns({ status: 'interrupted' })).toEqual([]);
    const listed = reg.listRuns({ tag: 'Candidate' })[0];
    expect(listed).toMatchObject({ parentId: parent, tags: ['Candidate'], summary: {} });
    expect('config' in listed).toBe(false);
  });

  it('finds free text in names, kinds, configs, notes and tags, ignoring case', () => {
    const { parent, small, big, lone } = populate();
    const find = (text: string) => reg.listRuns({ text }).map((r) => r.id);
    expect(find('LATENT')).toEqual([big, small, parent]); // names and configs
    expect(find('convae')).toEqual([small]); // config JSON
    expect(find('top-tagging')).toEqual([lone]); // note
    expect(find('candid')).toEqual([big]); // tag
    expect(find('study')).toEqual([parent]); // kind
    expect(find(lone.slice(-6))).toEqual([lone]); // id
    expect(find('50%_')).toEqual([]); // LIKE wildcards are plain text
    expect(find('  ')).toHaveLength(4);
  });
});
