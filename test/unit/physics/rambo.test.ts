// RAMBO: exact conservation and masslessness, determinism, and the known distributions of massless phase space.
import { describe, expect, it } from 'vitest';
import { masslessPhaseSpaceVolume, rambo } from '@shared/physics/rambo';
import { mulberry32 } from '@shared/random';

const SQRT_S = 1000;

/** Kolmogorov–Smirnov distance between a sample and a continuous CDF. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const xs = [...sample].sort((a, b) => a - b);
  let d = 0;
  xs.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / xs.length - f, f - i / xs.length);
  });
  return d;
}

describe('rambo', () => {
  it('conserves four-momentum to 1e-9 of √s and gives massless particles of positive energy', () => {
    const u = mulberry32(11);
    for (const n of [2, 3, 5, 10]) {
      for (let ev = 0; ev < 200; ev++) {
        const p = rambo(n, SQRT_S, u);
        expect(p).toHaveLength(4 * n);
        const total = [0, 0, 0, 0];
        for (let i = 0; i < n; i++) {
          const [e, px, py, pz] = p.subarray(4 * i, 4 * i + 4);
          expect(e).toBeGreaterThan(0);
          expect(Math.abs(e - Math.hypot(px, py, pz))).toBeLessThanOrEqual(1e-9 * e);
          for (let mu = 0; mu < 4; mu++) total[mu] += p[4 * i + mu];
        }
        expect(Math.abs(total[0] - SQRT_S)).toBeLessThanOrEqual(1e-9 * SQRT_S);
        for (let mu = 1; mu < 4; mu++) expect(Math.abs(total[mu])).toBeLessThanOrEqual(1e-9 * SQRT_S);
      }
    }
  });

  it('is deterministic for a seed', () => {
    const a = rambo(6, SQRT_S, mulberry32(5));
    expect(rambo(6, SQRT_S, mulberry32(5))).toEqual(a);
    expect(rambo(6, SQRT_S, mulberry32(6))).not.toEqual(a);
  });

  it('gives one particle an isotropic direction (20k events, moments within 4σ)', () => {
    const u = mulberry32(2024);
    const N = 20_000;
    let cos = 0;
    let cos2 = 0;
    let cphi = 0;
    let sphi = 0;
    for (let ev = 0; ev < N; ev++) {
      const [e, px, py, pz] = rambo(4, SQRT_S, u);
      const c = pz / e;
      const pt = Math.hypot(px, py);
      cos += c;
      cos2 += c * c;
      cphi += px / pt;
      sphi += py / pt;
    }
    // Uniform on the sphere: <cosθ> = 0 (var 1/3), <cos²θ> = 1/3 (var 4/45), <cos φ> = <sin φ> = 0 (var 1/2).
    expect(Math.abs(cos / N)).toBeLessThan(4 * Math.sqrt(1 / 3 / N));
    expect(Math.abs(cos2 / N - 1 / 3)).toBeLessThan(4 * Math.sqrt(4 / 45 / N));
    expect(Math.abs(cphi / N)).toBeLessThan(4 * Math.sqrt(0.5 / N));
    expect(Math.abs(sphi / N)).toBeLessThan(4 * Math.sqrt(0.5 / N));
  });

  // Integrating out the other particles, x = 2E/√s of one particle has density ∝ x (1 − x)^(n−3):
  // dΦ_n ∝ E dE · Φ_(n−1)(s − 2√s E) and Φ_(n−1)(M²) ∝ (M²)^(n−3). For n = 3 that is 2x, for n = 4 it is 6x(1 − x).
  it.each([
    [3, (x: number) => x * x],
    [4, (x: number) => 3 * x * x - 2 * x * x * x],
  ])('gives one particle the known energy distribution for n = %i (KS test, 20k events)', (n, cdf) => {
    const u = mulberry32(77 + n);
    const xs: number[] = [];
    for (let ev = 0; ev < 20_000; ev++) xs.push((2 * rambo(n, SQRT_S, u)[4]) / SQRT_S);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1 + 1e-12);
    // 1.95/√N is the 0.1 % critical value of the KS statistic.
    expect(ksDistance(xs, cdf)).toBeLessThan(1.95 / Math.sqrt(xs.length));
  });

  it('rejects fewer than two particles and a non-positive √s', () => {
    const u = mulberry32(1);
    expect(() => rambo(1, SQRT_S, u)).toThrow(/number of particles must be an integer ≥ 2/);
    expect(() => rambo(2.5, SQRT_S, u)).toThrow(/number of particles/);
    expect(() => rambo(3, 0, u)).toThrow(/√s must be a positive number/);
  });
});

describe('masslessPhaseSpaceVolume', () => {
  it('matches the hand integrals for two and three bodies', () => {
    // Φ2 = ∫ d³p/(4E²) δ(√s − 2E) = π/2; Φ3 = π² × (area s/8 of the Dalitz triangle in (E1, E2)).
    expect(masslessPhaseSpaceVolume(2, 13)).toBeCloseTo(Math.PI / 2, 14);
    expect(masslessPhaseSpaceVolume(3, 3)).toBeCloseTo((Math.PI ** 2 * 9) / 8, 12);
  });

  it('satisfies the recursion Φ_n(s) = ∫ 2π E dE Φ_(n−1)(s − 2√s E) for n = 4…7', () => {
    const sqrtS = 2.5;
    for (let n = 4; n <= 7; n++) {
      const f = (e: number): number => {
        const m2 = sqrtS * sqrtS - 2 * sqrtS * e;
        return m2 > 0 ? 2 * Math.PI * e * masslessPhaseSpaceVolume(n - 1, Math.sqrt(m2)) : 0;
      };
      // Simpson's rule is exact here: the integrand is a polynomial of degree ≤ 2n − 5 sampled finely.
      const steps = 2000;
      const h = sqrtS / 2 / steps;
      let sum = f(0) + f(sqrtS / 2);
      for (let k = 1; k < steps; k++) sum += (k % 2 ? 4 : 2) * f(k * h);
      const integral = (sum * h) / 3;
      const v = masslessPhaseSpaceVolume(n, sqrtS);
      expect(Math.abs(integral - v)).toBeLessThanOrEqual(1e-9 * v);
    }
  });

  it('rejects bad arguments', () => {
    expect(() => masslessPhaseSpaceVolume(1, 10)).toThrow(/n must be an integer ≥ 2/);
    expect(() => masslessPhaseSpaceVolume(3, -1)).toThrow(/√s must be a positive number/);
  });
});
