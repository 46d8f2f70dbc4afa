// The boosted-jet generator: the shower's Sudakov form factor against a NumPy numerical integration,
// exact four-momentum conservation of shower and hadronisation, and the physics of the generated jets
// (mass peaks, N-subjettiness, multiplicities, cuts) measured with the independent kinematics and
// N-subjettiness code; determinism and slice independence.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { JET_PROCESSES, generateJets, type JetProcess } from '../../../src/main/engine/data/generators/jets';
import {
  DEFAULT_FRAGMENTATION,
  DEFAULT_SHOWER,
  PartonShower,
  hadronise,
  hadroniseLone,
  type Flavour,
  type Rng,
  type ShowerNode,
} from '../../../src/main/engine/data/generators/parton-shower';
import { invariantMass, jetKinematics, pseudorapidity, wrapDeltaPhi } from '@shared/physics/kinematics';
import { twoBodyDecay } from '@shared/physics/lorentz';
import { nsubjettinessRatios } from '@shared/physics/nsubjettiness';
import { mulberry32, normalSampler } from '@shared/random';

function rngOf(seed: number): Rng {
  const uniform = mulberry32(seed);
  return { uniform, gauss: normalSampler(uniform) };
}

const median = (xs: ArrayLike<number>): number => {
  const s = Array.from(xs).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const sum4 = (flat: ArrayLike<number>): number[] => {
  const s = [0, 0, 0, 0];
  for (let i = 0; i < flat.length; i++) s[i % 4] += flat[i];
  return s;
};

// Δ(t) = exp(−∫_t^tMax dt'/t' ∫ dz α_s(z(1−z)t')/(2π) P(z)) over z(1−z)t' > q0² and t'/(2z(1−z)E²) < ζmax:
// the probability that the first branching is below t, by quadrature (z in logit, t in log).
const PYTHON_SUDAKOV = String.raw`
import json, sys
import numpy as np
c = json.load(sys.stdin)
E, tmax, zmax, q0, a_mz, fl = c['E'], c['tMax'], c['zetaMax'], c['q0'], c['alphaSMZ'], c['flavour']
nf = 5
b0 = (33 - 2 * nf) / (12 * np.pi)
lam2 = 91.1876 ** 2 * np.exp(-1 / (b0 * a_mz))
alphas = lambda k2: 1 / (b0 * np.log(k2 / lam2))
def P(z):
    if fl == 'q':
        return 4 / 3 * (1 + z ** 2) / (1 - z)
    return 3 * (1 - z * (1 - z)) ** 2 / (z * (1 - z)) + nf * 0.5 * (z ** 2 + (1 - z) ** 2)
def rate(t):  # dP/dln t
    cmin = max(q0 ** 2 / t, t / (2 * E ** 2 * zmax))
    if cmin >= 0.25:
        return 0.0
    zlo = (1 - np.sqrt(1 - 4 * cmin)) / 2
    v = np.linspace(np.log(zlo / (1 - zlo)), np.log((1 - zlo) / zlo), 4001)
    z = 1 / (1 + np.exp(-v))
    f = alphas(z * (1 - z) * t) / (2 * np.pi) * P(z) * z * (1 - z)
    return np.trapz(f, v)
lt = np.linspace(np.log(4 * q0 ** 2), np.log(tmax), 3001)
r = np.array([rate(np.exp(x)) for x in lt])
S = np.concatenate([np.cumsum(((r[1:] + r[:-1]) / 2 * np.diff(lt))[::-1])[::-1], [0.0]])
json.dump([float(np.exp(-np.interp(np.log(t), lt, S))) for t in c['ts']], sys.stdout)
`;

function sudakovReference(flavour: Flavour, e: number, tMax: number, zetaMax: number, ts: number[]): number[] {
  const input = JSON.stringify({ E: e, tMax, zetaMax, q0: DEFAULT_SHOWER.q0, alphaSMZ: DEFAULT_SHOWER.alphaSMZ, flavour, ts });
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON_SUDAKOV], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[];
}

/** Every branching of a history, with its mother. */
function branchings(node: ShowerNode, out: ShowerNode[] = []): ShowerNode[] {
  if (node.daughters) {
    out.push(node);
    branchings(node.daughters[0], out);
    branchings(node.daughters[1], out);
  }
  return out;
}

describe('parton shower', () => {
  it('draws the first branching with the Sudakov form factor of a NumPy quadrature (quark and gluon)', () => {
    const e = 300;
    const tMax = e * e;
    const ts = Array.from({ length: 16 }, (_, k) => 4 * Math.exp((k / 15) * Math.log(tMax / 4.5)));
    for (const [flavour, seed] of [['q', 11], ['g', 12]] as const) {
      const shower = new PartonShower(rngOf(seed));
      const first = Array.from({ length: 3000 }, () => shower.evolve(flavour, e, tMax, 1).t);
      const ref = sudakovReference(flavour, e, tMax, 1, ts);
      ts.forEach((t, k) => {
        const empirical = first.filter((x) => x < t).length / first.length;
        expect(Math.abs(empirical - ref[k]), `${flavour}: P(t1 < ${t.toFixed(1)}) = ${empirical} vs ${ref[k]}`).toBeLessThan(0.03);
      });
      // The comparison covers the bulk of the distribution, not only its ends.
      expect(ref[0]).toBeLessThan(0.2);
      expect(ref[ts.length - 1]).toBeGreaterThan(0.8);
    }
  });

  it('conserves four-momentum exactly; final partons are massless; branchings respect cutoff, masses and angular ordering', () => {
    const rng = rngOf(21);
    const shower = new PartonShower(rng);
    const q02 = DEFAULT_SHOWER.q0 ** 2;
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const flavour: Flavour = i % 2 ? 'q' : 'g';
      const p = 50 + 950 * rng.uniform();
      const root = shower.evolve(flavour, p, p * p, 1);
      const cos = 2 * rng.uniform() - 1;
      const phi = 2 * Math.PI * rng.uniform();
      const s = Math.sqrt(1 - cos * cos);
      const parent = [Math.hypot(p, Math.sqrt(root.t)), p * s * Math.cos(phi), p * s * Math.sin(phi), p * cos];
      const partons: number[] = [];
      shower.realise(root, parent, partons);
      const sum = sum4(partons);
      for (let c = 0; c < 4; c++) expect(Math.abs(sum[c] - parent[c]), `event ${i} component ${c}`).toBeLessThan(1e-9 * parent[0]);
      for (let k = 0; k < partons.length; k += 4) {
        const [e, x, y, z] = partons.slice(k, k + 4);
        expect(Math.abs(e * e - x * x - y * y - z * z)).toBeLessThan(1e-9 * e * e);
        expect(e).toBeGreaterThan(0);
      }
      const all = branchings(root);
      total += all.length;
      for (const b of all) {
        const [d1, d2] = b.daughters!;
        expect(b.z * (1 - b.z) * b.t).toBeGreaterThan(q02);
        expect(Math.sqrt(d1.t) + Math.sqrt(d2.t)).toBeLessThan(Math.sqrt(b.t));
        const zeta = b.t / (2 * b.z * (1 - b.z) * b.e * b.e);
        for (const d of [d1, d2]) if (d.daughters) expect(d.t / (2 * d.z * (1 - d.z) * d.e * d.e)).toBeLessThan(zeta);
        expect(d1.e + d2.e).toBeCloseTo(b.e, 9);
        const kinds = [d1.flavour, d2.flavour].sort().join('');
        expect(b.flavour === 'q' ? ['gq'] : ['gg', 'qq']).toContain(kinds);
      }
    }
    // A real cascade: several branchings per initiator on average.
    expect(total).toBeGreaterThan(60 * 3);
  });

  it('decays at rest and in flight conserve four-momentum and give the requested masses', () => {
    const p = [700, 300, -200, 550];
    const [a, b] = twoBodyDecay(p, 5, 80.4, 0.3, 1.1);
    const total = [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
    total.forEach((v, c) => expect(v).toBeCloseTo(p[c], 9));
    expect(invariantMass(a[0], a[1], a[2], a[3])).toBeCloseTo(5, 6);
    expect(invariantMass(b[0], b[1], b[2], b[3])).toBeCloseTo(80.4, 6);
    expect(() => twoBodyDecay([10, 0, 0, 0], 6, 6, 0, 0)).toThrow(/cannot decay/);
  });

  it('hadronises into pions whose total four-momentum equals the partons\u2019', () => {
    const rng = rngOf(31);
    const shower = new PartonShower(rng);
    for (let i = 0; i < 30; i++) {
      const m = 80.4;
      const [a, b] = shower.evolvePair('q', m / 2, (m / 2) ** 2, 'q', m / 2, (m / 2) ** 2, m, 1);
      const quarks = twoBodyDecay([m, 0, 0, 0], Math.sqrt(a.t), Math.sqrt(b.t), 2 * rng.uniform() - 1, 1);
      const partons: number[] = [];
      shower.realise(a, quarks[0], partons);
      shower.realise(b, quarks[1], partons);
      const hadrons = hadronise(partons, rng);
      expect(hadrons.length / 4).toBeGreaterThan(partons.length / 4);
      const [ht, pt] = [sum4(hadrons), sum4(partons)];
      for (let c = 0; c < 4; c++) expect(Math.abs(ht[c] - pt[c])).toBeLessThan(1e-9 * m);
      for (let k = 0; k < hadrons.length; k += 4) {
        expect(invariantMass(hadrons[k], hadrons[k + 1], hadrons[k + 2], hadrons[k + 3])).toBeCloseTo(DEFAULT_FRAGMENTATION.hadronMass, 5);
      }
    }
  });
});

describe('lone-parton hadronisation', () => {
  it('keeps the parton\u2019s three-momentum exactly and adds only the hadron system\u2019s mass to its energy', () => {
    const rng = rngOf(41);
    let many = 0;
    for (let i = 0; i < 40; i++) {
      const p = 600 * (0.5 + rng.uniform());
      const parton = [p, p * 0.6, -p * 0.48, p * 0.64];
      const hadrons = hadroniseLone(parton, rng, 10);
      const [e, x, y, z] = sum4(hadrons);
      [x, y, z].forEach((v, c) => expect(Math.abs(v - parton[c + 1])).toBeLessThan(1e-9 * p));
      const m = invariantMass(e, x, y, z);
      expect(m).toBeLessThan(10);
      expect(Math.abs(e - Math.hypot(p, m))).toBeLessThan(1e-9 * p);
      if (hadrons.length >= 16) many++;
      for (let k = 0; k < hadrons.length; k += 4) {
        const cos = (hadrons[k + 1] * x + hadrons[k + 2] * y + hadrons[k + 3] * z) / (Math.hypot(hadrons[k + 1], hadrons[k + 2], hadrons[k + 3]) * p);
        expect(cos).toBeGreaterThan(Math.cos(0.8));
      }
    }
    expect(many).toBeGreaterThan(30);
  });
});

interface Sample {
  p4: Float32Array;
  truth: Float32Array;
  labels: Int8Array;
  mass: Float64Array;
  pt: Float64Array;
  eta: Float64Array;
  phi: Float64Array;
  multiplicity: Int32Array;
  tau21: number[];
  tau32: number[];
}

const N = 300;
const C = 200;
const samples = new Map<JetProcess, Sample>();

function sample(process: JetProcess): Sample {
  const cached = samples.get(process);
  if (cached) return cached;
  const t0 = performance.now();
  const chunk = generateJets({ process, seed: 7 }, 0, N);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`jets generator: ${process}: ${N} jets in ${seconds.toFixed(2)} s (${Math.round(N / seconds)} jets/s)`);
  const k = jetKinematics(chunk.p4, N, C);
  const tau21: number[] = [];
  const tau32: number[] = [];
  for (let j = 0; j < N; j++) {
    const jet = { e: [] as number[], px: [] as number[], py: [] as number[], pz: [] as number[] };
    for (let c = 0, o = j * C * 4; c < C; c++, o += 4) {
      if (!(chunk.p4[o] > 0)) continue;
      jet.e.push(chunk.p4[o]);
      jet.px.push(chunk.p4[o + 1]);
      jet.py.push(chunk.p4[o + 2]);
      jet.pz.push(chunk.p4[o + 3]);
    }
    const r = nsubjettinessRatios(jet);
    tau21.push(r.tau21);
    tau32.push(r.tau32);
  }
  const s = { ...chunk, ...k, tau21, tau32 };
  samples.set(process, s);
  return s;
}

describe('generated jets', () => {
  it('pass the Top Tagging cuts and layout: pT in [550, 650], |η| < 2, pT-ordered, zero-padded, labels', () => {
    for (const process of JET_PROCESSES) {
      const s = sample(process);
      expect(s.p4).toHaveLength(N * C * 4);
      expect(s.truth).toHaveLength(N * 4);
      expect(Array.from(s.labels)).toEqual(new Array(N).fill(process === 'qcd' ? 0 : 1));
      for (let j = 0; j < N; j++) {
        expect(s.pt[j], `${process} jet ${j} pT`).toBeGreaterThanOrEqual(550);
        expect(s.pt[j], `${process} jet ${j} pT`).toBeLessThanOrEqual(650);
        expect(Math.abs(s.eta[j]), `${process} jet ${j} eta`).toBeLessThan(2);
        let prev = Infinity;
        let padded = false;
        for (let c = 0, o = j * C * 4; c < C; c++, o += 4) {
          const row = Array.from(s.p4.subarray(o, o + 4));
          if (row[0] > 0) {
            expect(padded, `${process} jet ${j}: a constituent after padding`).toBe(false);
            const pt = Math.hypot(row[1], row[2]);
            expect(pt).toBeLessThanOrEqual(prev);
            prev = pt;
          } else {
            padded = true;
            expect(row).toEqual([0, 0, 0, 0]);
          }
        }
      }
    }
  });

  it('have jet-mass peaks at the top and W masses and a falling QCD mass', () => {
    const top = sample('top').mass;
    const w = sample('w').mass;
    const qcd = sample('qcd').mass;
    expect(median(top)).toBeGreaterThan(150);
    expect(median(top)).toBeLessThan(195);
    // Mode: the most populated 10 GeV bin.
    const hist = new Array(30).fill(0);
    for (const m of top) hist[Math.min(29, Math.floor(m / 10))]++;
    expect(hist.indexOf(Math.max(...hist)) * 10).toBeGreaterThanOrEqual(150);
    expect(hist.indexOf(Math.max(...hist)) * 10).toBeLessThan(190);
    expect(median(w)).toBeGreaterThan(72);
    expect(median(w)).toBeLessThan(88);
    expect(median(qcd)).toBeLessThan(70);
    expect(qcd.filter((m) => m < 50).length).toBeGreaterThan(qcd.filter((m) => m >= 150).length * 2);
  });

  it('have truth four-momenta with the parent masses, inside the jet', () => {
    const masses: Record<JetProcess, [number, number]> = { top: [173 - 7.1, 173 + 7.1], w: [80.4 - 10.5, 80.4 + 10.5], qcd: [-1, 650] }; // a nearly massless QCD parton can round to m = 0 in float32
    for (const process of JET_PROCESSES) {
      const s = sample(process);
      for (let j = 0; j < N; j++) {
        const [e, x, y, z] = Array.from(s.truth.subarray(4 * j, 4 * j + 4));
        const m = invariantMass(e, x, y, z);
        expect(m).toBeGreaterThan(masses[process][0]);
        expect(m).toBeLessThan(masses[process][1]);
        const dEta = pseudorapidity(x, y, z) - s.eta[j];
        const dPhi = wrapDeltaPhi(Math.atan2(y, x) - s.phi[j]);
        expect(Math.hypot(dEta, dPhi), `${process} jet ${j}`).toBeLessThan(0.8);
      }
    }
  });

  it('have more constituents for top than for QCD, and prong structure in N-subjettiness', () => {
    const top = sample('top');
    const w = sample('w');
    const qcd = sample('qcd');
    expect(mean(top.multiplicity)).toBeGreaterThan(mean(qcd.multiplicity) + 5);
    expect(mean(qcd.multiplicity)).toBeGreaterThan(20);
    expect(mean(top.multiplicity)).toBeLessThan(120);
    expect(median(top.tau32)).toBeLessThan(median(qcd.tau32) - 0.1);
    expect(median(w.tau21)).toBeLessThan(median(qcd.tau21) - 0.1);
  });
});

describe('generator determinism', () => {
  it('gives the same numbers for a slice generated alone, and again on a second call', () => {
    for (const process of JET_PROCESSES) {
      const spec = { process, seed: 3, constituents: 60 };
      const all = generateJets(spec, 0, 30);
      const part = generateJets(spec, 20, 10);
      expect(part.p4).toEqual(all.p4.subarray(20 * 60 * 4, 30 * 60 * 4));
      expect(part.truth).toEqual(all.truth.subarray(20 * 4, 30 * 4));
      expect(generateJets(spec, 20, 10)).toEqual(part);
      expect(generateJets({ ...spec, seed: 4 }, 20, 10).p4).not.toEqual(part.p4);
    }
  });

  it('stores the hardest constituents of the same jet whatever the constituent count', () => {
    const wide = generateJets({ process: 'top', seed: 5 }, 0, 5);
    const narrow = generateJets({ process: 'top', seed: 5, constituents: 20 }, 0, 5);
    for (let j = 0; j < 5; j++) {
      expect(narrow.p4.subarray(j * 80, (j + 1) * 80)).toEqual(wide.p4.subarray(j * 800, j * 800 + 80));
    }
    expect(narrow.truth).toEqual(wide.truth);
  });

  it('rejects a bad spec with a message naming the problem', () => {
    expect(() => generateJets({ process: 'zprime' as JetProcess, seed: 1 }, 0, 1)).toThrow(/unknown process 'zprime'/);
    expect(() => generateJets({ process: 'qcd', seed: 1.5 }, 0, 1)).toThrow(/seed must be an integer/);
    expect(() => generateJets({ process: 'qcd', seed: 1, constituents: 0 }, 0, 1)).toThrow(/constituents must be a positive integer/);
    expect(() => generateJets({ process: 'qcd', seed: 1 }, -1, 1)).toThrow(/start must be/);
    expect(() => generateJets({ process: 'qcd', seed: 1 }, 0, 2.5)).toThrow(/count must be/);
    expect(generateJets({ process: 'w', seed: 1 }, 0, 0).p4).toHaveLength(0);
  });
});
