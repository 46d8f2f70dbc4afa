// The window scan and the look-elsewhere toys: an injected Gaussian bump is found where it was put with
// a large local Z (checked against scipy.stats.poisson.sf and norm.isf for the reported window); the
// background's fit uncertainty σ_b (against a numerical Jacobian of scipy quadrature, with SciPy's own
// sideband fit) and Cowan's Z with σ_b (against the numerically profiled on/off likelihood ratio); toys
// are deterministic under a seed, give a global Z below the local one, report progress and stop on request.
import { describe, expect, it } from 'vitest';
import { linearEdges } from '@shared/metrics/histogram';
import { dijetBinning } from '@shared/stats/dijet-function';
import { bumpHunt, globalSignificance, windowRanges, zWithBackgroundUncertainty } from '@shared/stats/bump-hunt';
import { fitDijet } from '@shared/stats/poisson-fit';
import { statsReference } from './reference';
import { spectrum, SQRT_S } from './spectra';

describe('windows', () => {
  const binning = dijetBinning(linearEdges(1000, 2000, 10), SQRT_S); // 100 GeV bins, centres 1050…1950

  it('slide k bins, keep a margin at both ends, each range once', () => {
    expect(windowRanges(binning, { widths: [3] })).toEqual([[1, 4], [2, 5], [3, 6], [4, 7], [5, 8], [6, 9]]);
    expect(windowRanges(binning, { widths: [5, 5], margin: 0 })).toEqual([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9], [5, 10]]);
    expect(() => windowRanges(binning, { widths: [0] })).toThrow(/positive integers, got 0/);
    expect(() => windowRanges(binning, { widths: [9] })).toThrow(/no window fits into 10 bins/);
  });

  it('relative widths take the bins whose centres lie within m(1 ± r)', () => {
    // r = 0.06 around 1450: [1363, 1537] holds only the centre 1450 (bin 4); around 1850: [1739, 1961]
    // holds 1750, 1850, 1950 (bins 7–9), which touches the margin bin 9, so that window is dropped.
    const ranges = windowRanges(binning, { relativeHalfWidth: 0.06 });
    expect(ranges).toContainEqual([4, 5]);
    expect(ranges).not.toContainEqual([7, 10]);
    expect(ranges.some(([, to]) => to > 9)).toBe(false);
    expect(() => windowRanges(binning, { relativeHalfWidth: 1.5 })).toThrow(/relativeHalfWidth must lie in \(0, 1\)/);
  });
});

describe('bump hunt', () => {
  const bump = { mass: 3000, width: 100, events: 400 };
  const withBump = spectrum(60, 2e5, 5, bump);
  const result = bumpHunt(withBump.counts, withBump.edges, SQRT_S, { widths: [2, 3, 4] });

  it('finds an injected Gaussian bump where it was put, with a large local Z', () => {
    const { best } = result;
    expect(best.mLow).toBeLessThanOrEqual(bump.mass);
    expect(best.mHigh).toBeGreaterThanOrEqual(bump.mass);
    expect(best.z).toBeGreaterThan(5);
    expect(best.observed - best.expected).toBeGreaterThan(0.5 * bump.events);
    expect(best.observed - best.expected).toBeLessThan(1.5 * bump.events);
    // Windows away from the bump stay well below it (not at 0: the bump sits in their sidebands and
    // pulls those background fits, a known feature of sideband fits with a signal present).
    for (const w of result.windows) if (w.mLow > bump.mass + 4 * bump.width || w.mHigh < bump.mass - 4 * bump.width) expect(w.z).toBeLessThan(best.z - 2);
  });

  it('reports p = scipy.stats.poisson.sf(n − 1, b) and Z = norm.isf(p) for the windows', () => {
    const picks = [result.best, result.windows[0], result.windows[result.windows.length - 1]];
    const ref = statsReference<{ sf: number[] }>({ task: 'tails', poisson: picks.map((w) => [w.observed, w.expected]) });
    const isf = statsReference<{ normIsf: number[] }>({ task: 'tails', p: ref.sf });
    picks.forEach((w, i) => {
      expect(Math.abs(w.p / ref.sf[i] - 1)).toBeLessThan(1e-10);
      expect(w.z).toBeCloseTo(w.observed > w.expected ? Math.max(0, isf.normIsf[i]) : 0, 9);
    });
  });

  it('takes each window’s background from a fit with the window left out (or one full fit)', () => {
    const w = result.best;
    const sideband = fitDijet(withBump.counts, withBump.edges, SQRT_S, { exclude: [w.from, w.to] });
    let b = 0;
    for (let i = w.from; i < w.to; i++) b += sideband.expected[i];
    expect(w.expected).toBeCloseTo(b, 6);
    const full = bumpHunt(withBump.counts, withBump.edges, SQRT_S, { widths: [3], fit: 'full' });
    for (const v of full.windows) {
      let e = 0;
      for (let i = v.from; i < v.to; i++) e += full.fit.expected[i];
      expect(v.expected).toBeCloseTo(e, 8);
    }
    // The bump pulls a full fit up under itself, so its significance is lower there.
    expect(full.best.z).toBeLessThan(result.best.z);
    expect(() => bumpHunt(Float64Array.from(withBump.counts, (n, i) => (i === 7 ? n + 0.5 : n)), withBump.edges, SQRT_S)).toThrow(/count of bin 7 is \d+\.5, not a non-negative integer/);
  });

  it('folds the fit’s background uncertainty σ_b = √(Jᵀ C J) into Cowan’s Z, and ranks windows by it', () => {
    // The best window and the first, whose sideband fit has one bin below it: b is extrapolated there.
    for (const w of [result.best, result.windows[0]]) {
      // The propagation alone: SciPy quadrature and central differences on this code's own sideband fit.
      const fit = fitDijet(withBump.counts, withBump.edges, SQRT_S, { exclude: [w.from, w.to], start: result.fit.params });
      const prop = statsReference<{ b: number; sigmaB: number }>({ task: 'sigmaB', edges: Array.from(withBump.edges), sqrtS: SQRT_S, window: [w.from, w.to], params: fit.params, covariance: fit.covariance });
      expect(Math.abs(w.expected / prop.b - 1)).toBeLessThan(1e-9);
      expect(Math.abs(w.sigmaB / prop.sigmaB - 1)).toBeLessThan(1e-5);
      // End to end: SciPy's own sideband fit and covariance.
      const ref = statsReference<{ params: number[]; covariance: number[][] }>({ task: 'fit', edges: Array.from(withBump.edges), sqrtS: SQRT_S, counts: Array.from(withBump.counts), exclude: [w.from, w.to] });
      const own = statsReference<{ b: number; sigmaB: number }>({ task: 'sigmaB', edges: Array.from(withBump.edges), sqrtS: SQRT_S, window: [w.from, w.to], params: ref.params, covariance: ref.covariance });
      expect(Math.abs(w.sigmaB / own.sigmaB - 1)).toBeLessThan(0.02);
      const z = statsReference<{ closed: number[]; profiled: number[] }>({ task: 'cowan', cases: [[w.observed, own.b, own.sigmaB]] });
      expect(w.zWithSigmaB).toBeCloseTo(z.profiled[0], 2);
      expect(w.sigmaB).toBeGreaterThan(0);
      // An uncertain background makes any excess or deficit less significant.
      expect(Math.abs(w.zWithSigmaB)).toBeLessThanOrEqual(Math.abs(zWithBackgroundUncertainty(w.observed, w.expected, 0)));
    }
    const rank = Math.max(...result.windows.map((w) => w.zWithSigmaB));
    expect(result.best.zWithSigmaB).toBe(rank);
  });

  it('Cowan’s Z equals the profiled on/off likelihood ratio, negative for deficits, the plain asymptotic Z at σ = 0', () => {
    const cases = [[120, 100, 5], [80, 100, 5], [0, 3, 1], [50, 10, 0.01], [1000, 900, 100], [7, 2.5, 0.8], [3000, 2900, 0.5]];
    const ref = statsReference<{ closed: number[]; profiled: number[] }>({ task: 'cowan', cases });
    cases.forEach(([n, b, s], i) => {
      expect(zWithBackgroundUncertainty(n, b, s)).toBeCloseTo(ref.closed[i], 10);
      expect(zWithBackgroundUncertainty(n, b, s)).toBeCloseTo(ref.profiled[i], 6);
    });
    // σ → 0: √(2(n ln(n/b) − (n − b))) with the sign of n − b.
    expect(zWithBackgroundUncertainty(120, 100, 0)).toBeCloseTo(Math.sqrt(2 * (120 * Math.log(1.2) - 20)), 14);
    expect(zWithBackgroundUncertainty(0, 4, 0)).toBeCloseTo(-Math.sqrt(8), 14);
    expect(zWithBackgroundUncertainty(3000, 2900, 1e-3)).toBeCloseTo(zWithBackgroundUncertainty(3000, 2900, 0), 6);
    // σ → ∞ (a background the fit does not constrain): no significance at all.
    expect(Math.abs(zWithBackgroundUncertainty(50, 10, 1e6))).toBeLessThan(1e-3);
    expect(zWithBackgroundUncertainty(50, 10, Infinity)).toBe(0);
    expect(() => zWithBackgroundUncertainty(5, 0, 1)).toThrow(/b > 0/);
  });

  it('sees no significant bump in a background-only spectrum', () => {
    const clean = spectrum(60, 2e5, 5);
    const r = bumpHunt(clean.counts, clean.edges, SQRT_S, { widths: [2, 3, 4] });
    expect(r.best.z).toBeLessThan(4);
  });
});

describe('look-elsewhere effect by toys', () => {
  const data = spectrum(40, 1e5, 11, { mass: 3000, width: 100, events: 120 });
  const observed = bumpHunt(data.counts, data.edges, SQRT_S);

  it('is deterministic under a seed and differs across seeds', async () => {
    const a = await globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 3 });
    const b = await globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 3 });
    const c = await globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 4 });
    expect(b).toEqual(a);
    expect(c.toyBestZ).not.toEqual(a.toyBestZ);
  });

  it('reports every toy done and stops before the next toy when asked', async () => {
    const done: number[] = [];
    await globalSignificance(observed, data.edges, SQRT_S, { toys: 4, seed: 3, progress: (d, total) => done.push(d * 10 + total) });
    expect(done).toEqual([14, 24, 34, 44]);
    let asked = 0;
    const stopAfterTwo = () => ++asked > 2;
    await expect(globalSignificance(observed, data.edges, SQRT_S, { toys: 1000, seed: 3, shouldStop: stopAfterTwo })).rejects.toThrow(/stopped after 2 of 1000 toys/);
  });

  it('global Z ≤ local Z; p is the exceeding fraction with its binomial error', async () => {
    const g = await globalSignificance(observed, data.edges, SQRT_S, { toys: 40, seed: 1 });
    expect(observed.best.zWithSigmaB).toBeGreaterThan(2);
    const exceeding = g.toyBestZ.filter((z) => z >= observed.best.zWithSigmaB).length;
    expect(g.exceeding).toBe(exceeding);
    expect(g.p).toBe(exceeding / 40);
    expect(g.pError).toBeCloseTo(Math.sqrt((g.p * (1 - g.p)) / 40), 14);
    expect(g.z).toBeLessThanOrEqual(observed.best.zWithSigmaB);
    // The toys' best local Z is the maximum over ~35 windows: above 1σ almost always.
    const median = [...g.toyBestZ].sort((x, y) => x - y)[20];
    expect(median).toBeGreaterThan(1);
    await expect(globalSignificance(observed, data.edges, SQRT_S, { toys: 0, seed: 1 })).rejects.toThrow(/toys must be a positive integer, got 0/);
  });
});
