// N-subjettiness against an independent brute-force NumPy reclustering, hand-computed cases and class separation.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nsubjettinessRatios, tauN, type PtEtaPhi } from '@shared/physics/nsubjettiness';
import { mulberry32, normalSampler } from '@shared/random';

interface Jet {
  pt: number[];
  eta: number[];
  phi: number[];
}

const wrap = (phi: number): number => Math.atan2(Math.sin(phi), Math.cos(phi));

/**
 * A toy boosted jet of about 600 GeV: `prongs` hard prongs around (eta0, phi0), each a few collinear particles,
 * plus soft wide-angle radiation. Every fourth jet sits at the φ = ±π seam.
 */
function toyJet(seed: number, prongs: number, multiplicity: number): Jet {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const eta0 = -1.8 + 3.6 * u();
  const phi0 = seed % 4 === 0 ? Math.PI - 0.1 * u() : -Math.PI + 2 * Math.PI * u();
  const jet: Jet = { pt: [], eta: [], phi: [] };
  const hard = Math.max(prongs, Math.floor(multiplicity / 2));
  const prongAt = Array.from({ length: prongs }, (_, k) =>
    k === 0 ? [0.05 * g(), 0.05 * g()] : [0.4 * (u() - 0.5) * 2, 0.4 * (u() - 0.5) * 2],
  );
  for (let i = 0; i < multiplicity; i++) {
    if (i < hard) {
      const [de, dp] = prongAt[i % prongs];
      jet.pt.push((540 / hard) * (0.3 + 1.4 * u()));
      jet.eta.push(eta0 + de + 0.02 * g());
      jet.phi.push(wrap(phi0 + dp + 0.02 * g()));
    } else {
      const r = 0.8 * Math.sqrt(u());
      const a = 2 * Math.PI * u();
      jet.pt.push((60 / (multiplicity - hard)) * (0.2 + 1.6 * u()));
      jet.eta.push(eta0 + r * Math.cos(a));
      jet.phi.push(wrap(phi0 + r * Math.sin(a)));
    }
  }
  return jet;
}

// Independent reference: recompute every pairwise kT distance at every step (O(n³)), merge the smallest pair with
// E-scheme four-momentum addition, and read the axes off when N pseudojets are left.
const PYTHON_REFERENCE = String.raw`
import json, sys
import numpy as np

def coords(P):
    pt2 = P[:, 1] ** 2 + P[:, 2] ** 2
    y = 0.5 * np.log((P[:, 0] + P[:, 3]) / (P[:, 0] - P[:, 3]))
    return pt2, y, np.arctan2(P[:, 2], P[:, 1])

def dr2(y1, p1, y2, p2):
    dphi = np.abs(p1 - p2)
    dphi = np.where(dphi > np.pi, 2 * np.pi - dphi, dphi)
    return (y1 - y2) ** 2 + dphi ** 2

def taus(jet, r0, ns):
    pt, eta, phi = (np.array(jet[k], dtype=float) for k in ('pt', 'eta', 'phi'))
    keep = pt > 0
    pt, eta, phi = pt[keep], eta[keep], phi[keep]
    P = np.stack([pt * np.cosh(eta), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)], axis=1)
    axes = {}
    while True:
        if len(P) in ns:
            _, y, ph = coords(P)
            axes[len(P)] = (y, ph)
        if len(P) <= 1:
            break
        pt2, y, ph = coords(P)
        d = np.minimum.outer(pt2, pt2) * dr2(y[:, None], ph[:, None], y[None, :], ph[None, :])
        np.fill_diagonal(d, np.inf)
        i, j = np.unravel_index(np.argmin(d), d.shape)
        P[i] = P[i] + P[j]
        P = np.delete(P, j, axis=0)
    out = []
    for n in ns:
        if n >= len(pt):
            out.append(0.0)
            continue
        ay, aph = axes[n]
        dmin = np.sqrt(dr2(eta[:, None], phi[:, None], ay[None, :], aph[None, :]).min(axis=1))
        out.append(float((pt * dmin).sum() / (pt.sum() * r0)))
    return out

jets = json.load(sys.stdin)
json.dump([taus(j, 0.8, [1, 2, 3, 4]) for j in jets], sys.stdout)
`;

function pythonTaus(jets: Jet[]): number[][] {
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE], {
    input: JSON.stringify(jets),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

function expectRelClose(actual: number, expected: number, rel: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(Math.abs(expected), 1e-12),
  );
}

describe('N-subjettiness against a NumPy reference', () => {
  it('matches τ1..τ4 on 300 seeded toy jets (1–3 prongs, soft radiation, some at φ = ±π) within 1e-6', () => {
    const jets: Jet[] = [];
    for (let s = 1; s <= 300; s++) jets.push(toyJet(s, 1 + (s % 3), s % 50 === 0 ? 200 : 3 + (s % 57)));
    const ref = pythonTaus(jets);
    expect(ref).toHaveLength(jets.length);
    let nonzero = 0;
    jets.forEach((jet, k) => {
      const r = nsubjettinessRatios(jet);
      const ours = [r.tau1, r.tau2, r.tau3, tauN(jet, 4)];
      ours.forEach((t, n) => {
        expectRelClose(t, ref[k][n], 1e-6, `jet ${k} tau${n + 1}`);
        if (t > 0) nonzero++;
      });
      expect(r.tau21).toBe(r.tau1 > 0 ? r.tau2 / r.tau1 : 0);
      expect(r.tau32).toBe(r.tau2 > 0 ? r.tau3 / r.tau2 : 0);
    });
    // The comparison is about real values, not a pile of zeros.
    expect(nonzero).toBeGreaterThan(1100);
  });
});

describe('N-subjettiness by hand', () => {
  it('gives 0 for a single particle, for an empty jet and for N ≥ multiplicity', () => {
    const one = { pt: [600], eta: [0.3], phi: [1] };
    expect(tauN(one, 1)).toBe(0);
    expect(nsubjettinessRatios(one)).toEqual({ tau1: 0, tau2: 0, tau3: 0, tau21: 0, tau32: 0 });
    expect(nsubjettinessRatios({ pt: [], eta: [], phi: [] }).tau21).toBe(0);
    const two = { pt: [300, 200], eta: [0, 0.3], phi: [0, 0.2] };
    expect(tauN(two, 2)).toBe(0);
    expect(tauN(two, 5)).toBe(0);
  });

  it('gives τ1 = d / (2 R0) for two equal-pT particles a distance d apart, also across φ = ±π', () => {
    const d = 0.4;
    expect(tauN({ pt: [250, 250], eta: [0.7 - d / 2, 0.7 + d / 2], phi: [-1, -1] }, 1)).toBeCloseTo(d / 1.6, 12);
    const seam = { pt: [250, 250], eta: [1.2, 1.2], phi: [Math.PI - d / 2, -Math.PI + d / 2] };
    expect(tauN(seam, 1)).toBeCloseTo(d / 1.6, 12);
    expect(tauN(seam, 1, 0.4)).toBeCloseTo(d / 0.8, 12);
  });

  it('gives τ2 = δ / (3 R0) for a symmetric close pair (merged first) plus a distant third particle', () => {
    const delta = 0.1;
    const jet = { pt: [100, 100, 100], eta: [-delta / 2, delta / 2, 0], phi: [0, 0, 0.5] };
    expect(tauN(jet, 2)).toBeCloseTo(delta / 2.4, 12);
  });

  it('ignores zero-padded entries and accepts four-momenta', () => {
    const jet = toyJet(7, 2, 40);
    const padded = { pt: [...jet.pt, 0, 0, 0], eta: [...jet.eta, 0, 0, 0], phi: [...jet.phi, 0, 0, 0] };
    expect(nsubjettinessRatios(padded)).toEqual(nsubjettinessRatios(jet));
    const four = {
      e: [...jet.pt.map((p, i) => p * Math.cosh(jet.eta[i])), 0],
      px: [...jet.pt.map((p, i) => p * Math.cos(jet.phi[i])), 0],
      py: [...jet.pt.map((p, i) => p * Math.sin(jet.phi[i])), 0],
      pz: [...jet.pt.map((p, i) => p * Math.sinh(jet.eta[i])), 0],
    };
    const a = nsubjettinessRatios(four);
    const b = nsubjettinessRatios(jet);
    for (const key of ['tau1', 'tau2', 'tau3'] as const) expectRelClose(a[key], b[key], 1e-9, key);
  });

  it('rejects bad input with a message naming the problem', () => {
    const ok: PtEtaPhi = { pt: [1, 2], eta: [0, 0.1], phi: [0, 0.1] };
    expect(() => tauN({ pt: [1, 2], eta: [0], phi: [0, 0] }, 1)).toThrow(/differ in length/);
    expect(() => tauN({ pt: [1, -2], eta: [0, 0], phi: [0, 0] }, 1)).toThrow(/constituent 1 has a negative pT/);
    expect(() => tauN({ pt: [1, 2], eta: [0, NaN], phi: [0, 0] }, 1)).toThrow(/non-finite eta/);
    expect(() => tauN(ok, 0)).toThrow(/N must be a positive integer/);
    expect(() => tauN(ok, 1, 0)).toThrow(/R0 must be a positive number/);
  });
});

describe('N-subjettiness separates prong structure', () => {
  /** 40 particles of ~15 GeV scattered with a Gaussian `spread` around the given (η, φ) centres in turn. */
  function prongJet(seed: number, centres: [number, number][], spread: number): Jet {
    const u = mulberry32(seed);
    const g = normalSampler(u);
    const jet: Jet = { pt: [], eta: [], phi: [] };
    for (let i = 0; i < 40; i++) {
      const [eta, phi] = centres[i % centres.length];
      jet.pt.push(15 * (0.3 + 1.4 * u()));
      jet.eta.push(eta + spread * g());
      jet.phi.push(wrap(phi + spread * g()));
    }
    return jet;
  }

  it('gives clean two-prong jets a much smaller mean τ21 than one-prong jets with spread', () => {
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const seeds = Array.from({ length: 60 }, (_, i) => 1000 + i);
    const twoProng = mean(seeds.map((s) => nsubjettinessRatios(prongJet(s, [[0.3, 2], [0.7, 2]], 0.02)).tau21));
    const oneProng = mean(seeds.map((s) => nsubjettinessRatios(prongJet(s, [[0.5, 2]], 0.15)).tau21));
    expect(twoProng).toBeLessThan(0.3 * oneProng);
  });
});
