// The ADC2021-layout event generator: layout invariants of every event, the physics of the SM channels and
// signals (masses computed here from the stored (pT, η, φ), independently of the generator's helpers),
// cocktail fractions, and slice independence.
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, EVENT_PROCESSES, generateEvents, type EventProcess } from '../../../src/main/engine/data/generators/events';

const ROW = 19 * 4;
/** Class each slot may hold (physics.md §1.2): 0 MET, 1–4 electrons, 5–8 muons, 9–18 jets. */
const SLOT_CLASS = Array.from({ length: 19 }, (_, s) => (s === 0 ? 1 : s <= 4 ? 2 : s <= 8 ? 3 : 4));
const CLASS_RANGES: [number, number][] = [
  [1, 5],
  [5, 9],
  [9, 19],
];

interface Obj {
  pt: number;
  eta: number;
  phi: number;
}

/** Objects of one event in slots [lo, hi), in slot order. */
function objects(p: Float32Array, i: number, lo: number, hi: number): Obj[] {
  const out: Obj[] = [];
  for (let s = lo; s < hi; s++) {
    const o = i * ROW + s * 4;
    if (p[o] > 0) out.push({ pt: p[o], eta: p[o + 1], phi: p[o + 2] });
  }
  return out;
}
const electrons = (p: Float32Array, i: number) => objects(p, i, 1, 5);
const muons = (p: Float32Array, i: number) => objects(p, i, 5, 9);

/** Invariant mass of massless objects: E = pT cosh η, pz = pT sinh η. */
function mass(objs: Obj[]): number {
  let [e, x, y, z] = [0, 0, 0, 0];
  for (const { pt, eta, phi } of objs) {
    e += pt * Math.cosh(eta);
    x += pt * Math.cos(phi);
    y += pt * Math.sin(phi);
    z += pt * Math.sinh(eta);
  }
  return Math.sqrt(Math.max(0, e * e - x * x - y * y - z * z));
}

/** Transverse mass of a lepton and the MET (slot 0). */
function transverseMass(p: Float32Array, i: number, l: Obj): number {
  const met = p[i * ROW];
  const metPhi = p[i * ROW + 2];
  return Math.sqrt(2 * l.pt * met * (1 - Math.cos(l.phi - metPhi)));
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))];
}

/** Centre of the fullest bin of a histogram over [lo, hi). */
function mode(values: number[], lo: number, hi: number, width: number): number {
  const h = new Array(Math.round((hi - lo) / width)).fill(0);
  for (const v of values) if (v >= lo && v < hi) h[Math.floor((v - lo) / width)]++;
  return lo + (h.indexOf(Math.max(...h)) + 0.5) * width;
}

const SM_N = 20_000;
const sm = generateEvents({ process: 'sm', seed: 7 }, 0, SM_N);
const SIGNAL_N = 2_000;
const signals = new Map(
  EVENT_PROCESSES.filter((p) => p !== 'sm').map((p) => [p, generateEvents({ process: p, seed: 11 }, 0, SIGNAL_N)] as const),
);
const chunk = (p: EventProcess) => (p === 'sm' ? sm : signals.get(p)!);

/** Every way event i breaks the layout, acceptance or trigger (empty when it is valid). */
function layoutProblems(p: Float32Array, i: number, nChannels: number, channel: number): string[] {
  const bad: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) bad.push(`event ${i}: ${what}`);
  };
  check(channel >= 0 && channel < nChannels, `channel ${channel}`);
  const o = i * ROW;
  for (let k = 0; k < ROW; k++) check(Number.isFinite(p[o + k]), `value ${k} not finite`);
  check(p[o + 3] === 1 && p[o + 1] === 0 && p[o] >= 0, 'MET slot: class 1, η 0, pT ≥ 0');
  for (let s = 0; s < 19; s++) {
    const [pt, eta, phi, cls] = p.subarray(o + s * 4, o + s * 4 + 4);
    if (cls === 0) {
      check(pt === 0 && eta === 0 && phi === 0, `empty slot ${s} not all zero`);
      continue;
    }
    check(cls === SLOT_CLASS[s], `slot ${s} holds class ${cls}`);
    check(phi > -Math.PI && phi <= Math.fround(Math.PI), `slot ${s} φ = ${phi}`);
    if (cls === 2) check(pt >= 3 && Math.abs(eta) < 3, `electron slot ${s} outside acceptance`);
    if (cls === 3) check(pt >= 3 && Math.abs(eta) < 2.1, `muon slot ${s} outside acceptance`);
    if (cls === 4) check(pt >= 15 && Math.abs(eta) < 4, `jet slot ${s} outside acceptance`);
  }
  for (const [lo, hi] of CLASS_RANGES) {
    // Filled slots come first, pT-ordered; the rest are empty.
    for (let s = lo + 1; s < hi; s++) {
      check(p[o + s * 4] <= p[o + (s - 1) * 4], `slot ${s} has more pT than slot ${s - 1}`);
      check(p[o + (s - 1) * 4 + 3] !== 0 || p[o + s * 4 + 3] === 0, `slot ${s} filled after an empty slot`);
    }
  }
  check(p[o + 4] > 23 || p[o + 20] > 23, 'no electron or muon above 23 GeV (trigger)');
  return bad;
}

describe('every event follows the ADC2021 layout, acceptance and trigger', () => {
  for (const process of EVENT_PROCESSES) {
    it(process, () => {
      const { particles: p, channels } = chunk(process);
      expect(p.length).toBe(channels.length * ROW);
      const bad = Array.from(channels, (c, i) => layoutProblems(p, i, EVENT_CHANNELS[process].length, c)).flat();
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('the checks catch a broken event', () => {
    const p = sm.particles.slice(0, 3 * ROW);
    p[ROW + 9 * 4 + 1] = 4.5; // jet |η| > 4
    p[2 * ROW + 20] = p[2 * ROW + 4] = 10; // no trigger lepton
    expect(layoutProblems(p, 0, 4, 0)).toEqual([]);
    expect(layoutProblems(p, 1, 4, 0).length + layoutProblems(p, 2, 4, 0).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the 'sm' cocktail", () => {
  it('channel fractions match W 59.2 %, Z 6.7 %, tt̄ 0.3 %, QCD 33.8 % within 4 binomial σ', () => {
    const counts = [0, 0, 0, 0];
    for (const c of sm.channels) counts[c]++;
    [0.592, 0.067, 0.003, 0.338].forEach((f, k) => {
      expect(Math.abs(counts[k] - SM_N * f)).toBeLessThan(4 * Math.sqrt(SM_N * f * (1 - f)));
    });
  });

  it('Z → ℓℓ: the same-flavour dilepton mass peaks at 91 GeV', () => {
    const m: number[] = [];
    for (let i = 0; i < SM_N; i++) {
      if (sm.channels[i] !== 1) continue;
      for (const ls of [electrons(sm.particles, i), muons(sm.particles, i)]) if (ls.length >= 2) m.push(mass(ls.slice(0, 2)));
    }
    expect(m.length).toBeGreaterThan(500);
    expect(Math.abs(mode(m, 70, 110, 2) - 91.19)).toBeLessThanOrEqual(3);
    expect(Math.abs(quantile(m.filter((v) => v > 81 && v < 101), 0.5) - 91.19)).toBeLessThan(1);
  });

  it('W → ℓν: the transverse mass of the lepton and MET has its Jacobian peak just below 80 GeV', () => {
    const mt: number[] = [];
    for (let i = 0; i < SM_N; i++) {
      const ls = [...electrons(sm.particles, i), ...muons(sm.particles, i)];
      if (sm.channels[i] === 0 && ls.length === 1) mt.push(transverseMass(sm.particles, i, ls[0]));
    }
    expect(mt.length).toBeGreaterThan(5000);
    const frac = (lo: number, hi: number) => mt.filter((v) => v > lo && v < hi).length / mt.length;
    expect(frac(60, 90)).toBeGreaterThan(0.4);
    expect(frac(100, Infinity)).toBeLessThan(0.05); // the edge: m_T ≤ m_W up to width and resolution
    // Most events sit just below the edge: the upper quartile lies at m_W within resolution.
    expect(Math.abs(quantile(mt, 0.75) - 80.4)).toBeLessThan(4);
  });

  it('QCD events carry a lepton close to a jet (non-isolated, from heavy flavour); W leptons are isolated', () => {
    const nearJet = (ch: number) => {
      let near = 0;
      let all = 0;
      for (let i = 0; i < SM_N; i++) {
        if (sm.channels[i] !== ch) continue;
        const ls = [...electrons(sm.particles, i), ...muons(sm.particles, i)].sort((a, b) => b.pt - a.pt);
        const jets = objects(sm.particles, i, 9, 19);
        const dr = (j: Obj) => Math.hypot(j.eta - ls[0].eta, Math.atan2(Math.sin(j.phi - ls[0].phi), Math.cos(j.phi - ls[0].phi)));
        all++;
        if (jets.some((j) => dr(j) < 0.4)) near++;
      }
      return near / all;
    };
    expect(nearJet(3)).toBeGreaterThan(0.5);
    expect(nearJet(0)).toBeLessThan(0.1);
  });
});

describe('signals', () => {
  it('A → 4ℓ: four-lepton events have m_4ℓ at m_A = 50 GeV', () => {
    const { particles: p } = signals.get('ato4l')!;
    const m: number[] = [];
    for (let i = 0; i < SIGNAL_N; i++) {
      const ls = [...electrons(p, i), ...muons(p, i)];
      if (ls.length === 4) m.push(mass(ls));
    }
    expect(m.length).toBeGreaterThan(300);
    expect(Math.abs(quantile(m, 0.5) - 50)).toBeLessThan(1);
    expect(m.filter((v) => v > 45 && v < 55).length / m.length).toBeGreaterThan(0.8);
  });

  it('h± → τν: m_T(ℓ, MET) ends near m_h± = 60 GeV, well below the W edge', () => {
    const { particles: p } = signals.get('hplus-taunu')!;
    const mt: number[] = [];
    for (let i = 0; i < SIGNAL_N; i++) {
      const ls = [...electrons(p, i), ...muons(p, i)];
      if (ls.length === 1) mt.push(transverseMass(p, i, ls[0]));
    }
    expect(quantile(mt, 0.95)).toBeGreaterThan(50);
    expect(quantile(mt, 0.95)).toBeLessThan(70);
  });

  it('h0 → ττ, lep-lep: the visible dilepton mass stays below m_h0 = 60 GeV', () => {
    const { particles: p, channels } = signals.get('h0-tautau')!;
    const m: number[] = [];
    for (let i = 0; i < SIGNAL_N; i++) {
      const ls = [...electrons(p, i), ...muons(p, i)];
      if (channels[i] === 0 && ls.length === 2) m.push(mass(ls));
    }
    expect(m.length).toBeGreaterThan(100);
    expect(quantile(m, 0.98)).toBeLessThan(62);
  });

  it('LQ → bτ pairs: the events have more jets and more MET than the SM cocktail', () => {
    const mean = (c: { particles: Float32Array; channels: Int8Array }, f: (i: number) => number) =>
      Array.from({ length: c.channels.length }, (_, i) => f(i)).reduce((a, b) => a + b, 0) / c.channels.length;
    const lq = signals.get('lq-btau')!;
    const nJets = (c: typeof lq) => mean(c, (i) => objects(c.particles, i, 9, 19).length);
    const met = (c: typeof lq) => mean(c, (i) => c.particles[i * ROW]);
    expect(nJets(lq)).toBeGreaterThan(nJets(sm) + 1);
    expect(met(lq)).toBeGreaterThan(met(sm));
  });
});

describe('reproducibility', () => {
  it('a slice equals the same rows of a bigger call, in any process', () => {
    for (const process of EVENT_PROCESSES) {
      const all = generateEvents({ process, seed: 5 }, 0, 120);
      const part = generateEvents({ process, seed: 5 }, 47, 30);
      expect(part.particles).toEqual(all.particles.subarray(47 * ROW, 77 * ROW));
      expect(part.channels).toEqual(all.channels.subarray(47, 77));
    }
  });

  it('the same seed gives the same events; another seed or process gives others', () => {
    const a = generateEvents({ process: 'sm', seed: 1 }, 0, 50).particles;
    expect(generateEvents({ process: 'sm', seed: 1 }, 0, 50).particles).toEqual(a);
    expect(generateEvents({ process: 'sm', seed: 2 }, 0, 50).particles).not.toEqual(a);
    expect(generateEvents({ process: 'h0-tautau', seed: 1 }, 0, 50).particles).not.toEqual(a);
  });

  it('rejects bad arguments with a message naming the problem', () => {
    expect(() => generateEvents({ process: 'zz' as EventProcess, seed: 1 }, 0, 1)).toThrow(/unknown process 'zz'/);
    expect(() => generateEvents({ process: 'sm', seed: 1.5 }, 0, 1)).toThrow(/seed must be an integer/);
    expect(() => generateEvents({ process: 'sm', seed: 1 }, -1, 1)).toThrow(/start must be/);
    expect(() => generateEvents({ process: 'sm', seed: 1 }, 0, 2.5)).toThrow(/count must be/);
  });
});
