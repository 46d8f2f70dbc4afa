// Studies through the CLI: starting files, quick runs of train-evaluate and the inverted task on the
// built-in jets, their results against their child runs, and study-file errors.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '@shared/api';
import { awb, awbJson, spawnAwb, tempHome } from '../helpers/awb';

const home = tempHome();
const H = ['--home', home.dir];
const file = (name: string) => join(home.dir, name);
afterAll(() => home.cleanup());
/** The bump-hunt case's generated dijet table and study file, which the black-box case reuses. */
let dijet: { features: string; columns: string[]; study: Record<string, unknown> } | null = null;

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
    // Plus semi-supervised training (50 labelled rows of the tagged class) and one preprocessing variant (small occupancy images).
    const tiny = tinyStudy('inverted-task', [1]);
    const spec = JSON.parse(readFileSync(tiny, 'utf8')) as Record<string, unknown>;
    spec.semiSupervised = { rows: 50, lambda: 1, margin: 2 };
    spec.variants = [{ name: 'occupancy', representation: { kind: 'jet-images', pixels: 16, range: 0.8, transform: 'occupancy' } }];
    writeFileSync(tiny, JSON.stringify(spec));
    // Six child runs: more than awbJson's default two minutes on two cores.
    const run = awb(['study', 'run', tiny, ...H, '--json'], { timeoutMs: 540_000 });
    expect(run.status, run.stdout.slice(0, 2000) + run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as StudyOutput;
    expect(r).toMatchObject({ kind: 'inverted-task', status: 'finished' });
    expect(r.children).toHaveLength(6);
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

    // Semi-supervised directions: their own child runs, trained with the tagged class's first 50 training rows as outliers.
    const aucOf = (id: string) => r.children.find((c) => c.id === id)!.auc;
    const semi = r.metrics.semiSupervised as { rows: number; directions: { train: string; signal: string; auc: number; runs: string[] }[]; modelIndependence: number; table: { auc: (number | null)[][] } };
    expect(semi.rows).toBe(50);
    expect(semi.directions.map((d) => [d.train, d.signal])).toEqual([['qcd', 'top'], ['top', 'qcd']]);
    for (const d of semi.directions) expect(d.auc).toBe(aucOf(d.runs[0]));
    expect(semi.modelIndependence).toBe(Math.min(...semi.directions.map((d) => d.auc)));
    expect(semi.table.auc).toEqual([[null, semi.directions[0].auc], [semi.directions[1].auc, null]]);
    const semiRun = awbJson<RunDetail>(['show', semi.directions[0].runs[0], ...H]);
    const firstRun = awbJson<RunDetail>(['show', directions[0].runs[0], ...H]);
    expect(semiRun.config).toMatchObject({ outliers: (firstRun.config as { signal: string[] }).signal[0], maxOutliers: 50, lambda: 1, margin: 2 });
    expect(parent.summary.auc_semi_qcd_tags_top).toBe(semi.directions[0].auc);
    // Variants: both directions per preprocessing, and whether that setup tags both ways (both AUCs > 0.5 + margin).
    const variants = r.metrics.variants as { name: string; directions: { auc: number; runs: string[] }[]; modelIndependence: number; tagsBothWays: boolean }[];
    expect(variants.map((v) => v.name)).toEqual(['occupancy']);
    for (const d of variants[0].directions) expect(d.auc).toBe(aucOf(d.runs[0]));
    expect(variants[0].modelIndependence).toBe(Math.min(...variants[0].directions.map((d) => d.auc)));
    expect(variants[0].tagsBothWays).toBe(variants[0].modelIndependence > 0.5 + (r.metrics.tagsBothWaysMargin as number));

    // Class means of the test inputs and reconstructions: the first run's mean-*.npy (2, 40, 40), read with NumPy, rounded to 5 digits in the plots.
    const npyJson = (run: RunDetail, name: string) =>
      JSON.parse(execFileSync('/usr/bin/python3', ['-c', 'import sys, json, numpy as np; a = np.load(sys.argv[1]); print(json.dumps({"shape": a.shape, "dtype": str(a.dtype), "v": a.tolist()}))', join(home.dir, run.artifacts.find((a) => a.name === name)!.path)], { encoding: 'utf8' })) as { shape: number[]; dtype: string; v: number[][][] };
    const meanInput = npyJson(firstRun, 'mean-input.npy');
    const meanRecon = npyJson(firstRun, 'mean-reconstruction.npy');
    expect([meanInput.shape, meanInput.dtype, meanRecon.shape]).toEqual([[2, 40, 40], 'float32', [2, 40, 40]]);
    const near = (a: number[][], b: number[][]) => a.flat().every((v, i) => Math.abs(v - b.flat()[i]) <= 1e-4 * Math.abs(b.flat()[i]) + 1e-12);
    expect(near(diag.meanImages.qcd, meanInput.v[0]) && near(diag.meanImages.top, meanInput.v[1])).toBe(true);
    const recon = (results.plots as unknown as { meanReconstructions: { train: string; tagged: string; trained: number[][]; taggedClass: number[][] }[] }).meanReconstructions;
    expect(recon.map((x) => [x.train, x.tagged])).toEqual([['qcd', 'top'], ['top', 'qcd']]);
    expect(near(recon[0].trained, meanRecon.v[0]) && near(recon[0].taggedClass, meanRecon.v[1])).toBe(true);
  }, 600_000);

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
    // Latent snapshots of 300 evenly spaced training points, before training and after each of the 5 epochs.
    const embedding = (results.plots as unknown as { latentEmbedding: { manifold: string; latent: number; epochs: number[]; position: number[]; points: number[][][] }[] }).latentEmbedding;
    expect(embedding.map((e) => [e.manifold, e.latent])).toEqual([['circle', 1], ['circle', 2]]);
    const run = awbJson<RunDetail>(['show', configs[1].runs[0], ...H]);
    const stored = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', 'import sys, json, numpy as np; s = np.load(sys.argv[1]); r = np.load(sys.argv[2]); print(json.dumps({"shape": s.shape, "s": s.tolist(), "rows": r.tolist(), "rdtype": str(r.dtype)}))', ...['latent-snapshots.npy', 'latent-rows.npy'].map((n) => join(home.dir, run.artifacts.find((a) => a.name === n)!.path))], { encoding: 'utf8' }),
    ) as { shape: number[]; s: number[][][]; rows: number[]; rdtype: string };
    expect(stored.shape).toEqual([6, 300, 2]);
    expect(stored.rdtype).toBe('int32');
    expect(stored.rows.every((v, i) => i === 0 || v > stored.rows[i - 1])).toBe(true);
    const e = embedding[1];
    expect(e.epochs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(e.position).toHaveLength(300);
    expect(e.points.flat(2).every((v, i) => Math.abs(v - stored.s.flat(2)[i]) <= 1e-4 * Math.abs(stored.s.flat(2)[i]) + 1e-12)).toBe(true);
    expect(embedding[0].points[0][0]).toHaveLength(1);
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
    // The export's fit-results.csv holds the same fits, one row per cut.
    const exported = awbJson<{ out: string; files: string[] }>(['export', r.id, '--out', file('bump-export'), '--format', 'csv', ...H]);
    expect(exported.files).toContain('data/fit-results.csv');
    const fitRows = readFileSync(join(exported.out, 'data/fit-results.csv'), 'utf8').trim().split('\n').slice(1);
    expect(fitRows).toHaveLength(3);
    expect(fitRows.map((line) => Number(line.split(',')[0]))).toEqual([1, 0.1, 0.01]);
    for (const [i, c] of cuts.slice(0, 2).entries()) expect(fitRows[i].split(',').slice(3, 7).map(Number)).toEqual(c.fit.params);
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
    dijet = { features: join(home.dir, 'datasets', dataset.id, 'features.npy'), columns: awbJson<{ columns: string[] }>(['datasets', dataset.id, ...H]).columns, study: s };
  }, 300_000);

  it('hunts in a black box (a CSV without labels): trained on as data, no signal counts or AUC; on half-labelled data the AUC of the labelled rows; cancelling during the toys ends it cancelled', async () => {
    if (!dijet) throw new Error('needs the dijet dataset of the bump-hunt case above');
    // blackbox.csv: the features without labels; mixed.csv: with a label column, −1 on every even row.
    execFileSync('/usr/bin/python3', ['-c', `
import sys, numpy as np
x = np.load(sys.argv[1]); y = np.load(sys.argv[2]).astype(int); y[::2] = -1
np.savetxt(sys.argv[3], x, delimiter=",", header=sys.argv[5], comments="", fmt="%.9g")
np.savetxt(sys.argv[4], np.column_stack([x, y]), delimiter=",", header=sys.argv[5] + ",label", comments="", fmt="%.9g")`,
      dijet.features, join(dirname(dijet.features), 'labels.npy'), file('blackbox.csv'), file('mixed.csv'), dijet.columns.join(',')]);
    awbJson(['import', file('blackbox.csv'), '--name', 'blackbox', ...H]);
    awbJson(['import', file('mixed.csv'), '--name', 'mixed', ...H]);
    const study = { ...dijet.study, name: 'black box', data: { dataset: 'blackbox' }, efficiencies: [1, 0.1], toys: 2 };
    writeFileSync(file('blackbox.json'), JSON.stringify(study));
    const run0 = awb(['study', 'run', file('blackbox.json'), ...H], { timeoutMs: 300_000 });
    expect(run0.status, run0.stderr).toBe(0);
    // The toys report their progress on the terminal.
    expect(run0.stderr).toContain('toys at efficiency 1: 2 / 2 toys');
    const r = awbJson<StudyOutput>(['study', 'show', /^study (\S+)/.exec(run0.stdout)![1], ...H]);
    expect(r.status).toBe('finished');
    const m = r.metrics as { run: string; auc: number | null; testEvents: number; unlabelledTestEvents: number; cuts: { signalEvents: number | null; best: { z: number; zWithSigmaB: number; sigmaB: number }; globalZ: { toys: number } }[] };
    expect(m.auc).toBeNull();
    expect(m.unlabelledTestEvents).toBe(m.testEvents);
    const run = awbJson<RunDetail>(['show', m.run, ...H]);
    expect(run.summary).toMatchObject({ n_test_signal: 0, n_test_background: 0, n_test_unlabelled: m.testEvents });
    expect(Object.keys(run.summary).filter((k) => /auc|rejection|sic/.test(k))).toEqual([]);
    // Every training-split row of the table went into training, and every test-split row was scored with code −1.
    const labels = JSON.parse(execFileSync('/usr/bin/python3', ['-c', 'import sys, json, numpy as np; print(json.dumps(sorted(set(np.load(sys.argv[1]).tolist()))))', join(home.dir, run.artifacts.find((a) => a.name === 'labels.npy')!.path)], { encoding: 'utf8' })) as number[];
    expect(labels).toEqual([-1]);
    for (const c of m.cuts) {
      expect(c.signalEvents).toBeNull();
      expect(c.best.sigmaB).toBeGreaterThan(0);
      expect(c.best.zWithSigmaB).toBeLessThanOrEqual(c.best.z + 0.5);
      expect(c.globalZ.toys).toBe(2);
    }

    // On the half-labelled table, with 100,000 toys (hours): cancelled once its training run has finished,
    // the study ends promptly; the training run's AUC is scikit-learn's on the labelled test rows.
    writeFileSync(file('mixed-long.json'), JSON.stringify({ ...study, data: { dataset: 'mixed' }, efficiencies: [1], toys: 100_000 }));
    const child = spawnAwb(['study', 'run', file('mixed-long.json'), ...H]);
    let output = '';
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const started = () => [...output.matchAll(/run (\S+) running/g)].map((x) => x[1]);
    let training: RunDetail | null = null;
    while (training?.status !== 'finished') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (started().length >= 2) training = awbJson<RunDetail>(['show', started()[1], ...H]);
      if (child.exitCode !== null) throw new Error(`the study ended (${child.exitCode}) before it was cancelled: ${output}`);
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(awbJson<RunDetail>(['show', started()[0], ...H]).status).toBe('cancelled');
    const trained: RunDetail = training;
    const artifact = (name: string) => join(home.dir, trained.artifacts.find((a) => a.name === name)!.path);
    const ref = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', `
import sys, json, numpy as np
from sklearn.metrics import roc_auc_score
s, y = np.load(sys.argv[1]), np.load(sys.argv[2])
m = y >= 0
print(json.dumps({"auc": roc_auc_score(y[m], s[m]), "signal": int((y == 1).sum()), "background": int((y == 0).sum()), "unlabelled": int((~m).sum())}))`, artifact('scores.npy'), artifact('labels.npy')], { encoding: 'utf8' }),
    ) as { auc: number; signal: number; background: number; unlabelled: number };
    expect(ref.unlabelled).toBeGreaterThan(0);
    expect(trained.summary).toMatchObject({ n_test_signal: ref.signal, n_test_background: ref.background, n_test_unlabelled: ref.unlabelled });
    expect(trained.summary.auc).toBeCloseTo(ref.auc, 10);
  }, 300_000);

  it('names the field of a bad study file', () => {
    writeFileSync(file('bad.json'), JSON.stringify({ kind: 'train-evaluate', background: { dataset: 'x' }, signal: [], model: { model: 'conv-ae' } }));
    const r = awb(['study', 'run', file('bad.json'), ...H]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: signal: /);
  });

  it('reads and writes YAML study files: the same schema, errors naming the file', () => {
    awbJson(['study', 'init', 'inverted-task', '--quick', '--out', file('inverted.yaml'), ...H]);
    // Debian's PyYAML reads what init wrote as the same document as the JSON starting file.
    awbJson(['study', 'init', 'inverted-task', '--quick', '--out', file('inverted-same.json'), ...H]);
    const fromYaml = execFileSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file('inverted.yaml')], { encoding: 'utf8' });
    expect(JSON.parse(fromYaml)).toEqual(JSON.parse(readFileSync(file('inverted-same.json'), 'utf8')));
    writeFileSync(file('bad.yml'), 'kind: train-evaluate\nbackground: {dataset: x}\nsignal: []\nmodel: {model: conv-ae}\n');
    const bad = awb(['study', 'run', file('bad.yml'), ...H]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yml: signal: /);
    writeFileSync(file('broken.yaml'), 'kind: [unclosed\n');
    const broken = awb(['study', 'run', file('broken.yaml'), ...H]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml: cannot be read as YAML/);
  });
});
