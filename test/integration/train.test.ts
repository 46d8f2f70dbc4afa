// `awb train` end to end on generated jets: a QCD-only autoencoder scored on the test split of QCD and
// top, its AUC and rejection checked against scikit-learn on the stored scores, and the reload check.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RescoreResult, RunDetail } from '@shared/api';
import { Engine } from '../../src/main/engine/engine';
import { awb, awbJson, tempHome } from '../helpers/awb';

const home = tempHome();
const H = ['--home', home.dir];
afterAll(() => home.cleanup());

interface TrainOutput {
  id: string;
  kind: string;
  status: string;
  error: string | null;
  metrics: Record<string, number>;
}

beforeAll(() => {
  for (const [process, n, seed] of [['qcd', 1000, 2], ['top', 400, 1], ['w', 300, 3]] as const) {
    const out = join(home.dir, `${process}.h5`);
    awbJson(['generate', 'jets', '--process', process, '--n', String(n), '--seed', String(seed), '--out', out, ...H]);
    awbJson(['import', out, '--name', process, ...H]);
  }
}, 300_000);

/** AUC and 1/ε_B at ε_S = 0.3 (the ROC interpolated linearly in ε_S) by scikit-learn from the run's stored arrays. */
function sklearnMetrics(run: RunDetail, scores = 'scores.npy'): { auc: number; rejection: number } {
  const file = (name: string) => join(home.dir, run.artifacts.find((a) => a.name === name)!.path);
  const out = execFileSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np
from sklearn.metrics import roc_auc_score, roc_curve
s, y = np.load(sys.argv[1]), np.load(sys.argv[2])
fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
hit = tpr == 0.3  # exactly on a level: the tightest cut there
eb = fpr[hit].min() if hit.any() else np.interp(0.3, tpr, fpr)
print(json.dumps({"auc": roc_auc_score(y, s), "rejection": 1 / eb}))`, file(scores), file('labels.npy')], { encoding: 'utf8' });
  return JSON.parse(out) as { auc: number; rejection: number };
}

describe('awb train', () => {
  it('trains a QCD-only conv AE on jet images and reports AUC and rejection for top jets, as scikit-learn computes them', () => {
    const r = awbJson<TrainOutput>(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'conv-ae', '--epochs', '2', '--batch-size', '128', ...H]);
    expect(r).toMatchObject({ kind: 'train', status: 'finished', error: null });
    expect(r.metrics).toMatchObject({ parameters: 960_130, epochs: 2, n_test_background: 200, n_test_signal: 80 });
    const run = awbJson<RunDetail>(['show', r.id, ...H]);
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(['history.json', 'labels.npy', 'mass.npy', 'model-summary.json', 'model.json', 'roc.json', 'scores.npy', 'weights.bin']);
    const summary = JSON.parse(readFileSync(join(home.dir, run.artifacts.find((a) => a.name === 'model-summary.json')!.path), 'utf8')) as { parameters: number; layers: { parameters: number }[] };
    expect(summary.parameters).toBe(960_130);
    expect(summary.layers.reduce((n, l) => n + l.parameters, 0)).toBe(960_130);
    const ref = sklearnMetrics(run);
    expect(r.metrics.auc).toBeCloseTo(ref.auc, 10);
    expect(r.metrics.rejection).toBeCloseTo(ref.rejection, 8);
    // The saved weights, loaded again, give the stored scores exactly.
    expect(awbJson<RescoreResult>(['rescore', r.id, ...H])).toMatchObject({ runId: r.id, scores: 280, maxAbsDifference: 0 });
  }, 300_000);

  it('trains a dense AE on robust-scaled constituent lists', () => {
    const r = awbJson<TrainOutput>(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'dense-ae', '--representation', 'constituents', '--n', '10', '--widths', '32,8', '--epochs', '3', ...H]);
    expect(r.status).toBe('finished');
    expect(r.metrics.parameters).toBe(40 * 32 + 32 + 32 * 8 + 8 + 8 * 32 + 32 + 32 * 40 + 40);
    expect(r.metrics.auc).toBeCloseTo(sklearnMetrics(awbJson<RunDetail>(['show', r.id, ...H])).auc, 10);
  }, 300_000);

  it.each([
    ['beta-vae', []],
    ['disco', ['--lambda', '10']],
    ['oe', ['--outliers', 'w', '--oe-variant', 'mse-margin']],
  ])('trains a %s on constituents and records every input- and latent-space score', (objective, extra) => {
    const r = awbJson<TrainOutput>(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'vae', '--objective', objective, ...extra, '--epochs', '2', '--batch-size', '100', '--score', 'kl', ...H]);
    expect(r.status).toBe('finished');
    expect(r.metrics.parameters).toBe(125_796); // Cheng's VAE on 20 constituents × 4
    const run = awbJson<RunDetail>(['show', r.id, ...H]);
    expect(run.artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(['encoder.json', 'decoder.json', 'vae-config.json', 'score-mahalanobis.npy']));
    for (const score of ['mse', 'kl', 'mu-norm', 'mahalanobis', 'beta-loss']) {
      expect(r.metrics[`auc_${score}`], score).toBeCloseTo(sklearnMetrics(run, `score-${score}.npy`).auc, 10);
    }
    expect(r.metrics.auc).toBe(r.metrics.auc_kl);
  }, 300_000);

  it('fails a run with a clear message when there is nothing to tag, and refuses unknown datasets at once', () => {
    const failed = awb(['train', '--dataset', 'qcd', '--model', 'dense-ae', '--epochs', '1', '--json', ...H]);
    expect(failed.status).toBe(1);
    const r = JSON.parse(failed.stdout) as TrainOutput;
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/no signal rows in the test split: "qcd" has no signal label and no --signal dataset was given/);
    const oe = JSON.parse(awb(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'vae', '--objective', 'oe', '--json', ...H]).stdout) as TrainOutput;
    expect(oe).toMatchObject({ status: 'failed', error: 'OE-VAE needs an outlier dataset (--outliers NAME)' });
    const bad = awb(['train', '--dataset', 'nope', '--model', 'conv-ae', ...H]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/no dataset named "nope"/);
  }, 120_000);
});

describe('resuming an interrupted training run', () => {
  it('continues from the last checkpoint and ends with the scores of an uninterrupted run', async () => {
    const engine = await Engine.open({ home: home.dir });
    try {
      // One replica: a resumed run is bit-identical to an uninterrupted one (data-parallel sums can differ in rounding).
      await engine.call('settings.set', { threads: 1 });
      const cfg = { dataset: 'qcd', signal: ['top'], model: 'dense-ae' as const, representation: { kind: 'jet-observables' as const }, widths: [16, 4], epochs: 6, batchSize: 64, backend: 'wasm' as const };
      const straight = (await engine.call('jobs.train', cfg)).runId;
      expect(await engine.waitForRun(straight)).toBe('finished');

      const interrupted = (await engine.call('jobs.train', cfg)).runId;
      await new Promise<void>((resolve) => {
        const off = engine.onEvent((e) => {
          if (e.type === 'epoch' && e.runId === interrupted && e.epoch === 2) {
            off();
            void engine.call('jobs.cancel', { runId: interrupted }).then(() => resolve());
          }
        });
      });
      expect(await engine.waitForRun(interrupted)).toBe('cancelled');
      const resumed = (await engine.call('jobs.resume', { runId: interrupted })).runId;
      expect(await engine.waitForRun(resumed)).toBe('finished');

      const scores = async (id: string) => {
        const run = await engine.call('runs.get', { id });
        return readFileSync(join(home.dir, run.artifacts.find((a) => a.name === 'scores.npy')!.path));
      };
      expect((await scores(resumed)).equals(await scores(straight))).toBe(true);
      const history = JSON.parse(readFileSync(join(home.dir, (await engine.call('runs.get', { id: resumed })).artifacts.find((a) => a.name === 'history.json')!.path), 'utf8')) as unknown[];
      expect(history).toHaveLength(6);
      // It trained only the epochs after the checkpoint: a run that started over would record epoch 1 again.
      const steps = (await engine.call('runs.get', { id: resumed })).metrics.filter((m) => m.key === 'train_loss').map((m) => m.step);
      expect(Math.min(...steps)).toBeGreaterThanOrEqual(3);
      expect(Math.max(...steps)).toBe(6);
      await expect(engine.call('jobs.resume', { runId: straight })).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await engine.close();
    }
  }, 300_000);
});
