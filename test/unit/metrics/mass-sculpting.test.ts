// Mass sculpting against NumPy (quantile, histogram) and SciPy's jensenshannon (base 2, squared).
import { describe, expect, it } from 'vitest';
import { histogram, linearEdges } from '@shared/metrics/histogram';
import { jensenShannon, jsdAtEfficiency, massSpectraAfterCuts } from '@shared/metrics/mass-sculpting';
import { mulberry32, normalSampler } from '@shared/random';
import { pythonReference } from './reference';

interface SculptingReference {
  results: { threshold: number; passing: number[]; failing: number[]; jsd: number | null; achieved: number }[];
}

/** Background whose score grows with mass (sculpts), signal at 500, unlabelled events mixed in; masses partly outside the edges. */
function sample(n: number, seed: number) {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const labels = Int8Array.from({ length: n }, () => (u() < 0.8 ? 0 : u() < 0.5 ? 1 : -1));
  const masses = Float64Array.from(labels, (l) => (l === 1 ? 500 + 30 * g() : 50 + 900 * u() ** 2));
  const scores = Float32Array.from(masses, (m, i) => (labels[i] === 1 ? 2 : 0) + m / 500 + g());
  return { scores, masses, labels };
}

describe('Jensen–Shannon divergence', () => {
  it('is 0 for equal shapes, 1 for disjoint ones (base 2), and matches SciPy', () => {
    expect(jensenShannon([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 15);
    expect(jensenShannon([1, 0], [0, 5])).toBe(1);
    const pairs = [
      [[1, 2, 3, 0], [3, 2, 1, 1]],
      [[10, 0, 0.5, 7], [0, 1, 1, 1]],
    ];
    const ref = pythonReference<{ jsd: number[] }>({ task: 'jsd', pairs }).jsd;
    pairs.forEach(([p, q], i) => expect(jensenShannon(p, q)).toBeCloseTo(ref[i], 14));
    expect(() => jensenShannon([0, 0], [1, 1])).toThrow(/empty histogram/);
    expect(() => jensenShannon([1, -1], [1, 1])).toThrow(/bin 1 holds -1 and 1/);
  });

  it('histograms bin as numpy.histogram: half-open bins, the last closed, outside left out', () => {
    const edges = [0, 1, 2, 4];
    expect(Array.from(histogram([-1, 0, 0.5, 1, 3.999, 4, 4.5], edges))).toEqual([2, 1, 2]);
    expect(Array.from(linearEdges(0, 1, 4))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => histogram([1], [0, 0])).toThrow(/must increase/);
  });
});

describe('mass sculpting at fixed background efficiency', () => {
  const { scores, masses, labels } = sample(30_000, 21);
  const edges = linearEdges(100, 900, 40);
  const efficiencies = [1, 0.5, 0.1, 0.01];
  const ref = pythonReference<SculptingReference>({ task: 'sculpting', scores, masses, labels, edges, efficiencies });

  it('1/JSD, thresholds and the passing/failing histograms match NumPy/SciPy', () => {
    efficiencies.slice(1).forEach((eff, k) => {
      const r = jsdAtEfficiency(scores, masses, labels, eff, edges);
      const expected = ref.results[k + 1];
      expect(r.threshold).toBe(expected.threshold);
      expect(Array.from(r.passing)).toEqual(expected.passing);
      expect(Array.from(r.failing)).toEqual(expected.failing);
      expect(r.jsd).toBeCloseTo(expected.jsd as number, 13);
      expect(r.inverse).toBeCloseTo(1 / (expected.jsd as number), 8);
      expect(r.achievedEfficiency).toBe(expected.achieved);
      expect(Array.from(r.edges)).toEqual(Array.from(edges));
    });
    // This background is sculpted: tighter cuts, larger JSD.
    const [j50, j10, j1] = [0.5, 0.1, 0.01].map((e) => jsdAtEfficiency(scores, masses, labels, e, edges).jsd);
    expect(j50).toBeLessThan(j10);
    expect(j10).toBeLessThan(j1);
  });

  it('massSpectraAfterCuts gives counts, √N errors and unit-sum shapes per efficiency', () => {
    const { spectra } = massSpectraAfterCuts(scores, masses, labels, efficiencies, edges);
    spectra.forEach((s, k) => {
      expect(s.threshold).toBe(ref.results[k].threshold);
      expect(Array.from(s.counts)).toEqual(ref.results[k].passing);
      expect(s.achievedEfficiency).toBe(ref.results[k].achieved);
      expect(s.errors[5]).toBeCloseTo(Math.sqrt(s.counts[5]), 14);
      expect(s.fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });
    expect(spectra[0].threshold).toBe(-Infinity);
    expect(spectra[0].achievedEfficiency).toBe(1);
  });

  it('refuses NaN, bad efficiencies, no background, and cuts that leave a histogram empty', () => {
    expect(() => jsdAtEfficiency([1, NaN], [1, 2], [0, 0], 0.5, edges)).toThrow('mass sculpting: the score of event 1 is NaN');
    expect(() => jsdAtEfficiency([1, 2], [1, NaN], [0, 0], 0.5, edges)).toThrow('mass sculpting: the mass of event 1 is NaN');
    expect(() => jsdAtEfficiency(scores, masses, labels, 0, edges)).toThrow(/within \(0, 1\], got 0/);
    expect(() => jsdAtEfficiency([1, 2], [1, 2], [1, 1], 0.5, edges)).toThrow(/no background events/);
    expect(() => jsdAtEfficiency(scores, masses, labels, 1, edges)).toThrow(/no failing background event/);
    expect(() => jsdAtEfficiency([1, 2], [1, 2], [0, 0, 0], 0.5, edges)).toThrow(/2 scores, 2 masses and 3 labels/);
  });
});
