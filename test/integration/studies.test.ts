// Studies through the CLI: starting files, quick runs of train-evaluate and the inverted task on the
// built-in jets, their results against their child runs, and study-file errors.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '@shared/api';
import { awb, awbJson, tempHome } from '../helpers/awb';

const home = tempHome();
const H = ['--home', home.dir];
const file = (name: string) => join(home.dir, name);
afterAll(() => home.cleanup());

interface StudyOutput {
  id: string;
  kind: string;
  status: string;
  metrics: Record<string, unknown>;
  children: { id: string; status: string; seed: number; auc: number }[];
}

/** A quick starting file made smaller still, for CI. */
function tinyStudy(kind: string, seeds: number[]): string {
  awbJson(['study', 'init', kind, '--quick', '--out', file(`${kind}.json`), ...H]);
  const s = JSON.parse(readFileSync(file(`${kind}.json`), 'utf8')) as Record<string, any>;
  const data =
    kind === 'inverted-task'
      ? [s.a.data, s.b.data]
      : kind === 'mass-decorrelation' || kind === 'representation'
        ? [s.background, ...(s.outliers ? [s.outliers] : []), ...s.signals.map((x: any) => x.data)]
        : [s.background, ...s.signal];
  for (const d of data) d.generate.n = ['qcd', 'sm'].includes(d.generate.process) ? 800 : kind === 'representation' ? 200 : 500;
  if (kind === 'representation') {
    s.model.clrEpochs = 1;
    s.augmentations = [['ao', 'aowcpm'], ['spm']];
  }
  s.model.epochs = 1;
  s.seeds = seeds;
  writeFileSync(file(`${kind}-tiny.json`), JSON.stringify(s));
  return file(`${kind}-tiny.json`);
}

describe('awb study', () => {
  it('writes commented starting files of every kind, and never over an existing file', () => {
    for (const kind of ['train-evaluate', 'inverted-task', 'mass-decorrelation', 'representation', 'topology', 'bump-hunt']) {
      expect(awbJson(['study', 'init', kind, '--out', file(`${kind}-full.json`), ...H])).toEqual({ kind, out: file(`${kind}-full.json`) });
    }
    const full = JSON.parse(readFileSync(file('inverted-task-full.json'), 'utf8')) as Record<string, any>;
    expect(full.$comment.kind).toMatch(/train-evaluate, inverted-task, mass-decorrelation, representation, topology, bump-hunt/);
    expect(full.seeds).toEqual([1, 2, 3]);
    const again = awb(['study', 'init', 'inverted-task', '--out', file('inverted-task-full.json'), ...H]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('runs the inverted task: both directions, their AUCs from the child runs, the worse as the model-independence figure', () => {
    const r = awbJson<StudyOutput>(['study', 'run', tinyStudy('inverted-task', [1]), ...H]);
    expect(r).toMatchObject({ kind: 'inverted-task', status: 'finished' });
    expect(r.children).toHaveLength(2);
    const directions = r.metrics.directions as { train: string; signal: string; auc: number; runs: string[] }[];
    expect(directions.map((d) => [d.train, d.signal])).toEqual([['qcd', 'top'], ['top', 'qcd']]);
    for (const d of directions) expect(d.auc).toBe(r.children.find((c) => c.id === d.runs[0])!.auc);
    expect(r.metrics.modelIndependence).toBe(Math.min(...directions.map((d) => d.auc)));
    const table = r.metrics.table as { classes: string[]; auc: (number | null)[][] };
    expect(table).toEqual({ classes: ['qcd', 'top'], auc: [[null, directions[0].auc], [directions[1].auc, null]] });
    const parent = awbJson<RunDetail>(['show', r.id, ...H]);
    expect(parent.summary.model_independence).toBe(r.metrics.modelIndependence);
    const results = JSON.parse(readFileSync(join(home.dir, parent.artifacts.find((a) => a.name === 'results.json')!.path), 'utf8')) as { plots: { roc: { tpr: number[]; rejection: number[] }[]; scores: { edges: number[]; background: number[] }[] } };
    expect(results.plots.roc).toHaveLength(2);
    expect(results.plots.roc[0].tpr.length).toBe(results.plots.roc[0].rejection.length);
    expect(results.plots.scores[0].edges).toHaveLength(51);
    // Normalised histograms: unit area.
    const h = results.plots.scores[0];
    expect(h.background.reduce((a, c) => a + c * (h.edges[1] - h.edges[0]), 0)).toBeCloseTo(1, 10);
    expect(awbJson<StudyOutput>(['study', 'show', r.id, ...H])).toEqual(r);
    // Complexity-bias diagnostics: score profiles in multiplicity per class, mean images of both classes.
    const diag = results.plots as unknown as { scoreVsMultiplicity: { trained: { low: number[]; events: number[] } }[]; meanImages: Record<string, number[][]> };
    expect(diag.scoreVsMultiplicity).toHaveLength(2);
    const counts = diag.scoreVsMultiplicity[0].trained.events.reduce((a, b) => a + b, 0);
    expect(counts).toBe(awbJson<RunDetail>(['show', directions[0].runs[0], ...H]).summary.n_test_background);
    expect(Object.keys(diag.meanImages)).toEqual(['qcd', 'top']);
    expect(diag.meanImages.qcd).toHaveLength(40);
    // √-intensity images do not sum to 1, but every pixel is non-negative and the mean image is not empty.
    expect(diag.meanImages.top.flat().every((v) => v >= 0) && diag.meanImages.top.flat().some((v) => v > 0)).toBe(true);
    expect(typeof (directions[0] as unknown as { scoreMultiplicityCorrelation: Record<string, number> }).scoreMultiplicityCorrelation.qcd).toBe('number');
  }, 300_000);

  it('runs train & evaluate over seeds and reports mean ± std of the child runs', () => {
    const r = awbJson<StudyOutput>(['study', 'run', tinyStudy('train-evaluate', [1, 2]), ...H]);
    expect(r.status).toBe('finished');
    const aucs = r.children.map((c) => c.auc);
    expect(aucs).toHaveLength(2);
    const mean = (aucs[0] + aucs[1]) / 2;
    expect(r.metrics.auc).toBeCloseTo(mean, 12);
    expect(r.metrics.aucStd).toBeCloseTo(Math.abs(aucs[0] - aucs[1]) / Math.SQRT2, 12);
    // The generated datasets of the first study were reused, not made again.
    const names = awbJson<{ name: string }[]>(['datasets', ...H]).map((d) => d.name);
    expect(names.filter((n) => n.startsWith('gen-jets-qcd'))).toHaveLength(1);
  }, 300_000);

  it('scans DisCo λ and OE-VAE in the mass-decorrelation study, with per-signal AUCs as scikit-learn computes them', () => {
    const r = awbJson<StudyOutput>(['study', 'run', tinyStudy('mass-decorrelation', [1]), ...H]);
    expect(r.status).toBe('finished');
    const configs = r.metrics.configurations as { label: string; runs: string[]; perSignal: Record<string, { auc: number }>; invJsd: Record<string, number>; dcor: number }[];
    expect(configs.map((c) => c.label)).toEqual(['β-VAE', 'DisCo-VAE λ=10', 'OE-VAE kl-margin']);
    for (const c of configs) {
      const run = awbJson<RunDetail>(['show', c.runs[0], ...H]);
      const path = (name: string) => join(home.dir, run.artifacts.find((a) => a.name === name)!.path);
      const ref = JSON.parse(
        execFileSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np
from sklearn.metrics import roc_auc_score
s, y, src = np.load(sys.argv[1]), np.load(sys.argv[2]), np.load(sys.argv[3])
out = {}
for k, name in ((1, "top"), (2, "w")):
    keep = (y == 0) | (src == k)
    out[name] = roc_auc_score(y[keep], s[keep])
print(json.dumps(out))`, path('scores.npy'), path('labels.npy'), path('source.npy')], { encoding: 'utf8' }),
      ) as Record<string, number>;
      for (const name of ['top', 'w']) expect(c.perSignal[name].auc, `${c.label} ${name}`).toBeCloseTo(ref[name], 10);
      for (const eff of ['0.5', '0.1', '0.01']) expect(c.invJsd[eff]).toBeGreaterThanOrEqual(1);
      expect(c.dcor).toBeGreaterThanOrEqual(0);
    }
  }, 300_000);

  it('compares the AE on raw objects with the AE on the AnomalyCLR representation, per signal', () => {
    const r = awbJson<StudyOutput>(['study', 'run', tinyStudy('representation', [1]), ...H]);
    expect(r.status).toBe('finished');
    const setups = r.metrics.setups as { setup: string; runs: string[]; perSignal: Record<string, { auc: number }> }[];
    expect(setups.map((x) => x.setup)).toEqual(['AE on raw objects', 'AE on anomclr representation (d = 32, ao+aowcpm)', 'AE on anomclr representation (d = 32, spm)']);
    // The augmentation set reaches the contrastive training: same seed and data, other negative views, other losses.
    const clrLosses = setups.slice(1).map((x) => {
      const run = awbJson<RunDetail>(['show', x.runs[0], ...H]);
      const history = run.artifacts.find((a) => a.name === 'contrastive-history.json')!;
      return (JSON.parse(readFileSync(join(home.dir, history.path), 'utf8')) as { trainLoss: number }[])[0].trainLoss;
    });
    expect(clrLosses[0]).not.toBe(clrLosses[1]);
    expect(awbJson<RunDetail>(['show', setups[2].runs[0], ...H]).config).toMatchObject({ anomalousAugs: ['spm'] });
    for (const x of setups) {
      expect(Object.keys(x.perSignal)).toEqual(['ato4l', 'lq-btau', 'h0-tautau', 'hplus-taunu']);
      const run = awbJson<RunDetail>(['show', x.runs[0], ...H]);
      expect(run.config).toMatchObject({ model: x.setup.startsWith('AE on raw') ? 'dense-ae' : 'anomalyclr' });
      for (const v of Object.values(x.perSignal)) expect(v.auc).toBeGreaterThanOrEqual(0);
    }
  }, 300_000);

  it('trains autoencoders at and above the intrinsic dimension of a circle and finds the seam', () => {
    awbJson(['study', 'init', 'topology', '--quick', '--out', file('topology.json'), ...H]);
    const r = awbJson<StudyOutput>(['study', 'run', file('topology.json'), ...H]);
    expect(r.status).toBe('finished');
    const configs = r.metrics.configurations as { manifold: string; latent: number; runs: string[]; seam: { ratioToMedian: number } }[];
    expect(configs.map((c) => [c.manifold, c.latent])).toEqual([['circle', 1], ['circle', 2]]);
    const parent = awbJson<RunDetail>(['show', r.id, ...H]);
    const results = JSON.parse(readFileSync(join(home.dir, parent.artifacts.find((a) => a.name === 'results.json')!.path), 'utf8')) as { plots: { errorVsPosition: { events: number[]; edges: number[] }[] } };
    const profile = results.plots.errorVsPosition[0];
    expect(profile.edges).toHaveLength(37);
    expect(profile.events.reduce((a, b) => a + b, 0)).toBe(awbJson<RunDetail>(['show', configs[0].runs[0], ...H]).summary.n_test_background);
    expect(configs[0].seam.ratioToMedian).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('hunts for a bump in the dijet spectrum after score cuts, with the spectra numpy makes from the stored scores', () => {
    awbJson(['study', 'init', 'bump-hunt', '--quick', '--out', file('bump-hunt.json'), ...H]);
    const s = JSON.parse(readFileSync(file('bump-hunt.json'), 'utf8')) as Record<string, any>;
    s.data.generate.n = 20_000;
    s.model.epochs = 1;
    writeFileSync(file('bump-hunt-tiny.json'), JSON.stringify(s));
    const r = awbJson<StudyOutput>(['study', 'run', file('bump-hunt-tiny.json'), ...H]);
    expect(r.status).toBe('finished');
    type Cut = { efficiency: number; events: number; threshold: number | null; skipped: string | null; best: { z: number; mLow: number; mHigh: number }; fit: { params: number[]; ndf: number } };
    const cuts = r.metrics.cuts as Cut[];
    expect(cuts.map((c) => c.efficiency)).toEqual([1, 0.1, 0.01]);
    expect(cuts.map((c) => c.events)).toEqual([4000, 400, 40]); // the test split: 20 % of 20,000 events
    // 40 events cannot fix four parameters: that cut is reported, not fitted.
    expect(cuts[2].skipped).toMatch(/fewer than the 200 a fit needs/);
    for (const c of cuts.slice(0, 2)) {
      expect(c.fit.params.every(Number.isFinite)).toBe(true);
      expect(c.fit.ndf).toBe(45 - 4);
      expect(c.best.mHigh).toBeGreaterThan(c.best.mLow);
    }
    const run = awbJson<RunDetail>(['show', r.metrics.run as string, ...H]);
    const dataset = awbJson<{ id: string }>(['datasets', (run.config as { dataset: string }).dataset, ...H]);
    const parent = awbJson<RunDetail>(['show', r.id, ...H]);
    const results = JSON.parse(readFileSync(join(home.dir, parent.artifacts.find((a) => a.name === 'results.json')!.path), 'utf8')) as { plots: { spectra: { counts: number[] }[] } };
    const path = (name: string) => join(home.dir, run.artifacts.find((a) => a.name === name)!.path);
    const ref = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np
s, rows = np.load(sys.argv[1]), np.load(sys.argv[2])
mjj = np.load(sys.argv[3])[rows, 0]
out = []
for eff, thr in json.loads(sys.argv[4]):
    keep = s > (thr if thr is not None else -np.inf)
    out.append(np.histogram(mjj[keep], bins=45, range=(1500, 6000))[0].tolist())
print(json.dumps(out))`, path('scores.npy'), path('rows.npy'), join(home.dir, 'datasets', dataset.id, 'features.npy'), JSON.stringify(cuts.map((c) => [c.efficiency, c.threshold]))], { encoding: 'utf8' }),
    ) as number[][];
    expect(results.plots.spectra.map((x) => x.counts)).toEqual(ref);
  }, 300_000);

  it('names the field of a bad study file', () => {
    writeFileSync(file('bad.json'), JSON.stringify({ kind: 'train-evaluate', background: { dataset: 'x' }, signal: [], model: { model: 'conv-ae' } }));
    const r = awb(['study', 'run', file('bad.json'), ...H]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: signal: /);
  });
});
