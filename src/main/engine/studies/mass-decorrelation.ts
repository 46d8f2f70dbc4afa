// Study "mass decorrelation" (Cheng et al.): VAEs trained with a scan of the DisCo weight λ and with the
// OE-VAE variants. For each configuration: per-signal AUC and R50 (1/ε_B at ε_S = 0.5), the background's
// mass sculpting as 1/JSD at fixed background efficiencies, the distance correlation between score and
// mass, and the background mass spectra after the cuts (the data of the R50-versus-1/JSD and spectra plots).
import type { RunDetail } from '@shared/api';
import { distanceCorrelation } from '@shared/metrics/distance-correlation';
import { linearEdges } from '@shared/metrics/histogram';
import { jsdAtEfficiency, massSpectraAfterCuts } from '@shared/metrics/mass-sculpting';
import { rejectionAt, auc as rocAuc } from '@shared/metrics/roc';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { TrainSpec } from '../train/dataset-training';
import type { StudyResults, StudyRunner } from './run-study';
import { meanStd, signalRocs } from './study-results';

type MassDecorrelation = Extract<ResolvedStudy, { kind: 'mass-decorrelation' }>;

/** Background events the O(n²) distance correlation sees at most (every k-th one beyond that). */
const DCOR_EVENTS = 4000;

interface Configuration {
  label: string;
  model: Partial<TrainSpec>;
}

function configurations(study: MassDecorrelation): Configuration[] {
  const out: Configuration[] = study.disco.map((lambda) =>
    lambda === 0 ? { label: 'β-VAE', model: { objective: 'beta-vae' } } : { label: `DisCo-VAE λ=${lambda}`, model: { objective: 'disco', lambda } },
  );
  for (const variant of study.oe) out.push({ label: `OE-VAE ${variant}`, model: { objective: 'oe', oeVariant: variant, lambda: study.oeLambda } });
  return out;
}

/** Every score of one run's test rows with their labels and masses. */
function testRows(runner: StudyRunner, run: RunDetail) {
  return {
    scores: runner.artifact(run, 'scores.npy') as Float32Array,
    labels: runner.artifact(run, 'labels.npy') as Int8Array,
    mass: runner.artifact(run, 'mass.npy') as Float32Array,
  };
}

/** The metrics of one trained configuration (one seed). */
function evaluate(runner: StudyRunner, run: RunDetail, signals: string[], study: MassDecorrelation) {
  const t = testRows(runner, run);
  const edges = linearEdges(study.massBins.low, study.massBins.high, study.massBins.bins);
  const rocs = signalRocs(runner, run, signals);
  const perSignal = Object.fromEntries(signals.map((name) => [name, { auc: rocAuc(rocs[name]), r50: rejectionAt(rocs[name], 0.5).rejection }]));
  const bg = [...t.labels.keys()].filter((i) => t.labels[i] === 0);
  const invJsd: Record<string, number> = {};
  for (const eff of study.efficiencies) invJsd[String(eff)] = jsdAtEfficiency(t.scores, t.mass, t.labels, eff, edges).inverse;
  const step = Math.max(1, Math.ceil(bg.length / DCOR_EVENTS));
  const sample = bg.filter((_, j) => j % step === 0);
  const dcor = distanceCorrelation(sample.map((i) => t.scores[i]), sample.map((i) => t.mass[i]));
  const spectra = massSpectraAfterCuts(t.scores, t.mass, t.labels, [1, ...study.efficiencies], edges);
  return { perSignal, invJsd, dcor, spectra };
}

export async function massDecorrelation(runner: StudyRunner, study: MassDecorrelation): Promise<StudyResults> {
  if (study.model.model !== 'vae') throw new Error(`the mass-decorrelation study trains VAEs (model "vae"), not ${study.model.model}`);
  const background = await runner.dataset(study.background);
  const signalNames = study.signals.map((s) => s.name);
  const signals: string[] = [];
  for (const s of study.signals) signals.push(await runner.dataset(s.data));
  const outliers = study.outliers ? await runner.dataset(study.outliers) : undefined;
  if (study.oe.length > 0 && !outliers) throw new Error('the OE-VAE variants need an outlier sample: give "outliers"');

  const configs = [];
  for (const c of configurations(study)) {
    const evals: ReturnType<typeof evaluate>[] = [];
    const runs: string[] = [];
    for (const seed of study.seeds) {
      const run = await runner.train({ ...study.model, ...c.model, dataset: background, signal: signals, outliers, seed } as TrainSpec);
      runs.push(run.id);
      evals.push(evaluate(runner, run, signalNames, study));
    }
    const perSignal = Object.fromEntries(
      signalNames.map((name) => {
        const auc = meanStd(evals.map((e) => e.perSignal[name].auc));
        const r50 = meanStd(evals.map((e) => e.perSignal[name].r50));
        return [name, { auc: auc.mean, aucStd: auc.std, r50: r50.mean, r50Std: r50.std }];
      }),
    );
    const invJsd = Object.fromEntries(study.efficiencies.map((eff) => [String(eff), meanStd(evals.map((e) => e.invJsd[String(eff)])).mean]));
    configs.push({ label: c.label, ...c.model, runs, perSignal, invJsd, dcor: meanStd(evals.map((e) => e.dcor)).mean, spectra: evals[0].spectra });
  }
  const middle = String(study.efficiencies[Math.floor(study.efficiencies.length / 2)]);
  return {
    metrics: {
      configurations: configs.map(({ spectra: _spectra, ...rest }) => rest),
      signals: signalNames,
      efficiencies: study.efficiencies,
    },
    summary: { configurations: configs.length },
    plots: {
      // R50 against 1/JSD at the middle efficiency, one point per configuration and signal.
      r50VsInverseJsd: {
        efficiency: Number(middle),
        points: configs.flatMap((c) => signalNames.map((s) => ({ configuration: c.label, signal: s, r50: c.perSignal[s].r50, inverseJsd: c.invJsd[middle] }))),
      },
      massSpectra: configs.map((c) => ({ configuration: c.label, ...c.spectra })),
    },
  };
}
