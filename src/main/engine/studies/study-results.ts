// Pieces every study kind reports: statistics over seeds, and the data of the standard plots (ROC as
// 1/ε_B versus ε_S, SIC, per-class score histograms) made from a child run's stored scores.
import { linearEdges, histogram } from '@shared/metrics/histogram';
import { downsampleRoc, roc, sic, type Roc } from '@shared/metrics/roc';
import type { RunDetail } from '@shared/api';
import type { StudyRunner } from './run-study';

/** Points of a ROC curve in a plot. */
const ROC_POINTS = 200;
const HISTOGRAM_BINS = 50;

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single seed. */
  std: number;
  values: number[];
}

export function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std, values };
}

/** The curves of one scored run: ROC as (ε_S, 1/ε_B) with points at ε_B = 0 left out, and SIC(ε_S). */
export function curves(runner: StudyRunner, run: RunDetail): { roc: { tpr: number[]; rejection: number[] }; sic: { tpr: number[]; sic: number[] } } {
  const r = downsampleRoc(roc(runner.artifact(run, 'scores.npy'), runner.artifact(run, 'labels.npy')), ROC_POINTS);
  const s = sic(r);
  const keep = [...r.fpr.keys()].filter((i) => r.fpr[i] > 0);
  return {
    roc: { tpr: keep.map((i) => r.tpr[i]), rejection: keep.map((i) => 1 / r.fpr[i]) },
    sic: { tpr: keep.map((i) => r.tpr[i]), sic: keep.map((i) => s.sic[i]) },
  };
}

/** Score histograms of background and signal, each normalised to unit area, on common edges. */
export function scoreHistograms(runner: StudyRunner, run: RunDetail): { edges: number[]; background: number[]; signal: number[] } {
  const scores = runner.artifact(run, 'scores.npy');
  const labels = runner.artifact(run, 'labels.npy');
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const edges = linearEdges(lo, hi > lo ? hi : lo + 1, HISTOGRAM_BINS);
  const of = (cls: number) => {
    const rows = [...labels.keys()].filter((i) => labels[i] === cls);
    const counts = histogram(scores, edges, rows);
    const area = rows.length * (edges[1] - edges[0]);
    return Array.from(counts, (c) => (area > 0 ? c / area : 0));
  };
  return { edges: Array.from(edges), background: of(0), signal: of(1) };
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
