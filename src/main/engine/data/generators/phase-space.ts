// Massless n-particle phase-space events at fixed √s (the "mock bump hunt" of Batson, Haaf, Kahn, Roberts,
// arXiv:2102.08380), optionally with a resonance signal: events in which particles 0 and 1 come from the decay of
// a particle of mass M, so their pair invariant mass is exactly M.
import { mulberry32, permutation } from '@shared/random';
import { boostFromRest } from '@shared/physics/lorentz';
import { rambo } from '@shared/physics/rambo';

export interface PhaseSpaceSignal {
  /** Fraction of the events that are signal; round(fraction·events) events get label 1. */
  fraction: number;
  /** Resonance mass, 0 < M < √s. */
  mass: number;
}

export interface PhaseSpaceSpec {
  /** Particles per event, ≥ 2 (≥ 3 with a signal). */
  particles: number;
  sqrtS: number;
  events: number;
  seed: number;
  signal?: PhaseSpaceSignal;
}

export interface PhaseSpaceSample {
  /** events × particles × 4, row-major, each particle (E, px, py, pz), in the centre-of-mass frame. */
  momenta: Float64Array;
  /** 1 for signal, 0 for background. */
  labels: Uint8Array;
  /** Invariant mass of particles 0 and 1 of each event. */
  pairMass: Float64Array;
}

/** Writes an isotropic massless pair with energies e each, back to back, into out[o..o+8). */
function backToBack(e: number, u: () => number, out: Float64Array, o: number): void {
  const c = 2 * u() - 1;
  const s = Math.sqrt(1 - c * c);
  const f = 2 * Math.PI * u();
  const px = e * s * Math.cos(f);
  const py = e * s * Math.sin(f);
  const pz = e * c;
  out.set([e, px, py, pz, e, -px, -py, -pz], o);
}

/**
 * One signal event, a sample of Lorentz-invariant phase space for √s → X + (n−2) massless particles with
 * m_X = M, followed by the isotropic decay X → 2 massless particles (particles 0 and 1) in the X rest frame.
 * Phase space factorises as dΦ(P; X, k…) = dΦ₂(P; X, Q) dQ² dΦ_{n−2}(Q; k…): the recoil mass² t = Q² has density
 * ∝ λ^½(s, M², t) · t^(n−4) on [0, (√s − M)²] (massless (n−2)-body volume ∝ t^(n−4)), drawn as t ∝ u^(1/(n−3))
 * and accepted with probability λ^½(s, M², t)/(s − M²), which is ≤ 1 because λ^½ decreases in t there.
 */
function signalEvent(n: number, sqrtS: number, mass: number, u: () => number): Float64Array {
  const s = sqrtS * sqrtS;
  const m2 = mass * mass;
  let t = 0;
  if (n > 3) {
    const tMax = (sqrtS - mass) ** 2;
    let lam: number;
    do {
      t = tMax * Math.pow(u(), 1 / (n - 3));
      lam = Math.sqrt(Math.max(0, (s - m2 - t) ** 2 - 4 * m2 * t));
    } while (t === 0 || u() * (s - m2) > lam); // t = 0 (u() exactly 0) would leave no mass for the recoil system
  }
  const out = new Float64Array(4 * n);
  // √s → X + Q, isotropic, in the centre-of-mass frame.
  const pStar = Math.sqrt(Math.max(0, (s - m2 - t) ** 2 - 4 * m2 * t)) / (2 * sqrtS);
  const two = new Float64Array(8);
  backToBack(pStar, u, two, 0);
  const x = [(s + m2 - t) / (2 * sqrtS), two[1], two[2], two[3]];
  const q = [(s - m2 + t) / (2 * sqrtS), two[5], two[6], two[7]];
  // X → particles 0 and 1, isotropic in the X rest frame.
  backToBack(mass / 2, u, out, 0);
  boostFromRest(out, x, mass, 0);
  boostFromRest(out, x, mass, 4);
  if (n === 3) {
    out.set(q, 8); // Q is the single massless recoil particle.
  } else {
    const mq = Math.sqrt(t);
    out.set(rambo(n - 2, mq, u), 8);
    for (let i = 2; i < n; i++) boostFromRest(out, q, mq, 4 * i);
  }
  return out;
}

function pairMass(p: Float64Array, o: number): number {
  const e = p[o] + p[o + 4];
  const x = p[o + 1] + p[o + 5];
  const y = p[o + 2] + p[o + 6];
  const z = p[o + 3] + p[o + 7];
  return Math.sqrt(Math.max(0, e * e - x * x - y * y - z * z));
}

/** Samples `events` events; which ones are signal is a seeded random subset. */
export function samplePhaseSpace(spec: PhaseSpaceSpec): PhaseSpaceSample {
  const { particles: n, sqrtS, events } = spec;
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`phase space: particles must be an integer ≥ 2, got ${n}`);
  if (!(Number.isFinite(sqrtS) && sqrtS > 0)) throw new Error(`phase space: √s must be a positive number, got ${sqrtS}`);
  if (!(Number.isInteger(events) && events >= 0)) throw new Error(`phase space: events must be a non-negative integer, got ${events}`);
  const u = mulberry32(spec.seed);
  const labels = new Uint8Array(events);
  if (spec.signal) {
    const { fraction, mass } = spec.signal;
    if (n < 3) throw new Error('phase space signal: needs at least 3 particles (a resonance pair plus a recoil)');
    if (!(fraction >= 0 && fraction <= 1)) throw new Error(`phase space signal: fraction must be in [0, 1], got ${fraction}`);
    if (!(mass > 0 && mass < sqrtS)) throw new Error(`phase space signal: mass must be in (0, √s = ${sqrtS}), got ${mass}`);
    const perm = permutation(events, u);
    const k = Math.round(fraction * events);
    for (let i = 0; i < k; i++) labels[perm[i]] = 1;
  }
  const momenta = new Float64Array(events * 4 * n);
  const masses = new Float64Array(events);
  for (let i = 0; i < events; i++) {
    const p = labels[i] ? signalEvent(n, sqrtS, spec.signal!.mass, u) : rambo(n, sqrtS, u);
    momenta.set(p, i * 4 * n);
    masses[i] = pairMass(p, 0);
  }
  return { momenta, labels, pairMass: masses };
}
