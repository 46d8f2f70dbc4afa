// The data of the standard plots of one scored sample, as pure functions over arrays: the ROC as
// 1/ε_B versus ε_S, the SIC curve, and per-class score histograms. The studies and a single run's page
// (runs.curves) both draw from these, so they show the same numbers. Only labelled rows (0 background,
// 1 signal) take part; any other label (−1 unlabelled) is left out.
import { histogram, linearEdges } from './histogram';
import { auc, downsampleRoc, roc, sic } from './roc';

/** Points of a ROC curve in a plot. */
export const ROC_PLOT_POINTS = 200;
export const SCORE_HISTOGRAM_BINS = 50;

export interface RocPlotData {
  /** Area under the full (not downsampled) ROC curve. */
  auc: number;
  /** ε_S and 1/ε_B per point; points with ε_B = 0 are left out (1/ε_B diverges there). */
  roc: { tpr: number[]; rejection: number[] };
  /** ε_S and ε_S/√ε_B at the same points. */
  sic: { tpr: number[]; sic: number[] };
}

export interface ScoreHistogramData {
  edges: number[];
  /** Densities normalised to unit area (0 everywhere for a class without rows). */
  background: number[];
  signal: number[];
}

/** ROC and SIC curves of scores against labels, at most `maxPoints` exact ROC points. */
export function rocPlotData(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = ROC_PLOT_POINTS): RocPlotData {
  const full = roc(scores, labels);
  const r = downsampleRoc(full, maxPoints);
  const s = sic(r);
  const keep = [...r.fpr.keys()].filter((i) => r.fpr[i] > 0);
  const tpr = keep.map((i) => r.tpr[i]);
  return {
    auc: auc(full),
    roc: { tpr, rejection: keep.map((i) => 1 / r.fpr[i]) },
    sic: { tpr: [...tpr], sic: keep.map((i) => s.sic[i]) },
  };
}

/** Background and signal score histograms on common equal-width edges spanning the labelled scores. */
export function scoreHistogramData(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = SCORE_HISTOGRAM_BINS): ScoreHistogramData {
  if (labels.length !== scores.length) throw new Error(`score histograms: ${scores.length} scores but ${labels.length} labels`);
  const rows: Record<0 | 1, number[]> = { 0: [], 1: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) continue;
    rows[label].push(i);
    lo = Math.min(lo, scores[i]);
    hi = Math.max(hi, scores[i]);
  }
  if (lo === Infinity) throw new Error('score histograms: no labelled rows (label 0 or 1)');
  const edges = linearEdges(lo, hi > lo ? hi : lo + 1, bins);
  const density = (picked: number[]) => {
    const counts = histogram(scores, edges, picked);
    const area = picked.length * (edges[1] - edges[0]);
    return Array.from(counts, (c) => (area > 0 ? c / area : 0));
  };
  return { edges: Array.from(edges), background: density(rows[0]), signal: density(rows[1]) };
}
