// The dijet function and its binned Poisson likelihood fit, against SciPy: adaptive quadrature for the
// bin integrals, scipy.optimize.minimize (trust-exact, analytic derivatives, 16-point Gauss–Legendre,
// NumPy's own log-linear start) for the minimum and its Hessian; and coverage over seeded toy spectra.
import { describe, expect, it } from 'vitest';
import { linearEdges } from '@shared/metrics/histogram';
import { dijetBinIntegral, dijetBinning, dijetExpected, dijetFunction, type DijetParams } from '@shared/stats/dijet-function';
import { fitDijet } from '@shared/stats/poisson-fit';
import { statsReference } from './reference';
import { spectrum, SQRT_S } from './spectra';

interface RefFit {
  params: number[];
  nll: number;
  covariance: number[][];
  pearson: number;
}

describe('dijet function', () => {
  it('is p0 (1 − x)^p1 / x^(p2 + p3 ln x)', () => {
    const x = 0.2;
    expect(dijetFunction(x, [3, 10, 5, 0.2])).toBeCloseTo((3 * 0.8 ** 10) / x ** (5 + 0.2 * Math.log(x)), 10);
  });

  it('bin integrals match scipy.integrate.quad to 1e-10 (narrow and wide bins)', () => {
    for (const [edges, p] of [
      [linearEdges(1500, 6000, 50), [2.5, 10, 5, 0.2]],
      [Float64Array.from([1100, 1500, 2500, 4000, 8000]), [1, 7.5, 6.4, 0.46]],
      [linearEdges(1500, 6000, 100), [1e3, 11.6, 4, -0.3]],
    ] as Array<[Float64Array, DijetParams]>) {
      const ref = statsReference<{ integrals: number[] }>({ task: 'integral', edges, sqrtS: SQRT_S, p });
      const mine = dijetExpected(dijetBinning(edges, SQRT_S), p);
      mine.forEach((v, i) => expect(Math.abs(v / ref.integrals[i] - 1)).toBeLessThan(1e-10));
      expect(dijetBinIntegral(edges[1], edges[2], SQRT_S, p)).toBeCloseTo(mine[1], 12);
    }
  });

  it('refuses edges outside (0, √s) and a bad √s, naming the problem', () => {
    expect(() => dijetBinning([1000, 14000], 13000)).toThrow(/inside \(0, √s = 13000\)/);
    expect(() => dijetBinning([0, 1000], 13000)).toThrow(/inside/);
    expect(() => dijetBinning([1000, 2000], -1)).toThrow(/√s must be a positive number/);
    expect(() => dijetBinning([2000, 1000], 13000)).toThrow(/must increase/);
  });
});

describe('binned Poisson fit', () => {
  const cases: Array<[number, number, number, [number, number] | undefined]> = [
    [60, 1e5, 1, undefined],
    [100, 1e6, 2, undefined],
    [50, 3e5, 3, undefined],
    [80, 5e5, 4, [30, 36]],
  ];
  for (const [bins, events, seed, exclude] of cases) {
    it(`matches scipy.optimize on ${bins} bins, ${events} events${exclude ? `, bins ${exclude} excluded` : ''}`, () => {
      const s = spectrum(bins, events, seed);
      const fit = fitDijet(s.counts, s.edges, SQRT_S, { exclude });
      const ref = statsReference<RefFit>({ task: 'fit', counts: s.counts, edges: s.edges, sqrtS: SQRT_S, exclude });
      // Same minimum: 1e-4 relative is the brief; the two agree far closer in absolute terms.
      expect(Math.abs(fit.nll / ref.nll - 1)).toBeLessThan(1e-4);
      expect(fit.nll - ref.nll).toBeLessThan(1e-4);
      for (let j = 0; j < 4; j++) {
        const sigma = Math.sqrt(ref.covariance[j][j]);
        expect(Math.abs(fit.params[j] - ref.params[j])).toBeLessThan(0.01 * sigma);
        expect(Math.abs(fit.errors[j] / sigma - 1)).toBeLessThan(0.02);
        for (let k = 0; k < 4; k++) {
          const rho = fit.covariance[j][k] / (fit.errors[j] * fit.errors[k]);
          const rhoRef = ref.covariance[j][k] / Math.sqrt(ref.covariance[j][j] * ref.covariance[k][k]);
          expect(Math.abs(rho - rhoRef)).toBeLessThan(0.01);
        }
      }
      const fitted = bins - (exclude ? exclude[1] - exclude[0] : 0);
      expect(fit.ndf).toBe(fitted - 4);
      expect(Math.abs(fit.chi2 / ref.pearson - 1)).toBeLessThan(1e-3);
      expect(fit.chi2 / fit.ndf).toBeGreaterThan(0.5);
      expect(fit.chi2 / fit.ndf).toBeLessThan(1.6);
      // Pulls are (n − μ)/√μ in every bin, the excluded window included (the fit's extrapolation there).
      const i = exclude ? exclude[0] + 1 : 10;
      expect(fit.pulls[i]).toBeCloseTo((s.counts[i] - fit.expected[i]) / Math.sqrt(fit.expected[i]), 12);
      expect(fit.fitted.reduce((a, b) => a + b, 0)).toBe(fitted);
    });
  }

  // p1…p3 only: p0 is a near-exponential function of the shape parameters (|ρ| > 0.99), so its
  // estimate is strongly skewed and a symmetric σ describes it poorly (see the report's limits).
  it('recovers the true shape parameters: pulls (p̂ − p)/σ over 40 seeded spectra have mean ≈ 0, width ≈ 1', () => {
    const pulls: number[][] = [[], [], []];
    const chi2: number[] = [];
    for (let seed = 100; seed < 140; seed++) {
      const s = spectrum(60, 2e5, seed);
      const fit = fitDijet(s.counts, s.edges, SQRT_S);
      for (let j = 1; j < 4; j++) pulls[j - 1].push((fit.params[j] - s.params[j]) / fit.errors[j]);
      chi2.push(fit.chi2 / fit.ndf);
    }
    for (const p of pulls) {
      const mean = p.reduce((a, b) => a + b, 0) / p.length;
      const rms = Math.sqrt(p.reduce((a, b) => a + (b - mean) ** 2, 0) / (p.length - 1));
      const within = p.filter((v) => Math.abs(v) < 1).length / p.length;
      expect(Math.abs(mean)).toBeLessThan(0.5); // 3 × 1/√40
      expect(rms).toBeGreaterThan(0.7);
      expect(rms).toBeLessThan(1.35);
      expect(within).toBeGreaterThan(0.45); // 68 % ± 3 binomial σ
      expect(within).toBeLessThan(0.9);
    }
    const meanChi2 = chi2.reduce((a, b) => a + b, 0) / chi2.length;
    expect(meanChi2).toBeGreaterThan(0.85);
    expect(meanChi2).toBeLessThan(1.15);
  });

  it('converges from a poor start (the log-linear start replaced by generic values)', () => {
    const s = spectrum(60, 1e5, 7);
    const a = fitDijet(s.counts, s.edges, SQRT_S);
    const b = fitDijet(s.counts, s.edges, SQRT_S, { start: [1, 1, 1, 0] });
    expect(b.nll - a.nll).toBeLessThan(1e-6);
    for (let j = 1; j < 4; j++) expect(Math.abs(b.params[j] - a.params[j])).toBeLessThan(0.01 * a.errors[j]);
  });

  it('handles empty bins in the tail (low statistics)', () => {
    const s = spectrum(60, 2e3, 8);
    expect(s.counts.some((n) => n === 0)).toBe(true);
    const fit = fitDijet(s.counts, s.edges, SQRT_S);
    const ref = statsReference<RefFit>({ task: 'fit', counts: s.counts, edges: s.edges, sqrtS: SQRT_S });
    expect(fit.nll - ref.nll).toBeLessThan(1e-4);
    expect(Math.abs(fit.nll / ref.nll - 1)).toBeLessThan(1e-4);
  });

  it('refuses bad input with the problem named', () => {
    const edges = linearEdges(1500, 6000, 10);
    const counts = new Float64Array(10).fill(5);
    expect(() => fitDijet(counts.slice(1), edges, SQRT_S)).toThrow(/9 counts for 10 bins/);
    expect(() => fitDijet(Float64Array.from(counts, (v, i) => (i === 3 ? NaN : v)), edges, SQRT_S)).toThrow(/count of bin 3 is NaN/);
    expect(() => fitDijet(Float64Array.from(counts, (v, i) => (i === 3 ? -1 : v)), edges, SQRT_S)).toThrow(/count of bin 3 is -1/);
    expect(() => fitDijet(counts, edges, SQRT_S, { exclude: [2, 8] })).toThrow(/4 bins left to fit/);
    expect(() => fitDijet(counts, edges, SQRT_S, { exclude: [5, 12] })).toThrow(/excluded window \[5, 12\)/);
    expect(() => fitDijet(new Float64Array(10), edges, SQRT_S)).toThrow(/no events/);
  });
});
