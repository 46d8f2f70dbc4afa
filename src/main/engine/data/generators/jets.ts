// Built-in boosted-jet generator (`awb generate jets --process qcd|top|w`), imitating the Top Tagging
// reference dataset (physics.md §1.1): the leading anti-kT R = 0.8 jet with pT in [550, 650] GeV and
// |η| < 2, stored as its 200 hardest constituents (E, px, py, pz), zero-padded.
//
// One jet per item: a parent (light quark or gluon, top quark, or W boson) is drawn with a falling pT
// spectrum and a rapidity, decayed (t → b W, W → q q̄′, exact two-body kinematics in the rest frames),
// showered and hadronised (parton-shower.ts), clustered, and the leading jet kept if it passes the
// cuts (for top and W also: every decay quark within ΔR < 0.8 of the jet axis, as the dataset's
// matching); otherwise the item draws again from its own random stream. The whole event is built in
// the frame where the parent has zero rapidity and is then boosted along the beam, so the jet's
// substructure does not depend on its η (as for real boosted jets in (y, φ)).
//
// Jet i depends only on (seed, process, i): its numbers come from mulberry32(itemSeed(seed, stream, i)).

import { itemSeed, mulberry32, normalSampler } from '@shared/random';
import { clusterJets } from '@shared/physics/anti-kt';
import { pseudorapidity, wrapDeltaPhi } from '@shared/physics/kinematics';
import { boostAll, boostFromRest, twoBodyDecay } from '@shared/physics/lorentz';
import { PartonShower, hadronise, hadroniseLone, type Flavour, type Rng } from './parton-shower';

export type JetProcess = 'qcd' | 'top' | 'w';

export const JET_PROCESSES: readonly JetProcess[] = ['qcd', 'top', 'w'];

export interface JetSpec {
  process: JetProcess;
  seed: number;
  /** stored constituents per jet, default 200 */
  constituents?: number;
}

export interface JetChunk {
  /** count × C × 4, (E, px, py, pz) GeV, pT-ordered hardest first, zero-padded. */
  p4: Float32Array;
  /** count × 4: four-momentum of the top (top), W (w), or the initiating parton (qcd). */
  truth: Float32Array;
  /** 0 for qcd, 1 for top and for w. */
  labels: Int8Array;
}

export const JET_R = 0.8;
export const JET_PT_RANGE: readonly [number, number] = [550, 650];
export const JET_ETA_MAX = 2;
export const DEFAULT_CONSTITUENTS = 200;

const STREAMS: Record<JetProcess, number> = { qcd: 0x6a657401, top: 0x6a657402, w: 0x6a657403 };
const LABELS: Record<JetProcess, number> = { qcd: 0, top: 1, w: 1 };

// Parent kinematics: pT ∝ pT^−5 on a window wide enough that out-of-cone losses and the hadron
// system's spread still feed the jet window from both sides; rapidity Gaussian (central jets dominate).
const PARENT_PT: readonly [number, number] = [500, 800];
const PT_POWER = 5;
const RAPIDITY_WIDTH = 1.2;
const RAPIDITY_MAX = 2.3;
/** Fraction of gluons among the initiating partons of QCD jets near pT = 600 GeV at 14 TeV. */
const GLUON_FRACTION = 0.5;

const M_TOP = 173;
const GAMMA_TOP = 1.42;
const M_W = 80.4;
const GAMMA_W = 2.09;
/** Longitudinal fraction F0 of the W in t → b W; the rest is left-handed (right-handed ≈ 0 in the SM). */
const W_LONGITUDINAL = 0.7;
/** The first emission of every shower initiator is inside a hemisphere (1 − cos θ < 1) of its frame. */
const ZETA_START = 1;

/** GeV: a lone parton fragments as if it ended a string piece of this mass (about 8 hadrons). */
const LONE_PARTON_SCALE = 10;

const MAX_ATTEMPTS = 1000;

interface Event {
  /** Final partons (flat E, px, py, pz) in the frame where the parent has zero rapidity. */
  partons: number[];
  /** The parent's four-momentum in that frame. */
  parent: number[];
  /** The decay quarks (before showering) that must lie inside the jet, same frame. */
  prongs: number[][];
}

/** A Breit–Wigner (Cauchy) mass, truncated to ±5 widths. */
function breitWigner(mass: number, width: number, uniform: () => number): number {
  for (;;) {
    const m = mass + 0.5 * width * Math.tan(Math.PI * (uniform() - 0.5));
    if (Math.abs(m - mass) < 5 * width) return m;
  }
}

/** A particle of mass m moving transversely at azimuth phi with momentum pt (zero rapidity). */
function transverse(pt: number, phi: number, m: number): number[] {
  return [Math.hypot(pt, m), pt * Math.cos(phi), pt * Math.sin(phi), 0];
}

function qcdEvent(shower: PartonShower, rng: Rng, pt: number, phi: number): Event {
  const flavour: Flavour = rng.uniform() < GLUON_FRACTION ? 'g' : 'q';
  const root = shower.evolve(flavour, pt, pt * pt, ZETA_START);
  const parent = transverse(pt, phi, Math.sqrt(root.t));
  const partons: number[] = [];
  shower.realise(root, parent, partons);
  return { partons, parent, prongs: [] };
}

/** W at rest → q q̄′ showered, with the first quark at polar angle acos(cos) from `axis`. */
function wDecayAtRest(shower: PartonShower, rng: Rng, mW: number, cos: number, axis?: readonly number[]): { partons: number[]; quarks: number[][] } {
  const half = mW / 2;
  const [a, b] = shower.evolvePair('q', half, half * half, 'q', half, half * half, mW, ZETA_START);
  const quarks = twoBodyDecay([mW, 0, 0, 0], Math.sqrt(a.t), Math.sqrt(b.t), cos, 2 * Math.PI * rng.uniform(), axis);
  const partons: number[] = [];
  shower.realise(a, quarks[0], partons);
  shower.realise(b, quarks[1], partons);
  return { partons, quarks };
}

function wEvent(shower: PartonShower, rng: Rng, pt: number, phi: number): Event {
  const mW = breitWigner(M_W, GAMMA_W, rng.uniform);
  const parent = transverse(pt, phi, mW);
  const { partons, quarks } = wDecayAtRest(shower, rng, mW, 2 * rng.uniform() - 1);
  boostAll(partons, parent, mW);
  for (const q of quarks) boostFromRest(q, parent, mW);
  return { partons, parent, prongs: quarks };
}

/**
 * cos θ* of the down-type quark in the W rest frame about the W direction in t → b W:
 * dN/dcos ∝ F0·¾(1−cos²) + FL·⅜(1−cos)², by rejection (the density is below 1).
 */
function wHelicityCos(uniform: () => number): number {
  for (;;) {
    const c = 2 * uniform() - 1;
    const f = W_LONGITUDINAL * 0.75 * (1 - c * c) + (1 - W_LONGITUDINAL) * 0.375 * (1 - c) ** 2;
    if (uniform() < f) return c;
  }
}

function topEvent(shower: PartonShower, rng: Rng, pt: number, phi: number): Event {
  const mT = breitWigner(M_TOP, GAMMA_TOP, rng.uniform);
  const mW = breitWigner(M_W, GAMMA_W, rng.uniform);
  const parent = transverse(pt, phi, mT);
  // The b evolves below its rest-frame energy and below the mass the W leaves it.
  const eb = (mT * mT - mW * mW) / (2 * mT);
  const bNode = shower.evolve('q', eb, Math.min(eb * eb, (mT - mW) ** 2), ZETA_START);
  const [b, w] = twoBodyDecay([mT, 0, 0, 0], Math.sqrt(bNode.t), mW, 2 * rng.uniform() - 1, 2 * Math.PI * rng.uniform());
  const pw = Math.hypot(w[1], w[2], w[3]);
  const { partons: wPartons, quarks } = wDecayAtRest(shower, rng, mW, wHelicityCos(rng.uniform), [w[1] / pw, w[2] / pw, w[3] / pw]);
  boostAll(wPartons, w, mW);
  for (const q of quarks) boostFromRest(q, w, mW);
  const partons: number[] = [];
  shower.realise(bNode, b, partons);
  partons.push(...wPartons);
  boostAll(partons, parent, mT);
  const prongs = [b, ...quarks];
  for (const q of prongs) boostFromRest(q, parent, mT);
  return { partons, parent, prongs };
}

const EVENTS: Record<JetProcess, (shower: PartonShower, rng: Rng, pt: number, phi: number) => Event> = {
  qcd: qcdEvent,
  top: topEvent,
  w: wEvent,
};

function parentPt(uniform: () => number): number {
  // Inverse CDF of pT^−n on [lo, hi].
  const [lo, hi] = PARENT_PT;
  const k = 1 - PT_POWER;
  return Math.pow(lo ** k + uniform() * (hi ** k - lo ** k), 1 / k);
}

function parentRapidity(gauss: () => number): number {
  for (;;) {
    const y = RAPIDITY_WIDTH * gauss();
    if (Math.abs(y) < RAPIDITY_MAX) return y;
  }
}

/** A jet that passed the cuts: its stored constituents (float32-rounded, pT-ordered) and the parent. */
interface Jet {
  constituents: Float32Array;
  truth: number[];
}

/**
 * The leading jet's constituents, float32-rounded, pT-ordered and cut to `maxConstituents`, or null
 * when the jet fails the pT, η or prong-matching cuts. The cuts see the jet as a reader of the stored
 * numbers would (all constituents, rounded, summed hardest first), so stored jets pass them exactly.
 */
function selectJet(hadrons: number[], prongs: number[][], maxConstituents: number): Float32Array | null {
  const [lead] = clusterJets(hadrons, { r: JET_R });
  if (!lead) return null;
  const rows = lead.constituents.map((i) => {
    const v = [Math.fround(hadrons[4 * i]), Math.fround(hadrons[4 * i + 1]), Math.fround(hadrons[4 * i + 2]), Math.fround(hadrons[4 * i + 3])];
    return { v, pt: Math.hypot(v[1], v[2]) };
  });
  rows.sort((a, b) => b.pt - a.pt);
  const sum = [0, 0, 0, 0];
  for (const { v } of rows) for (let k = 0; k < 4; k++) sum[k] += v[k];
  const pt = Math.hypot(sum[1], sum[2]);
  const eta = pseudorapidity(sum[1], sum[2], sum[3]);
  const phi = Math.atan2(sum[2], sum[1]);
  if (!(pt >= JET_PT_RANGE[0] && pt <= JET_PT_RANGE[1] && Math.abs(eta) < JET_ETA_MAX)) return null;
  for (const q of prongs) {
    const dEta = pseudorapidity(q[1], q[2], q[3]) - eta;
    const dPhi = wrapDeltaPhi(Math.atan2(q[2], q[1]) - phi);
    if (dEta * dEta + dPhi * dPhi >= JET_R * JET_R) return null;
  }
  const n = Math.min(rows.length, maxConstituents);
  const out = new Float32Array(4 * n);
  for (let c = 0; c < n; c++) out.set(rows[c].v, 4 * c);
  return out;
}

/**
 * Hadrons of an event, in the same frame. Hadronised in the parent's rest frame, where its partons fly
 * apart like the ends of strings; in the boosted frame the fixed fragmentation scales would spray soft
 * hadrons at wide angles. A parton that never branched above the cutoff (massless: about 5 % of quarks
 * and 0.1 % of gluons near 600 GeV) has no rest frame and fragments alone.
 */
function hadroniseEvent(event: Event, rng: Rng): number[] {
  const [e, px, py, pz] = event.parent;
  const m = Math.sqrt(Math.max(e * e - px * px - py * py - pz * pz, 0));
  if (!(m > 0)) return hadroniseLone(event.partons, rng, LONE_PARTON_SCALE);
  boostAll(event.partons, [e, -px, -py, -pz], m);
  const hadrons = hadronise(event.partons, rng);
  boostAll(hadrons, event.parent, m);
  return hadrons;
}

function generateOne(process: JetProcess, seed: number, index: number, maxConstituents: number): Jet {
  const uniform = mulberry32(itemSeed(seed, STREAMS[process], index));
  const rng: Rng = { uniform, gauss: normalSampler(uniform) };
  const shower = new PartonShower(rng);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const pt = parentPt(uniform);
    const phi = 2 * Math.PI * uniform() - Math.PI;
    const event = EVENTS[process](shower, rng, pt, phi);
    const hadrons = hadroniseEvent(event, rng);
    // Along the beam to the drawn rapidity: a boost from the rest frame of (cosh y, 0, 0, sinh y).
    const y = parentRapidity(rng.gauss);
    const beam = [Math.cosh(y), 0, 0, Math.sinh(y)];
    boostAll(hadrons, beam, 1);
    for (const q of event.prongs) boostFromRest(q, beam, 1);
    const constituents = selectJet(hadrons, event.prongs, maxConstituents);
    if (constituents) {
      boostFromRest(event.parent, beam, 1);
      return { constituents, truth: event.parent };
    }
  }
  throw new Error(`jets generator (process ${process}, seed ${seed}, jet ${index}): no jet passed the cuts in ${MAX_ATTEMPTS} attempts`);
}

function checkSpec(spec: JetSpec, start: number, count: number): number {
  if (!JET_PROCESSES.includes(spec.process)) {
    throw new Error(`jets generator: unknown process '${spec.process as string}' (expected one of ${JET_PROCESSES.join(', ')})`);
  }
  if (!Number.isSafeInteger(spec.seed)) throw new Error(`jets generator: seed must be an integer, got ${spec.seed}`);
  const c = spec.constituents ?? DEFAULT_CONSTITUENTS;
  if (!(Number.isInteger(c) && c >= 1)) throw new Error(`jets generator: constituents must be a positive integer, got ${c}`);
  if (!(Number.isSafeInteger(start) && start >= 0)) throw new Error(`jets generator: start must be a non-negative integer, got ${start}`);
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new Error(`jets generator: count must be a non-negative integer, got ${count}`);
  return c;
}

/** Jets start … start+count−1 of the data set (spec.process, spec.seed). */
export function generateJets(spec: JetSpec, start: number, count: number): JetChunk {
  const c = checkSpec(spec, start, count);
  const p4 = new Float32Array(count * c * 4);
  const truth = new Float32Array(count * 4);
  const labels = new Int8Array(count).fill(LABELS[spec.process]);
  for (let j = 0; j < count; j++) {
    const jet = generateOne(spec.process, spec.seed, start + j, c);
    p4.set(jet.constituents, j * c * 4);
    truth.set(jet.truth, j * 4);
  }
  return { p4, truth, labels };
}
