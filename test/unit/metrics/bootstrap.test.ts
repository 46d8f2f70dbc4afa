// Percentile bootstrap: determinism under a seed, percentiles as NumPy computes them, and coverage on
// a toy whose true AUC is known (signal N(1, 1) vs background N(0, 1): AUC = Φ(1/√2)).
import { describe, expect, it } from 'vitest';
import { aucStatistic, bootstrap, rejectionStatistic } from '@shared/metrics/bootstrap';
import { auc, roc } from '@shared/metrics/roc';
import { mulberry32, normalSampler } from '@shared/random';
import { pythonReference } from './reference';

const TRUE_AUC = 0.7602499389065233; // Φ(1/√2)

function toy(nPerClass: number, seed: number) {
  const g = normalSampler(mulberry32(seed));
  const labels = Int8Array.from({ length: 2 * nPerClass }, (_, i) => (i < nPerClass ? 1 : 0));
  const scores = Float64Array.from(labels, (l) => g() + l);
  return { scores, labels };
}

describe('bootstrap', () => {
  const { scores, labels } = toy(500, 31);

  it('is deterministic under a seed, differs across seeds, and the value is the full-sample statistic', () => {
    const a = bootstrap(scores, labels, aucStatistic, { resamples: 50, seed: 7 });
    const b = bootstrap(scores, labels, aucStatistic, { resamples: 50, seed: 7 });
    const c = bootstrap(scores, labels, aucStatistic, { resamples: 50, seed: 8 });
    expect(b).toEqual(a);
    expect(c.samples).not.toEqual(a.samples);
    expect(a.value).toBe(auc(roc(scores, labels)));
    expect(a.low).toBeLessThan(a.value);
    expect(a.high).toBeGreaterThan(a.value);
  });

  it('low/high are NumPy’s linear percentiles of the resampled values, std with n − 1', () => {
    const r = bootstrap(scores, labels, aucStatistic, { resamples: 101, seed: 1, level: 0.9 });
    const ref = pythonReference<{ percentiles: number[]; std: number }>({ task: 'percentile', samples: r.samples, q: [0.05, 0.95] });
    expect(r.low).toBeCloseTo(ref.percentiles[0], 14);
    expect(r.high).toBeCloseTo(ref.percentiles[1], 14);
    expect(r.std).toBeCloseTo(ref.std, 14);
  });

  it('stratified resampling keeps the class counts; unstratified does not', () => {
    const counts: number[] = [];
    const countSignal = (_s: Float64Array, l: Uint8Array) => {
      const k = l.reduce((a, b) => a + b, 0);
      counts.push(k);
      return k;
    };
    bootstrap(scores, labels, countSignal, { resamples: 20 });
    expect(new Set(counts)).toEqual(new Set([500]));
    counts.length = 0;
    bootstrap(scores, labels, countSignal, { resamples: 20, stratified: false });
    expect(new Set(counts).size).toBeGreaterThan(1);
  });

  it('68 % intervals cover the true AUC in about 68 % of independent samples, and σ matches the spread', () => {
    const trials = 60;
    let covered = 0;
    const values: number[] = [];
    const stds: number[] = [];
    for (let t = 0; t < trials; t++) {
      const s = toy(200, 1000 + t);
      const r = bootstrap(s.scores, s.labels, aucStatistic, { resamples: 100, seed: t });
      if (r.low <= TRUE_AUC && TRUE_AUC <= r.high) covered++;
      values.push(r.value);
      stds.push(r.std);
    }
    // Binomial(60, 0.68): mean 41, σ 3.6.
    expect(covered).toBeGreaterThanOrEqual(30);
    expect(covered).toBeLessThanOrEqual(52);
    const mean = values.reduce((a, b) => a + b, 0) / trials;
    const spread = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1));
    const meanStd = stds.reduce((a, b) => a + b, 0) / trials;
    expect(meanStd / spread).toBeGreaterThan(0.7);
    expect(meanStd / spread).toBeLessThan(1.4);
  });

  it('works for the rejection and with weights, and refuses bad options', () => {
    const r = bootstrap(scores, labels, rejectionStatistic(0.3), { resamples: 30 });
    expect(r.low).toBeLessThan(r.high);
    const weights = Float64Array.from(scores, (_, i) => 1 + (i % 3));
    const w = bootstrap(scores, labels, aucStatistic, { resamples: 30, weights });
    expect(w.value).toBe(auc(roc(scores, labels, weights)));
    expect(() => bootstrap(scores, labels, aucStatistic, { resamples: 1 })).toThrow(/resamples must be an integer ≥ 2/);
    expect(() => bootstrap(scores, labels, aucStatistic, { level: 1 })).toThrow(/level must be within \(0, 1\)/);
    expect(() => bootstrap(scores, labels.subarray(1), aucStatistic)).toThrow(/1000 scores, 999 labels/);
    expect(() => bootstrap(scores, labels, () => NaN, { resamples: 2 })).toThrow(/NaN on resample 0/);
  });
});
