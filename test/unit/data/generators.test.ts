import { describe, expect, it } from 'vitest';
import { TORUS_R, TORUS_TUBE, sampleManifold } from '../../../src/main/engine/data/generators/manifold';
import { samplePhaseSpace } from '../../../src/main/engine/data/generators/phase-space';

const N = 20_000;

/** Pearson χ² of a histogram against equal expected counts. */
function chi2Uniform(values: ArrayLike<number>, lo: number, hi: number, bins: number): number {
  const h = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) h[Math.min(bins - 1, Math.floor(((values[i] - lo) / (hi - lo)) * bins))]++;
  const e = values.length / bins;
  return h.reduce((s, o) => s + (o - e) ** 2 / e, 0);
}
/** χ² critical value for 19 degrees of freedom at p = 0.001. */
const CHI2_19_999 = 43.82;

function column(x: Float32Array, d: number, j: number): Float64Array {
  return Float64Array.from({ length: x.length / d }, (_, i) => x[i * d + j]);
}

describe('manifold samples lie on the manifold and are uniform', () => {
  it('circle: radius 1, uniform angle, intrinsic angle matches the point', () => {
    const { x, intrinsic, labels } = sampleManifold({ manifold: 'circle', n: N, seed: 1 });
    expect(labels.every((l) => l === 0)).toBe(true);
    for (let i = 0; i < N; i++) {
      expect(Math.abs(Math.hypot(x[2 * i], x[2 * i + 1]) - 1)).toBeLessThan(1e-6);
      expect(Math.abs(Math.cos(intrinsic[i]) - x[2 * i]) + Math.abs(Math.sin(intrinsic[i]) - x[2 * i + 1])).toBeLessThan(1e-6);
    }
    expect(chi2Uniform(intrinsic, 0, 2 * Math.PI, 20)).toBeLessThan(CHI2_19_999);
  });

  it('2-sphere: radius 1, z uniform on [−1, 1] (Archimedes), hyperspherical angles reproduce the point', () => {
    const { x, intrinsic, intrinsicDim } = sampleManifold({ manifold: 'sphere', dim: 3, n: N, seed: 2 });
    expect(intrinsicDim).toBe(2);
    for (let i = 0; i < N; i++) {
      const [a, b, c] = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
      expect(Math.abs(Math.hypot(a, b, c) - 1)).toBeLessThan(1e-6);
      const [th, ph] = [intrinsic[2 * i], intrinsic[2 * i + 1]];
      expect(Math.abs(Math.cos(th) - a)).toBeLessThan(1e-6);
      expect(Math.abs(Math.sin(th) * Math.cos(ph) - b)).toBeLessThan(1e-6);
      expect(Math.abs(Math.sin(th) * Math.sin(ph) - c)).toBeLessThan(1e-6);
    }
    expect(chi2Uniform(column(x, 3, 2), -1, 1, 20)).toBeLessThan(CHI2_19_999);
    expect(chi2Uniform(column(x, 3, 0), -1, 1, 20)).toBeLessThan(CHI2_19_999);
  });

  it('S⁴ in R⁵: radius 1, isotropic second moments E[x_k²] = 1/5', () => {
    const { x } = sampleManifold({ manifold: 'sphere', dim: 5, n: N, seed: 3 });
    for (let i = 0; i < N; i++) {
      let r2 = 0;
      for (let k = 0; k < 5; k++) r2 += x[5 * i + k] ** 2;
      expect(Math.abs(Math.sqrt(r2) - 1)).toBeLessThan(1e-6);
    }
    for (let k = 0; k < 5; k++) {
      const c = column(x, 5, k);
      const m2 = c.reduce((s, v) => s + v * v, 0) / N;
      // Var(x_k²) = 3/35 − 1/25 for S⁴, so σ(mean) ≈ 0.0021.
      expect(Math.abs(m2 - 0.2)).toBeLessThan(0.009);
    }
  });

  it('torus: on (√(x²+y²) − R)² + z² = r², outer-half fraction = 1/2 + r/(πR) (not 1/2 as uniform angles give)', () => {
    const { x, intrinsic } = sampleManifold({ manifold: 'torus', n: N, seed: 4 });
    let outer = 0;
    for (let i = 0; i < N; i++) {
      const rho = Math.hypot(x[3 * i], x[3 * i + 1]);
      expect(Math.abs(Math.hypot(rho - TORUS_R, x[3 * i + 2]) - TORUS_TUBE)).toBeLessThan(1e-6);
      if (rho > TORUS_R) outer++;
    }
    const p = 0.5 + TORUS_TUBE / (Math.PI * TORUS_R);
    expect(Math.abs(outer / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
    expect(chi2Uniform(column(intrinsic, 2, 1), 0, 2 * Math.PI, 20)).toBeLessThan(CHI2_19_999);
  });

  it('double cone: on x² + y² = z² with |z| ≤ 1, area-uniform: P(|z| < ½) = ¼, both nappes equally', () => {
    const { x } = sampleManifold({ manifold: 'double-cone', n: N, seed: 5 });
    let inner = 0;
    let upper = 0;
    for (let i = 0; i < N; i++) {
      const z = x[3 * i + 2];
      expect(Math.abs(Math.hypot(x[3 * i], x[3 * i + 1]) - Math.abs(z))).toBeLessThan(1e-6);
      expect(Math.abs(z)).toBeLessThanOrEqual(1);
      if (Math.abs(z) < 0.5) inner++;
      if (z > 0) upper++;
    }
    expect(Math.abs(inner / N - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / N));
    expect(Math.abs(upper / N - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / N));
  });
});

describe('manifold signal', () => {
  const cases = [
    { manifold: 'circle' as const, center: [1], point: [Math.cos(1), Math.sin(1)] },
    { manifold: 'sphere' as const, center: [0.7, -2], point: [Math.cos(0.7), Math.sin(0.7) * Math.cos(-2), Math.sin(0.7) * Math.sin(-2)] },
    { manifold: 'torus' as const, center: [Math.PI, 0.5], point: [Math.cos(0.5), Math.sin(0.5), 0] },
    { manifold: 'double-cone' as const, center: [-0.6, 2], point: [0.6 * Math.cos(2), 0.6 * Math.sin(2), -0.6] },
  ];
  for (const c of cases) {
    it(`${c.manifold}: exactly round(f·n) signal points, all within the patch, background spread out`, () => {
      const n = 2001;
      const radius = 0.3;
      const s = sampleManifold({ manifold: c.manifold, n, seed: 6, signal: { fraction: 0.1, center: c.center, radius } });
      const D = s.dim;
      let signal = 0;
      let farBackground = 0;
      for (let i = 0; i < n; i++) {
        let d2 = 0;
        for (let j = 0; j < D; j++) d2 += (s.x[i * D + j] - c.point[j]) ** 2;
        if (s.labels[i] === 1) {
          signal++;
          expect(Math.sqrt(d2)).toBeLessThanOrEqual(radius + 1e-6);
        } else if (Math.sqrt(d2) > radius) farBackground++;
      }
      expect(signal).toBe(200);
      expect(farBackground).toBeGreaterThan(1500);
      // Signal points are spread over the run, not gathered at the start.
      expect(Array.from(s.labels.subarray(0, 1000)).filter((l) => l === 1).length).toBeGreaterThan(60);
    });
  }

  it('rejects a center of the wrong length and a patch too small to hit', () => {
    expect(() => sampleManifold({ manifold: 'torus', n: 10, seed: 1, signal: { fraction: 0.5, center: [1], radius: 0.1 } })).toThrow(
      /center needs 2 intrinsic coordinate\(s\) for torus, got 1/,
    );
    expect(() => sampleManifold({ manifold: 'sphere', dim: 1, n: 10, seed: 1 })).toThrow(/dim must be an integer ≥ 2/);
    expect(() =>
      sampleManifold({ manifold: 'sphere', dim: 12, n: 10, seed: 1, signal: { fraction: 0.5, center: Array(11).fill(0.3), radius: 0.01 } }),
    ).toThrow(/no point of the sphere within 0.01 of the centre/);
  });

  it('is deterministic per seed', () => {
    const spec = { manifold: 'torus' as const, n: 500, signal: { fraction: 0.2, center: [0, 0], radius: 0.5 } };
    const a = sampleManifold({ ...spec, seed: 9 });
    const b = sampleManifold({ ...spec, seed: 9 });
    const c = sampleManifold({ ...spec, seed: 10 });
    expect(b.x).toEqual(a.x);
    expect(b.labels).toEqual(a.labels);
    expect(b.intrinsic).toEqual(a.intrinsic);
    expect(c.x).not.toEqual(a.x);
  });
});

describe('phase-space events', () => {
  const sqrtS = 100;

  function check(n: number, mass: number, events: number, seed: number) {
    const s = samplePhaseSpace({ particles: n, sqrtS, events, seed, signal: { fraction: 0.4, mass } });
    expect(s.momenta).toHaveLength(events * n * 4);
    expect(s.labels.reduce((a, l) => a + l, 0)).toBe(Math.round(0.4 * events));
    for (let e = 0; e < events; e++) {
      const p = s.momenta.subarray(e * 4 * n, (e + 1) * 4 * n);
      const tot = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 4; k++) tot[k] += p[4 * i + k];
        const pm = Math.hypot(p[4 * i + 1], p[4 * i + 2], p[4 * i + 3]);
        expect(Math.abs(p[4 * i] - pm)).toBeLessThanOrEqual(1e-9 * sqrtS); // massless
        expect(p[4 * i]).toBeGreaterThan(0);
      }
      expect(Math.abs(tot[0] - sqrtS)).toBeLessThan(1e-9 * sqrtS);
      for (let k = 1; k < 4; k++) expect(Math.abs(tot[k])).toBeLessThan(1e-9 * sqrtS);
      const E = p[0] + p[4];
      const m = Math.sqrt(E * E - (p[1] + p[5]) ** 2 - (p[2] + p[6]) ** 2 - (p[3] + p[7]) ** 2);
      expect(Math.abs(s.pairMass[e] - m)).toBeLessThan(1e-9 * sqrtS);
      if (s.labels[e] === 1) expect(Math.abs(s.pairMass[e] / mass - 1)).toBeLessThan(1e-6);
    }
    return s;
  }

  it('conserves momentum, keeps particles massless, and puts the signal pair at mass M (n = 3, 4, 6)', () => {
    check(3, 40, 300, 1);
    check(4, 25, 300, 2);
    check(6, 60, 300, 3);
  });

  it('background pair mass² x = m²/s has density 2(1 − x) for n = 3 (flat Dalitz triangle)', () => {
    const s = samplePhaseSpace({ particles: 3, sqrtS, events: N, seed: 4 });
    // Its CDF is 1 − (1 − x)², so that transform must be uniform.
    const v = Float64Array.from(s.pairMass, (m) => 1 - (1 - (m * m) / (sqrtS * sqrtS)) ** 2);
    expect(chi2Uniform(v, 0, 1, 20)).toBeLessThan(CHI2_19_999);
  });

  it('signal recoil mass² t follows λ^½(s, M², t) · t^(n−4) (n = 5), the phase-space density', () => {
    const n = 5;
    const M = 30;
    const events = 4000;
    const s = samplePhaseSpace({ particles: n, sqrtS, events, seed: 5, signal: { fraction: 1, mass: M } });
    const S = sqrtS * sqrtS;
    const tMax = (sqrtS - M) ** 2;
    const ts = Array.from({ length: events }, (_, e) => {
      const p = s.momenta.subarray(e * 4 * n, (e + 1) * 4 * n);
      const q = [0, 0, 0, 0];
      for (let i = 2; i < n; i++) for (let k = 0; k < 4; k++) q[k] += p[4 * i + k];
      return q[0] ** 2 - q[1] ** 2 - q[2] ** 2 - q[3] ** 2;
    });
    // Moments of the density by the midpoint rule.
    const density = (t: number) => Math.sqrt(Math.max(0, (S - M * M - t) ** 2 - 4 * M * M * t)) * t ** (n - 4);
    let w = 0;
    let w1 = 0;
    let w2 = 0;
    const steps = 100_000;
    for (let i = 0; i < steps; i++) {
      const t = ((i + 0.5) / steps) * tMax;
      const f = density(t);
      w += f;
      w1 += f * t;
      w2 += f * t * t;
    }
    const mean = w1 / w;
    const sd = Math.sqrt(w2 / w - mean * mean);
    const sampleMean = ts.reduce((a, b) => a + b, 0) / events;
    expect(Math.abs(sampleMean - mean)).toBeLessThan((4 * sd) / Math.sqrt(events));
    // A recoil mass² spread uniformly over [0, tMax] would have mean tMax/2, far from the phase-space one.
    expect(Math.abs(tMax / 2 - mean)).toBeGreaterThan((10 * sd) / Math.sqrt(events));
  });

  it('is deterministic per seed and rejects bad specs', () => {
    const spec = { particles: 4, sqrtS, events: 50, signal: { fraction: 0.5, mass: 20 } };
    expect(samplePhaseSpace({ ...spec, seed: 1 }).momenta).toEqual(samplePhaseSpace({ ...spec, seed: 1 }).momenta);
    expect(samplePhaseSpace({ ...spec, seed: 2 }).momenta).not.toEqual(samplePhaseSpace({ ...spec, seed: 1 }).momenta);
    expect(() => samplePhaseSpace({ ...spec, seed: 1, signal: { fraction: 0.5, mass: 100 } })).toThrow(/mass must be in \(0, √s = 100\)/);
    expect(() => samplePhaseSpace({ particles: 2, sqrtS, events: 5, seed: 1, signal: { fraction: 0.5, mass: 10 } })).toThrow(
      /needs at least 3 particles/,
    );
  });
});
