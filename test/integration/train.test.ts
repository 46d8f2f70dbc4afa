// `awb train` end to end on generated jets: a QCD-only autoencoder scored on the test split of QCD and
// top, its AUC and rejection checked against scikit-learn on the stored scores, and the reload check.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RescoreResult, RunDetail, TrainConfig } from '@shared/api';
import { Engine } from '../../src/main/engine/engine';
import { readCheckpoint } from '../../src/main/engine/train/checkpoint';
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
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(['history.json', 'labels.npy', 'mass.npy', 'mean-input.npy', 'mean-reconstruction.npy', 'model-summary.json', 'model.json', 'roc.json', 'rows.npy', 'scores.npy', 'source.npy', 'weights.bin']);
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
    // The signal rows are scaled with the background's training-split fit, not with a fit of their own.
    const entries = (name: string) => {
      const d = awbJson<{ id: string }>(['datasets', name, ...H]);
      const root = join(home.dir, 'datasets', d.id, 'repr');
      return readdirSync(root).filter((f) => f.startsWith('constituents-')).map((f) => ({ name: f, spec: JSON.parse(readFileSync(join(root, f, 'spec.json'), 'utf8')) as { fit: unknown; fitFrom?: string } }));
    };
    const qcdId = awbJson<{ id: string }>(['datasets', 'qcd', ...H]).id;
    const [background] = entries('qcd').filter((e) => !e.name.includes('-fit-'));
    const signal = entries('top').filter((e) => e.name.includes(`-fit-${qcdId}`));
    expect(signal).toHaveLength(1);
    expect(signal[0].spec.fitFrom).toBe(qcdId);
    expect(signal[0].spec.fit).toEqual(background.spec.fit);
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
    const latent = awb(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'conv-ae', '--score', 'kl', ...H]);
    expect(latent.stderr).toMatch(/--score kl: a conv-ae is scored by its reconstruction error \(mse\) only/);
    const oe = JSON.parse(awb(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'vae', '--objective', 'oe', '--json', ...H]).stdout) as TrainOutput;
    expect(oe).toMatchObject({ status: 'failed', error: 'OE-VAE needs an outlier dataset (--outliers NAME)' });
    const bad = awb(['train', '--dataset', 'nope', '--model', 'conv-ae', ...H]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/no dataset named "nope"/);
  }, 120_000);
});

describe('resuming an interrupted training run', () => {
  /**
   * Trains `cfg` straight, then again cancelled after epoch 2 and resumed; checks that the resumed run
   * records every epoch but trained only those after its checkpoint. Returns the three run ids.
   */
  async function straightAndResumed(engine: Engine, cfg: TrainConfig, epochs: number): Promise<{ straight: string; interrupted: string; resumed: string }> {
    const train = () => engine.call('jobs.train', cfg);
    const straight = (await train()).runId;
    expect(await engine.waitForRun(straight)).toBe('finished');

    const interrupted = (await train()).runId;
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

    const history = JSON.parse(readFileSync(await artifactPath(engine, resumed, 'history.json'), 'utf8')) as unknown[];
    expect(history).toHaveLength(epochs);
    // It trained only the epochs after the checkpoint: a run that started over would record epoch 1 again.
    const steps = (await engine.call('runs.get', { id: resumed })).metrics.filter((m) => m.key === 'train_loss').map((m) => m.step);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...steps)).toBe(epochs);
    await expect(engine.call('jobs.resume', { runId: straight })).rejects.toMatchObject({ code: 'conflict' });
    return { straight, interrupted, resumed };
  }

  async function artifactPath(engine: Engine, id: string, name: string): Promise<string> {
    const run = await engine.call('runs.get', { id });
    return join(home.dir, run.artifacts.find((a) => a.name === name)!.path);
  }

  const artifact = async (engine: Engine, id: string, name: string) => readFileSync(await artifactPath(engine, id, name));

  it('continues from the last checkpoint and ends with the scores of an uninterrupted run', async () => {
    const engine = await Engine.open({ home: home.dir });
    try {
      // One replica: a resumed run is bit-identical to an uninterrupted one (data-parallel sums can differ in rounding).
      await engine.call('settings.set', { threads: 1 });
      const cfg = { dataset: 'qcd', signal: ['top'], model: 'dense-ae' as const, representation: { kind: 'jet-observables' as const }, widths: [16, 4], epochs: 6, batchSize: 64, backend: 'wasm' as const };
      const { straight, resumed } = await straightAndResumed(engine, cfg, 6);
      expect((await artifact(engine, resumed, 'scores.npy')).equals(await artifact(engine, straight, 'scores.npy'))).toBe(true);
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('resumes an OE-VAE run (annealing, a schedule, the outlier shuffle) to the scores of an uninterrupted run, bit for bit', async () => {
    const engine = await Engine.open({ home: home.dir });
    try {
      const cfg = {
        dataset: 'qcd', signal: ['top'], model: 'vae' as const, objective: 'oe' as const, outliers: 'w', oeVariant: 'mse-margin' as const, annealing: true,
        representation: { kind: 'jet-observables' as const }, widths: [16, 8], latent: 2, epochs: 5, batchSize: 64, backend: 'wasm' as const,
        lrSchedule: { kind: 'step-every' as const, factor: 0.5, every: 2 },
      };
      const { straight, interrupted, resumed } = await straightAndResumed(engine, cfg, 5);
      const checkpoint = readCheckpoint(join(home.dir, 'artifacts', interrupted));
      expect(checkpoint?.trainer).toBe('vae/oe/mse-margin');
      for (const score of ['mse', 'kl', 'mu-norm', 'mahalanobis', 'beta-loss']) {
        const name = `score-${score}.npy`;
        expect((await artifact(engine, resumed, name)).equals(await artifact(engine, straight, name)), score).toBe(true);
      }
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe('awb train --model anomalyclr', () => {
  beforeAll(() => {
    for (const [process, n, seed] of [['sm', 600, 1], ['ato4l', 200, 2]] as const) {
      const out = join(home.dir, `${process}.h5`);
      awbJson(['generate', 'events', '--process', process, '--n', String(n), '--seed', String(seed), '--out', out, ...H]);
      awbJson(['import', out, '--name', process, ...H]);
    }
  }, 120_000);

  /** The tutorial's scaling of the background's training events by NumPy: mean non-zero pT, max |η|, max |φ| over objects present. */
  function numpyScaling(dataset: string): { ptScale: number; etaScale: number; phiScale: number } {
    const info = awbJson<{ id: string }>(['datasets', dataset, ...H]);
    const dir = join(home.dir, 'datasets', info.id);
    const out = execFileSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np
p = np.load(sys.argv[1] + '/particles.npy')[np.load(sys.argv[1] + '/split.npy') == 0].astype(np.float64)
on = p[:, :, 0] > 0
print(json.dumps({"ptScale": p[:, :, 0][on].mean(), "etaScale": np.abs(p[:, :, 1][on]).max(), "phiScale": np.abs(p[:, :, 2][on]).max()}))`, dir], { encoding: 'utf8' });
    return JSON.parse(out) as { ptScale: number; etaScale: number; phiScale: number };
  }

  it('trains the transformer encoder contrastively, an AE on its representations, and scores A→4ℓ against the SM', () => {
    const [d, layers, heads, headLayers] = [16, 1, 2, 2];
    const r = awbJson<TrainOutput>([
      'train', '--dataset', 'sm', '--signal', 'ato4l', '--model', 'anomalyclr', '--clr-loss', 'anomclr', '--temperature', '0.1',
      '--clr-epochs', '2', '--clr-batch-size', '64', '--rep-dim', String(d), '--layers', String(layers), '--heads', String(heads),
      '--widths', '8,4', '--epochs', '2', '--batch-size', '64', ...H,
    ]);
    expect(r).toMatchObject({ kind: 'train', status: 'finished', error: null });
    // Embedding 7→d; per layer attention 4(d²+d), two LayerNorms 4d, feed-forward (width d) 2(d²+d); head layers d²+d each
    // (physics.md §7: 1,088 + 4 × 112,336 + 37,264 = 487,696 for d = 136).
    const encoderParameters = 8 * d + layers * (6 * d * d + 10 * d) + headLayers * (d * d + d);
    const aeParameters = d * 8 + 8 + 8 * 4 + 4 + 4 * 8 + 8 + 8 * d + d;
    expect(r.metrics).toMatchObject({ encoder_parameters: encoderParameters, autoencoder_parameters: aeParameters, parameters: encoderParameters + aeParameters });
    expect(r.metrics).toMatchObject({ clr_epochs: 2, epochs: 2, n_test_background: 120, n_test_signal: 40 });
    expect(Number.isFinite(r.metrics.final_clr_loss)).toBe(true);

    const run = awbJson<RunDetail>(['show', r.id, ...H]);
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(
      ['anomalyclr-config.json', 'autoencoder.json', 'autoencoder.weights.bin', 'contrastive-history.json', 'encoder.json', 'encoder.weights.bin', 'history.json', 'labels.npy', 'mass.npy', 'model-summary.json', 'roc.json', 'rows.npy', 'scores.npy', 'source.npy'],
    );
    const artifact = (name: string) => JSON.parse(readFileSync(join(home.dir, run.artifacts.find((a) => a.name === name)!.path), 'utf8')) as unknown;
    const summary = artifact('model-summary.json') as Record<'encoder' | 'autoencoder', { parameters: number; layers: { parameters: number }[] }>;
    expect(summary.encoder.parameters).toBe(encoderParameters);
    expect(summary.encoder.layers.reduce((n, l) => n + l.parameters, 0)).toBe(encoderParameters);
    expect(summary.autoencoder.parameters).toBe(aeParameters);
    // Both stages report per epoch, under their own keys.
    const steps = (key: string) => run.metrics.filter((m) => m.key === key).map((m) => m.step);
    expect(steps('clr_loss')).toEqual([1, 2]);
    expect(steps('clr_val_loss')).toEqual([1, 2]);
    expect(steps('train_loss')).toEqual([1, 2]);
    expect((artifact('contrastive-history.json') as { trainLoss: number }[]).map((e) => e.trainLoss)).toEqual(run.metrics.filter((m) => m.key === 'clr_loss').map((m) => m.value));
    // Every dataset is measured in the scaling of the background's training events.
    const { scaling } = artifact('anomalyclr-config.json') as { scaling: Record<string, number> };
    const ref = numpyScaling('sm');
    for (const k of ['ptScale', 'etaScale', 'phiScale'] as const) expect(scaling[k] / ref[k], k).toBeCloseTo(1, 5);
    // The encoder's saved topology names the custom layers, so TF.js can load it back.
    const encoderJson = JSON.stringify(artifact('encoder.json'));
    for (const layer of ['MultiHeadSelfAttention', 'LayerNorm', 'MaskedSumPooling', 'PaddingMask']) expect(encoderJson).toContain(layer);
    expect(r.metrics.auc).toBeCloseTo(sklearnMetrics(run).auc, 10);
  }, 120_000);

  it('builds the tutorial encoder and AE by default (physics.md §7: 487,696 and 157,965 parameters)', () => {
    const r = awbJson<TrainOutput>(['train', '--dataset', 'sm', '--signal', 'ato4l', '--model', 'anomalyclr', '--clr-epochs', '1', '--epochs', '1', '--max-train', '64', ...H]);
    expect(r.status).toBe('finished');
    expect(r.metrics).toMatchObject({ encoder_parameters: 487_696, autoencoder_parameters: 157_965, clr_epochs: 1 });
    const run = awbJson<RunDetail & { config: Record<string, unknown> }>(['show', r.id, ...H]);
    expect(run.config).toMatchObject({ clrLoss: 'anomclr', temperature: 0.1, clrBatchSize: 128, clrLearningRate: 5e-5, repDim: 136, layers: 4, heads: 4, headLayers: 2, dropout: 0.1, representation: { kind: 'event-objects', sinCos: false } });
  }, 60_000);

  it('gives the encoder (sin φ, cos φ) in place of φ with --sin-cos (physics.md §7: 487,832 parameters)', () => {
    const r = awbJson<TrainOutput>(['train', '--dataset', 'sm', '--signal', 'ato4l', '--model', 'anomalyclr', '--representation', 'event-objects', '--sin-cos', '--clr-loss', 'anomclr+', '--clr-epochs', '1', '--epochs', '1', '--max-train', '64', ...H]);
    expect(r.status).toBe('finished');
    expect(r.metrics.encoder_parameters).toBe(487_832);
  }, 60_000);

  it('refuses jets, other representations and a width the heads do not divide, before a run starts', () => {
    const runs = () => awbJson<unknown[]>(['runs', ...H]).length;
    const before = runs();
    const jets = awb(['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'anomalyclr', ...H]);
    expect(jets.status).not.toBe(0);
    expect(jets.stderr).toMatch(/AnomalyCLR trains on events in the ADC2021 layout; dataset "qcd" holds jets/);
    const rep = awb(['train', '--dataset', 'sm', '--signal', 'ato4l', '--model', 'anomalyclr', '--representation', 'event-features', ...H]);
    expect(rep.stderr).toMatch(/AnomalyCLR takes the event-objects representation, not event-features/);
    const heads = awb(['train', '--dataset', 'sm', '--signal', 'ato4l', '--model', 'anomalyclr', '--rep-dim', '10', '--heads', '4', ...H]);
    expect(heads.stderr).toMatch(/representation width 10 \(--rep-dim\) is not a multiple of the 4 attention heads/);
    expect(awb(['train', '--dataset', 'sm', '--model', 'anomalyclr', '--clr-loss', 'simclr', ...H]).stderr).toMatch(/--clr-loss/);
    expect(runs()).toBe(before);
  }, 60_000);
});
