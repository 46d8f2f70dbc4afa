// kT-family clustering against an independent brute-force NumPy clustering (every distance recomputed at
// every step, O(n³)), and hand-made cases.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusterJets, type ClusterOptions } from '@shared/physics/anti-kt';
import { mulberry32, normalSampler } from '@shared/random';

// Brute force: at each step the smallest of all d_ij = min(kt_i^2p, kt_j^2p) ΔR²/R² and d_iB = kt_i^2p;
// merge (E-scheme) or declare a jet. Returns per jet the sorted constituent indices and (E, px, py, pz).
const PYTHON_REFERENCE = String.raw`
import json, sys
import numpy as np

def cluster(P, R, p, coord):
    P = np.array(P, dtype=float).reshape(-1, 4)
    keep = ~np.all(P == 0, axis=1)
    idx = [[i] for i in np.nonzero(keep)[0]]
    P = P[keep]
    jets = []
    while len(P):
        pt2 = P[:, 1] ** 2 + P[:, 2] ** 2
        if coord == 'rapidity':
            y = 0.5 * np.log((P[:, 0] + P[:, 3]) / (P[:, 0] - P[:, 3]))
        else:
            y = np.arcsinh(P[:, 3] / np.sqrt(pt2))
        phi = np.arctan2(P[:, 2], P[:, 1])
        s = pt2 ** p
        dphi = np.abs(phi[:, None] - phi[None, :])
        dphi = np.where(dphi > np.pi, 2 * np.pi - dphi, dphi)
        d = np.minimum.outer(s, s) * ((y[:, None] - y[None, :]) ** 2 + dphi ** 2) / R ** 2
        np.fill_diagonal(d, np.inf)
        i, j = np.unravel_index(np.argmin(d), d.shape)
        b = np.argmin(s)
        if s[b] <= d[i, j]:
            jets.append({'constituents': sorted(int(k) for k in idx[b]), 'p4': P[b].tolist()})
            P = np.delete(P, b, axis=0)
            del idx[b]
        else:
            P[i] = P[i] + P[j]
            idx[i] = idx[i] + idx[j]
            P = np.delete(P, j, axis=0)
            del idx[j]
    jets.sort(key=lambda j: -np.hypot(j['p4'][1], j['p4'][2]))
    return jets

cases = json.load(sys.stdin)
json.dump([cluster(c['p4'], c['R'], c['p'], c['coord']) for c in cases], sys.stdout)
`;

interface Case {
  p4: number[];
  R: number;
  p: number;
  coord: 'rapidity' | 'pseudorapidity';
}
interface RefJet {
  constituents: number[];
  p4: number[];
}

function reference(cases: Case[]): RefJet[][] {
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RefJet[][];
}

/**
 * A toy event: a few hard centres with collinear, massive or massless particles around them, soft
 * particles anywhere in |η| < 3, some zero padding, and every fifth event straddling φ = ±π.
 */
function toyEvent(seed: number, n: number): number[] {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const centres = Array.from({ length: 1 + Math.floor(u() * 4) }, () => [2.4 * (2 * u() - 1), seed % 5 === 0 ? Math.PI - 0.2 * u() : Math.PI * (2 * u() - 1)]);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 17 === 16) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const hard = u() < 0.6;
    const [c0, c1] = centres[i % centres.length];
    const eta = hard ? c0 + 0.3 * g() : 3 * (2 * u() - 1);
    const phi = hard ? c1 + 0.3 * g() : Math.PI * (2 * u() - 1);
    const pt = hard ? 5 + 100 * u() * u() : 0.3 + 3 * u();
    const m = u() < 0.5 ? 0 : 0.14 + 2 * u();
    const px = pt * Math.cos(phi);
    const py = pt * Math.sin(phi);
    const pz = pt * Math.sinh(eta);
    out.push(Math.sqrt(m * m + pt * pt + pz * pz), px, py, pz);
  }
  return out;
}

describe('kT-family clustering against a brute-force NumPy reference', () => {
  it('gives the same jets (constituent sets and four-momenta) on 90 toy events for anti-kT, C/A and kT', () => {
    const cases: Case[] = [];
    const settings: [number, number, Case['coord']][] = [
      [-1, 0.8, 'rapidity'],
      [-1, 0.4, 'pseudorapidity'],
      [0, 1.0, 'rapidity'],
      [1, 0.6, 'rapidity'],
      [-1, 1.5, 'rapidity'],
      [1, 0.8, 'pseudorapidity'],
    ];
    for (let s = 0; s < 90; s++) {
      const [p, R, coord] = settings[s % settings.length];
      cases.push({ p4: toyEvent(100 + s, 5 + ((s * 37) % 180)), R, p, coord });
    }
    const ref = reference(cases);
    let jets = 0;
    let multi = 0;
    cases.forEach((c, k) => {
      const opts: ClusterOptions = { r: c.R, p: c.p, coordinate: c.coord };
      const ours = clusterJets(c.p4, opts);
      expect(ours.map((j) => j.constituents), `case ${k}`).toEqual(ref[k].map((j) => j.constituents));
      ours.forEach((j, i) => {
        const r = ref[k][i].p4;
        const scale = Math.max(Math.abs(r[0]), 1);
        [j.e, j.px, j.py, j.pz].forEach((v, c4) => expect(Math.abs(v - r[c4]), `case ${k} jet ${i} component ${c4}`).toBeLessThan(1e-9 * scale));
        jets++;
        if (j.constituents.length > 1) multi++;
      });
    });
    // Real clustering happened, not just one-particle jets.
    expect(jets).toBeGreaterThan(500);
    expect(multi).toBeGreaterThan(200);
  });
});

describe('kT-family clustering by hand', () => {
  const massless = (pt: number, eta: number, phi: number): number[] => [pt * Math.cosh(eta), pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta)];

  it('merges two particles closer than R and keeps them apart beyond R, also across φ = ±π', () => {
    const close = [...massless(100, 0, Math.PI - 0.2), ...massless(50, 0, -Math.PI + 0.3)];
    const one = clusterJets(close, { r: 0.8 });
    expect(one).toHaveLength(1);
    expect(one[0].constituents).toEqual([0, 1]);
    expect(one[0].pt).toBeCloseTo(Math.hypot(100 * Math.cos(Math.PI - 0.2) + 50 * Math.cos(-Math.PI + 0.3), 100 * Math.sin(Math.PI - 0.2) + 50 * Math.sin(-Math.PI + 0.3)), 9);
    const far = [...massless(100, 0, 0), ...massless(50, 0.9, 0)];
    expect(clusterJets(far, { r: 0.8 }).map((j) => j.constituents)).toEqual([[0], [1]]);
  });

  it('anti-kT: a hard particle takes every soft particle within R, whatever their positions', () => {
    const p4 = [...massless(500, 0.2, 1), ...massless(1, 0.2 + 0.75, 1), ...massless(1, 0.2 - 0.5, 1 + 0.5), ...massless(1, 0.2 + 0.85, 1)];
    const jets = clusterJets(p4, { r: 0.8 });
    expect(jets[0].constituents).toEqual([0, 1, 2]);
    expect(jets[1].constituents).toEqual([3]);
    expect(jets[0].mass).toBeGreaterThan(0);
  });

  it('skips zero padding, honours ptMin and returns jets hardest first', () => {
    const p4 = [0, 0, 0, 0, ...massless(10, 0, 0), 0, 0, 0, 0, ...massless(30, 2, 2)];
    const jets = clusterJets(p4, { r: 0.4 });
    expect(jets.map((j) => j.constituents)).toEqual([[3], [1]]);
    expect(clusterJets(p4, { r: 0.4, ptMin: 20 }).map((j) => j.constituents)).toEqual([[3]]);
    expect(clusterJets([], { r: 0.4 })).toEqual([]);
  });

  it('rejects bad input with a message naming the problem', () => {
    expect(() => clusterJets([1, 0, 0], { r: 0.4 })).toThrow(/4 numbers per particle/);
    expect(() => clusterJets([1, 0, 0, 0, NaN, 0, 0, 0], { r: 0.4 })).toThrow(/particle 1 has a non-finite component 0/);
    expect(() => clusterJets([], { r: 0 })).toThrow(/R must be a positive number/);
    expect(() => clusterJets([], { r: 0.4, p: NaN })).toThrow(/p must be a finite number/);
  });
});
