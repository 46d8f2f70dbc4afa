// Pieces every study kind reports: statistics over seeds, and the data of the standard plots (ROC as
// 1/ε_B versus ε_S, SIC, per-class score histograms) made from a child run's stored scores.
import { rocPlotData, scoreHistogramData, type RocPlotData, type ScoreHistogramData } from '@shared/metrics/plot-data';
import { roc, type Roc } from '@shared/metrics/roc';
import type { RunDetail } from '@shared/api';
import type { StudyRunner } from './run-study';

export { meanStd, type MeanStd } from '@shared/stats/mean-std';

/** The curves of one scored run: ROC as (ε_S, 1/ε_B) with points at ε_B = 0 left out, and SIC(ε_S). */
export function curves(runner: StudyRunner, run: RunDetail): { roc: RocPlotData['roc']; sic: RocPlotData['sic'] } {
  const { roc: r, sic: s } = rocPlotData(runner.artifact(run, 'scores.npy'), runner.artifact(run, 'labels.npy'));
  return { roc: r, sic: s };
}

/** Score histograms of background and signal, each normalised to unit area, on common edges. */
export function scoreHistograms(runner: StudyRunner, run: RunDetail): ScoreHistogramData {
  return scoreHistogramData(runner.artifact(run, 'scores.npy'), runner.artifact(run, 'labels.npy'));
}

/**
 * The ROC of each signal of a run on its own: the background test rows against the rows of the k-th
 * signal dataset (the run's source.npy says which dataset each test row came from).
 */
export function signalRocs(runner: StudyRunner, run: RunDetail, signals: string[]): Record<string, Roc> {
  const scores = runner.artifact(run, 'scores.npy');
  const labels = runner.artifact(run, 'labels.npy');
  const source = runner.artifact(run, 'source.npy');
  return Object.fromEntries(
    signals.map((name, k) => {
      const rows = [...labels.keys()].filter((i) => labels[i] === 0 || source[i] === k + 1);
      return [name, roc(rows.map((i) => scores[i]), rows.map((i) => labels[i]))];
    }),
  );
}
