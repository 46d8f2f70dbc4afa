// Built-in generator of CMS ADC2021-layout events (physics.md §1.2, §5): a Standard-Model cocktail and the
// four ADC2021 signals, as (pT, η, φ, class) in 19 fixed slots, at √s = 13 TeV.
//
// This is a parton-level toy with a simple detector, not a Monte Carlo event generator: resonances are
// produced with a falling pT spectrum and a broad rapidity distribution, decayed isotropically in their rest
// frames (spin correlations ignored), τ leptons decay in the collinear approximation, initial-state radiation
// is two jets balancing the hard system's pT, pile-up adds a few soft jets, and objects are smeared with
// simple resolutions. Event i depends only on (seed, process, i), so any slice can be generated alone.
import { azimuth, pseudorapidity } from '@shared/physics/kinematics';
import { boostFromRest, restFrameMomentum } from '@shared/physics/lorentz';
import { itemSeed, mulberry32, normalSampler } from '@shared/random';

export type EventProcess = 'sm' | 'ato4l' | 'lq-btau' | 'h0-tautau' | 'hplus-taunu';
export const EVENT_PROCESSES: readonly EventProcess[] = ['sm', 'ato4l', 'lq-btau', 'h0-tautau', 'hplus-taunu'];

/** Names of the channel codes of each process, index = code in EventChunk.channels. */
export const EVENT_CHANNELS: Record<EventProcess, readonly string[]> = {
  sm: ['W->lnu', 'Z->ll', 'ttbar', 'QCD'],
  ato4l: ['4e', '4mu', '2e2mu'],
  // Decay modes of the two τ leptons; had-had events have no e/μ and never pass the lepton trigger.
  'lq-btau': ['lep-lep', 'lep-had'],
  'h0-tautau': ['lep-lep', 'lep-had'],
  // τ → hadrons has no e/μ and never passes the trigger.
  'hplus-taunu': ['tau->e', 'tau->mu'],
};

/** Fractions of the channels of the 'sm' cocktail after the trigger (physics.md §1.2). */
export const SM_FRACTIONS: readonly number[] = [0.592, 0.067, 0.003, 0.338];

export interface EventSpec {
  process: EventProcess;
  seed: number;
}

export interface EventChunk {
  /** count × 19 × 4, (pT [GeV], η, φ, class) per slot: 0 MET, 1–4 electrons, 5–8 muons, 9–18 jets. */
  particles: Float32Array;
  /** Channel code of each event, named by EVENT_CHANNELS[process]. */
  channels: Int8Array;
}

export const EVENT_SLOTS = 19;
const ROW = EVENT_SLOTS * 4;
/** First slot and capacity of each object class (the ADC2021 layout). */
const ELECTRONS = { first: 1, size: 4, cls: 2 };
const MUONS = { first: 5, size: 4, cls: 3 };
const JETS = { first: 9, size: 10, cls: 4 };
/** Trigger of the real sample: leading electron or leading muon above this pT. */
export const LEPTON_TRIGGER_PT = 23;
/** A regeneration loop that never passes the trigger would be a bug; stop it with an error. */
const MAX_TRIES = 100_000;
/** itemSeed stream of each process ("EV" + index), so the processes draw unrelated numbers. */
const STREAM_BASE = 0x45560000;

/** Collider energy, GeV. */
const SQRT_S = 13000;
// Masses and widths in GeV (PDG).
const M_W = 80.38;
const G_W = 2.085;
const M_Z = 91.1876;
const G_Z = 2.4952;
const M_TOP = 172.5;
const M_B = 4.8;
const M_TAU = 1.777;
// Signal masses (physics.md §1.2).
const M_A = 50;
const M_LQ = 80;
const M_H0 = 60;
const M_HPLUS = 60;
// Branching ratios: τ → eνν, τ → μνν, W → ℓν per lepton flavour.
const BR_TAU_E = 0.1782;
const BR_TAU_MU = 0.1739;
const BR_W_LNU = 0.108;

type P4 = [number, number, number, number]; // (E, px, py, pz)
type Kind = 'e' | 'mu' | 'jet' | 'nu';
interface Particle {
  kind: Kind;
  p: P4;
}
interface Rng {
  u: () => number;
  n: () => number;
}
/** Generates the truth-level particles of one event into `out` and returns its channel code. */
type Generator = (r: Rng, out: Particle[]) => number;

// ---- four-vector helpers -------------------------------------------------------------------------------

/** Four-momentum of mass m with transverse momentum pt, rapidity y and azimuth phi. */
function fromPtYPhi(m: number, pt: number, y: number, phi: number): P4 {
  const mt = Math.hypot(m, pt);
  return [mt * Math.cosh(y), pt * Math.cos(phi), pt * Math.sin(phi), mt * Math.sinh(y)];
}

function scaled(p: P4, x: number): P4 {
  return [x * p[0], x * p[1], x * p[2], x * p[3]];
}

/** Isotropic two-body decay of `parent` (mass m) into masses m1, m2, returned in the parent's frame. */
function decay2(parent: P4, m: number, m1: number, m2: number, r: Rng): [P4, P4] {
  const q = restFrameMomentum(m, m1, m2);
  const c = 2 * r.u() - 1;
  const s = Math.sqrt(1 - c * c);
  const f = 2 * Math.PI * r.u();
  const [x, y, z] = [q * s * Math.cos(f), q * s * Math.sin(f), q * c];
  const a: P4 = [Math.hypot(q, m1), x, y, z];
  const b: P4 = [Math.hypot(q, m2), -x, -y, -z];
  boostFromRest(a, parent, m);
  boostFromRest(b, parent, m);
  return [a, b];
}

// ---- distributions -------------------------------------------------------------------------------------

/** Breit–Wigner (Cauchy) mass of peak m0 and full width g, truncated to [lo, hi] by inverse CDF. */
function breitWigner(m0: number, g: number, lo: number, hi: number, r: Rng): number {
  const a = Math.atan((lo - m0) / (g / 2));
  const b = Math.atan((hi - m0) / (g / 2));
  return m0 + (g / 2) * Math.tan(a + (b - a) * r.u());
}

/** Lomax (Pareto II) deviate: density ∝ (1 + x/scale)^−(shape+1), a falling spectrum with a power tail. */
function lomax(scale: number, shape: number, r: Rng): number {
  return scale * (Math.pow(1 - r.u(), -1 / shape) - 1);
}

/** Gamma(2) deviate of the given scale: rises from 0, peaks at `scale`, then falls exponentially. */
function gamma2(scale: number, r: Rng): number {
  return -scale * Math.log((1 - r.u()) * (1 - r.u()));
}

function poisson(mean: number, r: Rng): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = r.u(); p > limit; p *= r.u()) k++;
  return k;
}

/**
 * Momentum fraction carried by the charged lepton in a collinear three-body V−A decay (τ → ℓνν, also used
 * for b → ℓνc): f(x) = (5 − 9x² + 4x³)/3 on [0, 1] (unpolarised), by accept–reject under its maximum 5/3.
 */
function leptonFraction(r: Rng): number {
  for (;;) {
    const x = r.u();
    if (r.u() * 5 < 5 - 9 * x * x + 4 * x * x * x) return x;
  }
}

// ---- production and decays -----------------------------------------------------------------------------

/**
 * A hard system of mass m (a resonance, or a pair's centre of mass) with a Lomax pT spectrum of the given
 * scale (shape 3: mean scale/2) and a Gaussian rapidity of width 1.8, kept inside |y| < 4.5 and inside the
 * kinematic limit |y| < ln(√s/m_T) (both partons' momentum fractions below 1). The far pT tail is cut at
 * m_T = √s/10, which leaves at least |y| < 2.3 open.
 */
function hardSystem(m: number, ptScale: number, r: Rng): P4 {
  let pt: number;
  do pt = lomax(ptScale, 3, r);
  while (Math.hypot(m, pt) > SQRT_S / 10);
  const yMax = Math.min(4.5, Math.log(SQRT_S / Math.hypot(m, pt)));
  let y: number;
  do y = 1.8 * r.n();
  while (Math.abs(y) > yMax);
  return fromPtYPhi(m, pt, y, 2 * Math.PI * r.u());
}

/** Initial-state radiation: two jets that together balance the hard system's pT, sharing it unevenly. */
function recoil(system: P4, r: Rng, out: Particle[]): void {
  const z = 0.5 + 0.5 * r.u();
  const k = gamma2(5, r);
  const a = 2 * Math.PI * r.u();
  const [kx, ky] = [k * Math.cos(a), k * Math.sin(a)];
  const [rx, ry] = [-system[1], -system[2]];
  for (const [px, py] of [
    [z * rx + kx, z * ry + ky],
    [(1 - z) * rx - kx, (1 - z) * ry - ky],
  ]) {
    out.push({ kind: 'jet', p: fromPtYPhi(0, Math.hypot(px, py), 1.8 * r.n(), Math.atan2(py, px)) });
  }
}

/** Pile-up (20 interactions): a Poisson number of soft jets, flat in |η| < 4.7. */
function pileUp(r: Rng, out: Particle[]): void {
  for (let k = poisson(0.8, r); k > 0; k--) {
    out.push({ kind: 'jet', p: fromPtYPhi(0, 8 + gamma2(4, r), 9.4 * (r.u() - 0.5), 2 * Math.PI * r.u()) });
  }
}

/** τ decay in the collinear approximation; returns which visible object it gave. */
function decayTau(tau: P4, r: Rng, out: Particle[]): 'e' | 'mu' | 'had' {
  const v = r.u();
  const mode = v < BR_TAU_E ? 'e' : v < BR_TAU_E + BR_TAU_MU ? 'mu' : 'had';
  // Hadronic: a flat visible fraction, exact for unpolarised τ → πν, an approximation for the ρ and a1 modes.
  const x = mode === 'had' ? r.u() : leptonFraction(r);
  out.push({ kind: mode === 'had' ? 'jet' : mode, p: scaled(tau, x) });
  out.push({ kind: 'nu', p: scaled(tau, 1 - x) });
  return mode;
}

/** A charged lepton of flavour e, μ or τ (1/3 each), a τ decaying further. */
function chargedLepton(p: P4, flavour: number, r: Rng, out: Particle[]): void {
  if (flavour === 2) decayTau(p, r, out);
  else out.push({ kind: flavour === 0 ? 'e' : 'mu', p });
}

/** W → ℓν with ℓ = e, μ, τ equally likely. */
function leptonicW(w: P4, m: number, r: Rng, out: Particle[]): void {
  const [l, nu] = decay2(w, m, 0, 0, r);
  out.push({ kind: 'nu', p: nu });
  chargedLepton(l, Math.floor(3 * r.u()), r, out);
}

/** t → bW, the W decaying to ℓν (3 × 10.8 %) or to two jets. */
function topDecay(t: P4, r: Rng, out: Particle[]): void {
  const mW = breitWigner(M_W, G_W, 60, 100, r);
  const [b, w] = decay2(t, M_TOP, M_B, mW, r);
  out.push({ kind: 'jet', p: b });
  if (r.u() < 3 * BR_W_LNU) {
    leptonicW(w, mW, r, out);
  } else {
    for (const q of decay2(w, mW, 0, 0, r)) out.push({ kind: 'jet', p: q });
  }
}

/** A resonance of mass m with ISR recoil jets; returns its four-momentum. */
function resonance(m: number, ptScale: number, r: Rng, out: Particle[]): P4 {
  const system = hardSystem(m, ptScale, r);
  recoil(system, r, out);
  return system;
}

/** Channel code of a ditau event: 0 when both τ decay to e/μ, 1 otherwise. */
function ditau(a: P4, b: P4, r: Rng, out: Particle[]): number {
  const leptonic = [decayTau(a, r, out), decayTau(b, r, out)].filter((m) => m !== 'had').length;
  return leptonic === 2 ? 0 : 1;
}

// ---- processes -----------------------------------------------------------------------------------------

const wEvent: Generator = (r, out) => {
  const m = breitWigner(M_W, G_W, 50, 150, r);
  leptonicW(resonance(m, 20, r, out), m, r, out);
  return 0;
};

const zEvent: Generator = (r, out) => {
  const m = breitWigner(M_Z, G_Z, 60, 120, r);
  const [a, b] = decay2(resonance(m, 20, r, out), m, 0, 0, r);
  const flavour = Math.floor(3 * r.u());
  chargedLepton(a, flavour, r, out);
  chargedLepton(b, flavour, r, out);
  return 1;
};

const ttbarEvent: Generator = (r, out) => {
  const m = 2 * M_TOP + gamma2(100, r);
  const [t1, t2] = decay2(resonance(m, 60, r, out), m, M_TOP, M_TOP, r);
  topDecay(t1, r, out);
  topDecay(t2, r, out);
  return 2;
};

/**
 * QCD dijets (dσ/dpT ∝ pT⁻⁵ above 30 GeV) in which one jet holds a semileptonic b/c decay: the hadron takes
 * 75 % of the parton, the lepton and neutrino share it as in a V−A decay, and the lepton stays within
 * ΔR ≈ 0.05 of the jet, a non-isolated lepton as in the real sample's QCD events.
 */
const qcdEvent: Generator = (r, out) => {
  const pt = 30 * Math.pow(1 - r.u(), -1 / 4);
  const phi = 2 * Math.PI * r.u();
  const heavy = fromPtYPhi(0, pt, 1.6 * r.n(), phi);
  out.push({ kind: 'jet', p: fromPtYPhi(0, pt, 1.6 * r.n(), phi + Math.PI) });
  const xl = 0.75 * leptonFraction(r);
  const xnu = (0.75 - xl) * leptonFraction(r);
  const lpt = xl * pt;
  const leta = pseudorapidity(heavy[1], heavy[2], heavy[3]) + 0.05 * r.n();
  out.push({ kind: r.u() < 0.5 ? 'e' : 'mu', p: fromPtYPhi(0, lpt, leta, phi + 0.05 * r.n()) });
  out.push({ kind: 'nu', p: scaled(heavy, xnu) });
  out.push({ kind: 'jet', p: scaled(heavy, 1 - xl - xnu) });
  return 3;
};

/**
 * Masses of the two off-shell Z bosons in A → Z*Z* (m_A < 2 m_Z), by accept–reject over the triangle
 * m1 + m2 < M: density ∝ m1 m2 · |M|² · λ^½/M² · D(m1) D(m2), with |M|² ∝ 2 m1²m2² + (M² − m1² − m2²)²/4
 * (scalar → VV summed over polarisations, times the m² of each Z* → ℓℓ width) and D the Z propagator.
 */
function offShellPair(mA: number, r: Rng): [number, number] {
  const M2 = mA * mA;
  const d = (m: number) => 1 / ((m * m - M_Z * M_Z) ** 2 + (M_Z * G_Z) ** 2);
  // Bounds of each factor on the triangle: m1 m2 ≤ M²/4, |M|² ≤ 3M⁴/8, λ^½/M² ≤ 1, D(m) ≤ D(M) for M < m_Z.
  const wMax = (M2 / 4) * ((3 * M2 * M2) / 8) * d(mA) ** 2;
  for (;;) {
    const m1 = 0.5 + (mA - 1) * r.u();
    const m2 = 0.5 + (mA - 1) * r.u();
    if (m1 + m2 >= mA) continue;
    const [a, b] = [m1 * m1, m2 * m2];
    const me = 2 * a * b + (M2 - a - b) ** 2 / 4;
    const lambda = Math.sqrt(Math.max(0, (M2 - a - b) ** 2 - 4 * a * b)) / M2;
    if (r.u() * wMax < m1 * m2 * me * lambda * d(m1) * d(m2)) return [m1, m2];
  }
}

/** A (50 GeV) → Z*Z* → 4ℓ with ℓ = e, μ. */
const ato4lEvent: Generator = (r, out) => {
  const [m1, m2] = offShellPair(M_A, r);
  const [z1, z2] = decay2(resonance(M_A, 40, r, out), M_A, m1, m2, r);
  const flavours: Kind[] = [];
  for (const [z, m] of [
    [z1, m1],
    [z2, m2],
  ] as const) {
    const kind: Kind = r.u() < 0.5 ? 'e' : 'mu';
    for (const l of decay2(z, m, 0, 0, r)) out.push({ kind, p: l });
    flavours.push(kind);
  }
  return flavours[0] !== flavours[1] ? 2 : flavours[0] === 'e' ? 0 : 1;
};

/** Leptoquark pair production (QCD, gg → LQ LQ̄ near threshold), each LQ (80 GeV) → bτ. */
const lqEvent: Generator = (r, out) => {
  const m = 2 * M_LQ + gamma2(60, r);
  const taus: P4[] = [];
  for (const lq of decay2(resonance(m, 40, r, out), m, M_LQ, M_LQ, r)) {
    const [b, tau] = decay2(lq, M_LQ, M_B, M_TAU, r);
    out.push({ kind: 'jet', p: b });
    taus.push(tau);
  }
  return ditau(taus[0], taus[1], r, out);
};

/** Neutral scalar h0 (60 GeV) → ττ, gluon-fusion-like pT spectrum. */
const h0Event: Generator = (r, out) => {
  const [a, b] = decay2(resonance(M_H0, 40, r, out), M_H0, M_TAU, M_TAU, r);
  return ditau(a, b, r, out);
};

/** Charged scalar h± (60 GeV) → τν, singly produced with a Drell–Yan-like pT spectrum. */
const hplusEvent: Generator = (r, out) => {
  const [tau, nu] = decay2(resonance(M_HPLUS, 20, r, out), M_HPLUS, M_TAU, 0, r);
  out.push({ kind: 'nu', p: nu });
  return decayTau(tau, r, out) === 'mu' ? 1 : 0;
};

const SM_GENERATORS: readonly Generator[] = [wEvent, zEvent, ttbarEvent, qcdEvent];
const SIGNAL_GENERATORS: Record<Exclude<EventProcess, 'sm'>, Generator> = {
  ato4l: ato4lEvent,
  'lq-btau': lqEvent,
  'h0-tautau': h0Event,
  'hplus-taunu': hplusEvent,
};

/** The generator of an event: fixed for a signal, drawn from the cocktail fractions for 'sm'. */
function pickGenerator(process: EventProcess, r: Rng): Generator {
  if (process !== 'sm') return SIGNAL_GENERATORS[process];
  const v = r.u();
  let sum = 0;
  for (let k = 0; k < SM_FRACTIONS.length - 1; k++) {
    sum += SM_FRACTIONS[k];
    if (v < sum) return SM_GENERATORS[k];
  }
  return SM_GENERATORS[SM_FRACTIONS.length - 1];
}

// ---- detector ------------------------------------------------------------------------------------------

interface Reco {
  pt: number;
  eta: number;
  phi: number;
}

/**
 * Smeared (pT, η, φ) of a visible object. pT resolutions: electrons 2 % ⊕ 10 %/√pT, muons 1 % ⊕ 0.01 % · pT,
 * jets 3 GeV/pT ⊕ 100 %/√pT ⊕ 5 % (CMS-like, our choice); jets also get 0.02 in η and φ. Written as absolute
 * widths so that a zero-pT object (a τ whose visible fraction drew 0) stays finite; a measured pT is ≥ 0.
 */
function smear(kind: Kind, p: P4, r: Rng): Reco {
  const pt = Math.hypot(p[1], p[2]);
  const eta = pseudorapidity(p[1], p[2], p[3]);
  const phi = azimuth(p[1], p[2]);
  const sigma =
    kind === 'jet'
      ? Math.sqrt(9 + pt + (0.05 * pt) ** 2)
      : kind === 'e'
        ? Math.sqrt((0.02 * pt) ** 2 + 0.01 * pt)
        : Math.hypot(0.01 * pt, 1e-4 * pt * pt);
  const smeared = Math.max(0, pt + sigma * r.n());
  if (kind !== 'jet') return { pt: smeared, eta, phi };
  return { pt: smeared, eta: eta + 0.02 * r.n(), phi: phi + 0.02 * r.n() };
}

function accepted(kind: Kind, o: Reco): boolean {
  if (kind === 'jet') return o.pt >= 15 && Math.abs(o.eta) < 4;
  return o.pt >= 3 && Math.abs(o.eta) < (kind === 'e' ? 3 : 2.1);
}

/** φ as float32 in (−π, π]: fround(−π + ε) can round to −fround(π) < −π, which is the same angle as +π. */
function storedPhi(phi: number): number {
  const wrapped = azimuth(Math.cos(phi), Math.sin(phi));
  const f = Math.fround(wrapped);
  return f < -Math.PI ? Math.fround(Math.PI) : f;
}

function fillClass(objs: Reco[], slots: { first: number; size: number; cls: number }, out: Float32Array, o: number): void {
  objs.sort((a, b) => b.pt - a.pt);
  for (let k = 0; k < Math.min(objs.length, slots.size); k++) {
    const at = o + (slots.first + k) * 4;
    out[at] = objs[k].pt;
    out[at + 1] = objs[k].eta;
    out[at + 2] = storedPhi(objs[k].phi);
    out[at + 3] = slots.cls;
  }
}

/** Soft-term MET resolution per transverse component (unclustered energy and pile-up), GeV. */
const MET_SOFT_SIGMA = 8;

/**
 * Detector simulation of one event into out[o..o+76): smearing, acceptance, slot filling and MET. MET is
 * minus the vector sum of all measured momenta; the true event balances, so that is the neutrinos' pT sum
 * minus every visible object's mismeasurement, plus a soft-term smearing. Returns whether the event passes
 * the lepton trigger.
 */
function reconstruct(particles: Particle[], r: Rng, out: Float32Array, o: number): boolean {
  out.fill(0, o, o + ROW);
  let mx = MET_SOFT_SIGMA * r.n();
  let my = MET_SOFT_SIGMA * r.n();
  const objs: Record<'e' | 'mu' | 'jet', Reco[]> = { e: [], mu: [], jet: [] };
  for (const { kind, p } of particles) {
    if (kind === 'nu') {
      mx += p[1];
      my += p[2];
      continue;
    }
    const reco = smear(kind, p, r);
    mx -= reco.pt * Math.cos(reco.phi) - p[1];
    my -= reco.pt * Math.sin(reco.phi) - p[2];
    if (accepted(kind, reco)) objs[kind].push(reco);
  }
  out[o] = Math.hypot(mx, my);
  out[o + 2] = storedPhi(Math.atan2(my, mx));
  out[o + 3] = 1;
  fillClass(objs.e, ELECTRONS, out, o);
  fillClass(objs.mu, MUONS, out, o);
  fillClass(objs.jet, JETS, out, o);
  return out[o + ELECTRONS.first * 4] > LEPTON_TRIGGER_PT || out[o + MUONS.first * 4] > LEPTON_TRIGGER_PT;
}

/**
 * Whether a truth event can pass the trigger at all: an e/μ above 18 GeV. Smearing moves a lepton near 20 GeV
 * by well under 1 GeV (σ ≈ 0.6 GeV for electrons), so 5 GeV below the threshold loses nothing measurable,
 * and most failing tries skip the detector simulation.
 */
function mayTrigger(truth: Particle[]): boolean {
  return truth.some(({ kind, p }) => (kind === 'e' || kind === 'mu') && Math.hypot(p[1], p[2]) > LEPTON_TRIGGER_PT - 5);
}

// ---- public entry --------------------------------------------------------------------------------------

function checkArgs(spec: EventSpec, start: number, count: number): void {
  const where = 'events generator';
  if (!EVENT_PROCESSES.includes(spec.process)) {
    throw new Error(`${where}: unknown process '${spec.process}' (expected one of ${EVENT_PROCESSES.join(', ')})`);
  }
  if (!Number.isInteger(spec.seed)) throw new Error(`${where}: seed must be an integer, got ${spec.seed}`);
  if (!(Number.isSafeInteger(start) && start >= 0)) throw new Error(`${where}: start must be a non-negative integer, got ${start}`);
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new Error(`${where}: count must be a non-negative integer, got ${count}`);
}

/**
 * Events start … start+count−1 of the data set (seed, process). An event failing the lepton trigger is
 * regenerated with the same per-event random stream until one passes, so event i is well defined and the
 * 'sm' channel fractions are those after the trigger.
 */
export function generateEvents(spec: EventSpec, start: number, count: number): EventChunk {
  checkArgs(spec, start, count);
  const particles = new Float32Array(count * ROW);
  const channels = new Int8Array(count);
  const stream = STREAM_BASE + EVENT_PROCESSES.indexOf(spec.process);
  const truth: Particle[] = [];
  for (let i = 0; i < count; i++) {
    const u = mulberry32(itemSeed(spec.seed, stream, start + i));
    const r: Rng = { u, n: normalSampler(u) };
    const generate = pickGenerator(spec.process, r);
    let tries = 0;
    do {
      if (++tries > MAX_TRIES) throw new Error(`events generator: event ${start + i} of '${spec.process}' never passed the trigger`);
      truth.length = 0;
      pileUp(r, truth);
      channels[i] = generate(r, truth);
    } while (!mayTrigger(truth) || !reconstruct(truth, r, particles, i * ROW));
  }
  return { particles, channels };
}
