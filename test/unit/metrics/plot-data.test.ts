// The plot data of a scored sample (ROC as 1/ε_B vs ε_S, SIC, per-class score densities) against
// scikit-learn's roc_curve/roc_auc_score and numpy.histogram(density=True) on random scores with
// unlabelled rows mixed in.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rocPlotData, scoreHistogramData } from '@shared/metrics/plot-data';
import { mulberry32, normalSampler } from '@shared/random';
import { runPythonJson } from '../../helpers/python-json';

interface Reference {
  fpr: number[];
  tpr: number[];
  auc: number;
  edges: number[];
  background: number[];
  signal: number[];
}

/** n rows: background N(0,1), signal N(1,1.2), every 7th row unlabelled (−1); scores rounded so ties occur. */
function sample(n: number, seed: number): { scores: Float32Array; labels: Int8Array } {
  const rand = mulberry32(seed);
  const normal = normalSampler(rand);
  const labels = Int8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? -1 : rand() < 0.3 ? 1 : 0));
  const scores = Float32Array.from(labels, (l) => Math.round((l === 1 ? 1 + 1.2 * normal() : normal()) * 200) / 200);
  return { scores, labels };
}

const reference = (scores: Float32Array, labels: Int8Array, bins: number) =>
  runPythonJson<Reference>(join(__dirname, 'plot_data_reference.py'), { scores, labels, bins });

describe('ROC plot data', () => {
  it('has scikit-learn AUC and at most 200 exact points of its ROC, without ε_B = 0, and SIC = ε_S/√ε_B', () => {
    const { scores, labels } = sample(20_000, 11);
    const ref = reference(scores, labels, 50);
    const d = rocPlotData(scores, labels);
    expect(d.auc).toBeCloseTo(ref.auc, 12);
    expect(ref.fpr.length).toBeGreaterThan(400); // so the downsampling is exercised
    expect(d.roc.tpr.length).toBeLessThanOrEqual(200);
    expect(d.roc.tpr.length).toBeGreaterThan(100);
    expect(d.roc.rejection.every((r) => Number.isFinite(r) && r >= 1)).toBe(true);
    for (let i = 0; i < d.roc.tpr.length; i++) {
      const fpr = 1 / d.roc.rejection[i];
      const hit = ref.fpr.findIndex((f, k) => Math.abs(f - fpr) < 1e-12 && Math.abs(ref.tpr[k] - d.roc.tpr[i]) < 1e-12);
      expect(hit, `point ${i} (ε_S ${d.roc.tpr[i]}, ε_B ${fpr}) is on sklearn's ROC`).toBeGreaterThanOrEqual(0);
      expect(d.sic.tpr[i]).toBe(d.roc.tpr[i]);
      expect(d.sic.sic[i]).toBeCloseTo(ref.tpr[hit] / Math.sqrt(ref.fpr[hit]), 10);
    }
    // The loosest cut (everything passes) is always drawn.
    expect(d.roc.tpr.at(-1)).toBe(1);
    expect(d.roc.rejection.at(-1)).toBe(1);
  });

  it('keeps every point of a short ROC', () => {
    const { scores, labels } = sample(60, 5);
    const ref = reference(scores, labels, 10);
    const d = rocPlotData(scores, labels);
    expect(d.roc.tpr).toHaveLength(ref.fpr.filter((f) => f > 0).length);
  });
});

describe('score histograms', () => {
  it('are numpy.histogram(density=True) of each class on 50 bins spanning the labelled scores', () => {
    const { scores, labels } = sample(5000, 3);
    scores[3] = 1000; // an unlabelled row (3 % 7 === 3) far out must not stretch the edges
    const ref = reference(scores, labels, 50);
    const h = scoreHistogramData(scores, labels);
    expect(h.edges).toHaveLength(51);
    h.edges.forEach((e, i) => expect(e).toBeCloseTo(ref.edges[i], 5));
    h.background.forEach((v, i) => expect(v).toBeCloseTo(ref.background[i], 8));
    h.signal.forEach((v, i) => expect(v).toBeCloseTo(ref.signal[i], 8));
  });

  it('refuses scores without labelled rows, and mismatched lengths', () => {
    expect(() => scoreHistogramData([1, 2], [-1, -1])).toThrow(/no labelled rows/);
    expect(() => scoreHistogramData([1, 2], [0])).toThrow(/2 scores but 1 labels/);
  });
});
