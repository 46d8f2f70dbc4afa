// Tail probabilities and significances against scipy.stats (poisson.sf/logsf, norm.sf/logsf/isf), the
// deep tails against a log-sum-exp of scipy's pmf, and the Poisson sampler against scipy's pmf (χ² test).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/random';
import { asymptoticZ, logGamma, normalLogTail, pFromZ, poissonLogTail, poissonSampler, zFromLogP, zFromP } from '@shared/stats/bump-hunt';
import { statsReference } from './reference';

const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(b), 1e-300));

describe('Poisson tail P(N ≥ n | b)', () => {
  it('matches scipy.stats.poisson.sf(n − 1, b) and logsf across regimes', () => {
    const cases: Array<[number, number]> = [
      [0, 3], [1, 0.1], [1, 5], [3, 3], [5, 1.2], [10, 2], [30, 5], [50, 60], [120, 100], [1931, 1738.45],
      [2678, 2460.98], [1e5 + 1000, 1e5], [1e5 + 3000, 1e5], [20, 0.5], [200, 10], [6000, 5000],
    ];
    const ref = statsReference<{ sf: number[]; logsf: number[] }>({ task: 'tails', poisson: cases });
    cases.forEach(([n, b], i) => {
      const logTail = poissonLogTail(n, b);
      close(Math.exp(logTail), ref.sf[i], 1e-11);
      close(logTail, ref.logsf[i], 1e-11);
    });
  });

  it('stays exact far below the smallest double (ln p ≈ −2000)', () => {
    const cases: Array<[number, number]> = [[400, 10], [1000, 100], [3000, 1000]];
    const ref = statsReference<{ deepLogTail: number[] }>({ task: 'tails', poissonDeep: cases });
    cases.forEach(([n, b], i) => close(poissonLogTail(n, b), ref.deepLogTail[i], 1e-11));
    expect(ref.deepLogTail[0]).toBeLessThan(-745); // p itself underflows: only ln p carries it
  });

  it('refuses a non-integer n or a negative b', () => {
    expect(() => poissonLogTail(2.5, 1)).toThrow(/non-negative integer, got 2.5/);
    expect(() => poissonLogTail(2, -1)).toThrow(/b must be a finite non-negative number, got -1/);
  });

  it('logGamma matches ln (n − 1)! and Γ(½) = √π', () => {
    let logFactorial = 0;
    for (let n = 1; n < 60; n++) {
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThan(1e-13 * Math.max(1, logFactorial));
      logFactorial += Math.log(n);
    }
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  });
});

describe('Z ↔ p (one-sided)', () => {
  it('1 − Φ(z) matches scipy.stats.norm.sf and logsf from −6 to 40', () => {
    const z = [-6, -2, -0.5, 0, 0.3, 1, 1.6448536269514722, 3, 5, 8, 12, 20, 40];
    const ref = statsReference<{ normSf: number[]; normLogSf: number[] }>({ task: 'tails', z });
    z.forEach((v, i) => {
      close(pFromZ(v), ref.normSf[i], 1e-13);
      close(normalLogTail(v), ref.normLogSf[i], 1e-13);
    });
  });

  it('Φ⁻¹(1 − p) matches scipy.stats.norm.isf, including Z ≈ 8 and beyond', () => {
    const p = [0.9, 0.5, 0.3, 0.1, 0.05, 1e-3, 2.866515718791939e-7, 6.22096057427178e-16, 1e-30, 1e-100, 1e-300];
    const ref = statsReference<{ normIsf: number[] }>({ task: 'tails', p });
    p.forEach((v, i) => close(zFromP(v), ref.normIsf[i], 1e-12));
    expect(zFromP(6.22096057427178e-16)).toBeCloseTo(8, 10);
    expect(zFromP(0)).toBe(Infinity);
    expect(zFromP(1)).toBe(-Infinity);
    expect(() => zFromP(1.5)).toThrow(/\[0, 1\], got 1.5/);
  });

  it('Z from ln p below the double range inverts scipy.stats.norm.logsf', () => {
    const z = [30, 45, 63];
    const ref = statsReference<{ normLogSf: number[] }>({ task: 'tails', z });
    z.forEach((v, i) => close(zFromLogP(ref.normLogSf[i]), v, 1e-12));
  });

  it('the asymptotic Z is √(2(n ln(n/b) − (n − b))), 0 for deficits, and close to the exact Z at large counts', () => {
    expect(asymptoticZ(150, 100)).toBeCloseTo(Math.sqrt(2 * (150 * Math.log(1.5) - 50)), 14);
    expect(asymptoticZ(90, 100)).toBe(0);
    const ref = statsReference<{ sf: number[] }>({ task: 'tails', poisson: [[10500, 1e4]] });
    const exact = zFromP(ref.sf[0]);
    expect(Math.abs(asymptoticZ(10500, 1e4) - exact)).toBeLessThan(0.02);
  });
});

describe('Poisson sampler', () => {
  it('is deterministic under a seed', () => {
    const a = poissonSampler(mulberry32(5));
    const b = poissonSampler(mulberry32(5));
    const draws = (s: (mu: number) => number) => [0.3, 7, 12, 500, 1e5].map(s);
    expect(draws(a)).toEqual(draws(b));
    expect(() => a(-1)).toThrow(/mean must be finite and ≥ 0, got -1/);
    expect(a(0)).toBe(0);
  });

  for (const mu of [0.5, 3, 9.9, 10, 47.3, 1000]) {
    it(`draws Poisson(${mu}): χ² against scipy.stats.poisson.pmf, mean and variance`, () => {
      const draws = 40000;
      const sample = poissonSampler(mulberry32(Math.round(mu * 100)));
      const kmax = Math.ceil(mu + 12 * Math.sqrt(mu) + 12);
      const hist = new Float64Array(kmax + 1);
      let sum = 0;
      let sum2 = 0;
      for (let t = 0; t < draws; t++) {
        const k = sample(mu);
        hist[Math.min(k, kmax)]++;
        sum += k;
        sum2 += k * k;
      }
      const ref = statsReference<{ pmf: number[] }>({ task: 'tails', pmf: { mu, kmax } });
      // Cells pooled until each expects ≥ 20 draws.
      let chi2 = 0;
      let cells = 0;
      let obs = 0;
      let exp = 0;
      for (let k = 0; k <= kmax; k++) {
        obs += hist[k];
        exp += draws * ref.pmf[k];
        if (exp >= 20 || k === kmax) {
          chi2 += (obs - exp) ** 2 / exp;
          cells++;
          obs = 0;
          exp = 0;
        }
      }
      const sf = statsReference<{ chi2Sf: number[] }>({ task: 'tails', chi2: [[chi2, cells - 1]] }).chi2Sf[0];
      expect(sf).toBeGreaterThan(1e-4);
      const mean = sum / draws;
      expect(Math.abs(mean - mu)).toBeLessThan(5 * Math.sqrt(mu / draws));
      const variance = sum2 / draws - mean * mean;
      expect(Math.abs(variance / mu - 1)).toBeLessThan(0.05);
    });
  }
});
