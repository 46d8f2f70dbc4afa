// Study "bump hunt": an anomaly score trained on the training rows (background-labelled and unlabelled:
// data are data, so a black box without labels works as well) cuts the test events (background, signal
// and unlabelled together, cut on the score alone, never on labels); each cut's invariant-mass spectrum is
// fitted with the dijet function by binned Poisson likelihood and scanned for the most significant window
// (ranked by Z with the fit's background uncertainty σ_b; the look-elsewhere toys report progress and
// stop when the study is cancelled). On the dijet generator the score should enhance the resonance;
// on n-body phase space with an injected resonance it reproduces the mock hunt of Batson, Haaf, Kahn,
// Roberts, where the cuts sculpt the smooth spectrum.
import type { RunDetail } from '@shared/api';
import { histogram, linearEdges } from '@shared/metrics/histogram';
import { bumpHunt, globalSignificance } from '@shared/stats/bump-hunt';
import { dijetExpected, dijetBinning } from '@shared/stats/dijet-function';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { TrainSpec } from '../train/dataset-training';
import type { StudyResults, StudyRunner } from './run-study';

type BumpHunt = Extract<ResolvedStudy, { kind: 'bump-hunt' }>;

/** Points per bin of the drawn fit curve. */
const CURVE_POINTS_PER_BIN = 4;
/** Fewer events than this after a cut leave a four-parameter fit of the spectrum meaningless. */
const MIN_FIT_EVENTS = 200;

/** The mass of every test row of the run, from a feature column or a per-row array of the dataset. */
function testMasses(runner: StudyRunner, run: RunDetail, dataset: string, mass: string, columns: string[] | null): Float64Array {
  const rows = runner.artifact(run, 'rows.npy');
  const col = columns?.indexOf(mass) ?? -1;
  const { values, width } = runner.datasetRows(dataset, col >= 0 ? 'features' : mass, rows);
  return Float64Array.from({ length: rows.length }, (_, i) => values[i * width + Math.max(col, 0)]);
}

export async function bumpHuntStudy(runner: StudyRunner, study: BumpHunt): Promise<StudyResults> {
  const dataset = await runner.dataset(study.data);
  const info = runner.registry.getDataset(dataset);
  if (info.kind !== 'table') throw new Error(`the bump hunt reads a feature table with a mass per event; "${dataset}" holds ${info.kind}`);
  if (!(info.columns ?? []).includes(study.mass) && !(study.mass in info.shapes)) {
    throw new Error(`dataset "${dataset}" has no column or array '${study.mass}' for the mass (columns: ${(info.columns ?? []).join(', ')})`);
  }
  const run = await runner.train({ ...study.model, dataset, signal: [], seed: study.seeds[0], unlabelled: 'background' } as TrainSpec);
  const scores = runner.artifact(run, 'scores.npy');
  const labels = runner.artifact(run, 'labels.npy');
  const mass = testMasses(runner, run, dataset, study.mass, info.columns);
  const edges = linearEdges(study.massBins.low, study.massBins.high, study.massBins.bins);
  const sorted = Float64Array.from(scores).sort();
  const options = { widths: study.windowWidths };
  // Signal counts after a cut mean something only where the test events carry labels.
  const unlabelled = Array.from(labels).filter((c) => c < 0).length;
  const labelled = unlabelled < labels.length;
  const toyProgress = (eff: number) => (done: number, total: number) => {
    // At most about a hundred events per cut: toys of small spectra take milliseconds each.
    if (done === total || done % Math.ceil(total / 100) === 0) runner.progress(`toys at efficiency ${eff}`, done, total, 'toys');
  };

  const cuts = [];
  for (const eff of study.efficiencies) cuts.push(await cut(eff));
  async function cut(eff: number) {
    // Keep the round(eff·N) test events with the largest scores (no labels involved; ties may keep fewer).
    const keep = Math.round(eff * sorted.length);
    const threshold = keep >= sorted.length ? -Infinity : sorted[sorted.length - keep - 1];
    const pass = [...scores.keys()].filter((i) => scores[i] > threshold);
    const counts = histogram(pass.map((i) => mass[i]), edges);
    const signalPassing = labelled ? pass.filter((i) => labels[i] === 1).length : null;
    const inRange = counts.reduce((a, b) => a + b, 0);
    if (inRange < MIN_FIT_EVENTS) {
      return { efficiency: eff, threshold: Number.isFinite(threshold) ? threshold : null, events: pass.length, signalEvents: signalPassing, skipped: `${inRange} events in the mass range, fewer than the ${MIN_FIT_EVENTS} a fit needs`, fit: null, best: null, globalZ: null, plot: { edges: Array.from(edges), counts: Array.from(counts) } };
    }
    const hunt = bumpHunt(counts, edges, study.sqrtS, options);
    // Without σ_b for the best window (a fit whose covariance is not positive definite, e.g. a spectrum that the
    // signal dominates after a tight cut) the toys would have no observed statistic to compare with.
    const global =
      study.toys > 0 && !Number.isNaN(hunt.best.zWithSigmaB)
        ? await globalSignificance(hunt, edges, study.sqrtS, { ...options, toys: study.toys, seed: study.seeds[0], progress: toyProgress(eff), shouldStop: () => runner.cancelled })
        : null;
    // The fit curve, sampled finely for drawing: expected events per bin width, at sub-bin points.
    const fine = linearEdges(study.massBins.low, study.massBins.high, study.massBins.bins * CURVE_POINTS_PER_BIN);
    const curve = Array.from(dijetExpected(dijetBinning(fine, study.sqrtS), hunt.fit.params), (v) => v * CURVE_POINTS_PER_BIN);
    return {
      efficiency: eff,
      threshold: Number.isFinite(threshold) ? threshold : null,
      events: pass.length,
      signalEvents: signalPassing,
      skipped: null,
      fit: { params: [...hunt.fit.params], errors: hunt.fit.errors, chi2: hunt.fit.chi2, ndf: hunt.fit.ndf },
      best: hunt.best,
      globalZ: global ? { z: global.z, p: global.p, pError: global.pError, toys: global.toys, lowerBound: global.zIsLowerBound } : null,
      plot: {
        edges: Array.from(edges),
        counts: Array.from(counts),
        expected: Array.from(hunt.fit.expected),
        pulls: Array.from(hunt.fit.pulls),
        window: [hunt.best.mLow, hunt.best.mHigh],
        curve: { mass: Array.from(fine.subarray(0, fine.length - 1), (m, k) => (m + fine[k + 1]) / 2), events: curve },
      },
    };
  }
  const summary: Record<string, number> = {};
  for (const c of cuts) {
    if (!c.best) continue;
    summary[`local_z_eff_${c.efficiency}`] = c.best.z;
    if (Number.isFinite(c.best.zWithSigmaB)) summary[`local_z_sigma_b_eff_${c.efficiency}`] = c.best.zWithSigmaB;
  }
  return {
    metrics: {
      run: run.id,
      /** Null when the test events hold no labelled signal and background (e.g. a black box). */
      auc: run.summary.auc ?? null,
      testEvents: scores.length,
      unlabelledTestEvents: unlabelled,
      rankedBy: 'zWithSigmaB',
      cuts: cuts.map(({ plot: _plot, ...rest }) => rest),
    },
    summary,
    plots: { spectra: cuts.map((c) => ({ efficiency: c.efficiency, ...c.plot })) },
  };
}
