// The window scan and the look-elsewhere toys: an injected Gaussian bump is found where it was put with
// a large local Z (checked against scipy.stats.poisson.sf and norm.isf for the reported window); toys are
// deterministic under a seed and give a global Z below the local one.
import { describe, expect, it } from 'vitest';
import { linearEdges } from '@shared/metrics/histogram';
import { dijetBinning } from '@shared/stats/dijet-function';
import { bumpHunt, globalSignificance, windowRanges } from '@shared/stats/bump-hunt';
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

  it('sees no significant bump in a background-only spectrum', () => {
    const clean = spectrum(60, 2e5, 5);
    const r = bumpHunt(clean.counts, clean.edges, SQRT_S, { widths: [2, 3, 4] });
    expect(r.best.z).toBeLessThan(4);
  });
});

describe('look-elsewhere effect by toys', () => {
  const data = spectrum(40, 1e5, 11, { mass: 3000, width: 100, events: 120 });
  const observed = bumpHunt(data.counts, data.edges, SQRT_S);

  it('is deterministic under a seed and differs across seeds', () => {
    const a = globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 3 });
    const b = globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 3 });
    const c = globalSignificance(observed, data.edges, SQRT_S, { toys: 6, seed: 4 });
    expect(b).toEqual(a);
    expect(c.toyBestZ).not.toEqual(a.toyBestZ);
  });

  it('global Z ≤ local Z; p is the exceeding fraction with its binomial error', () => {
    const g = globalSignificance(observed, data.edges, SQRT_S, { toys: 40, seed: 1 });
    expect(observed.best.z).toBeGreaterThan(2);
    const exceeding = g.toyBestZ.filter((z) => z >= observed.best.z).length;
    expect(g.exceeding).toBe(exceeding);
    expect(g.p).toBe(exceeding / 40);
    expect(g.pError).toBeCloseTo(Math.sqrt((g.p * (1 - g.p)) / 40), 14);
    expect(g.z).toBeLessThanOrEqual(observed.best.z);
    // The toys' best local Z is the maximum over ~35 windows: above 1σ almost always.
    const median = [...g.toyBestZ].sort((x, y) => x - y)[20];
    expect(median).toBeGreaterThan(1);
    expect(() => globalSignificance(observed, data.edges, SQRT_S, { toys: 0, seed: 1 })).toThrow(/toys must be a positive integer, got 0/);
  });
});
