// Built-in generator for a dijet bump hunt (LHC Olympics 2020 style, physics.md §1.3): per event the dijet
// mass, the two jets' masses and N-subjettiness ratios, and their pseudorapidity gap. The QCD background's
// mjj follows the standard dijet function by construction; the signal is a resonance W′ → X(500) Y(100),
// X, Y → qq, so its jets are two-pronged with masses near 500 and 100 GeV. Features are drawn directly
// from simple densities (no showering or clustering). Row i depends only on (spec, i).
import { itemSeed, mulberry32, normalSampler } from '@shared/random';

export interface DijetSpec {
  seed: number;
  /** Collider energy in GeV, default 13000. */
  sqrtS?: number;
  /** Probability that a row is signal, default 0.01. */
  signalFraction?: number;
  /** Resonance mass in GeV, default 3500. */
  signalMass?: number;
  /** Gaussian width (GeV) of the reconstructed signal mjj peak, default 5 % of signalMass (dijet mass resolution). */
  signalWidth?: number;
}

/**
 * Feature columns, GeV where dimensionful: j1 is the heavier jet (as in the LHCO high-level feature sets),
 * tau21 = τ2/τ1 and tau32 = τ3/τ2 of each jet, deta_jj = |η1 − η2|.
 */
export const DIJET_COLUMNS: readonly string[] = ['mjj', 'mj1', 'mj2', 'tau21_j1', 'tau21_j2', 'tau32_j1', 'tau32_j2', 'deta_jj'];

export interface DijetChunk {
  /** count × DIJET_COLUMNS.length, row-major. */
  features: Float32Array;
  /** 0 background, 1 signal. */
  labels: Int8Array;
}

/**
 * Background mjj density f(x) ∝ (1 − x)^p1 / x^(p2 + p3 ln x), x = mjj/√s, above DIJET_MJJ_MIN (the trigger).
 * Parameters are our choice, giving a steeply falling CMS-like spectrum; they are not a fit to data.
 */
export const DIJET_FUNCTION = { p1: 10, p2: 5, p3: 0.2 } as const;
/** Dijet-mass trigger threshold, GeV. */
export const DIJET_MJJ_MIN = 1500;
/** Masses of the signal's daughters X and Y (LHCO R&D signal), GeV. */
export const DIJET_SIGNAL_DAUGHTERS = [500, 100] as const;
/** Both jets within |η| < 1.3 of each other's centre of mass: |Δη| < 2.6 (CMS wide-jet selection). */
const DETA_MAX = 2.6;
/** itemSeed stream of this generator ("DJ"). */
const STREAM = 0x444a0000;

interface Rng {
  u: () => number;
  n: () => number;
}

/**
 * Background x by accept–reject under an exact envelope. With t = ln x, ln f = p1 ln(1−x) − p2 t − p3 t²; for
 * p3 ≥ 0 the concave −p3 t² lies below its tangent at t0 = ln x_min, so f ≤ C x^−q with q = p2 + 2 p3 t0,
 * a power law sampled by inverse CDF, and the acceptance ratio is (1 − x)^p1 · exp(−p3 (t − t0)²) ≤ 1.
 */
function backgroundX(xMin: number, r: Rng): number {
  const { p1, p2, p3 } = DIJET_FUNCTION;
  const t0 = Math.log(xMin);
  const q = p2 + 2 * p3 * t0;
  const a = Math.pow(xMin, 1 - q);
  for (;;) {
    const x = Math.pow(a + r.u() * (1 - a), 1 / (1 - q));
    if (x >= 1) continue;
    const t = Math.log(x);
    if (r.u() < Math.pow(1 - x, p1) * Math.exp(-p3 * (t - t0) ** 2)) return x;
  }
}

/** A normal deviate of mean mu and width sigma, redrawn until it lies inside (lo, hi). */
function truncatedNormal(mu: number, sigma: number, lo: number, hi: number, r: Rng): number {
  for (;;) {
    const v = mu + sigma * r.n();
    if (v > lo && v < hi) return v;
  }
}

/** QCD (t-channel) |Δη|: dσ/dχ roughly flat in χ = exp|Δη|. */
function backgroundDeta(r: Rng): number {
  return Math.log(1 + r.u() * (Math.exp(DETA_MAX) - 1));
}

/** s-channel spin-1 resonance → qq̄: cos θ* ∝ 1 + cos²θ*, |Δη| = 2 atanh|cos θ*|. */
function signalDeta(r: Rng): number {
  const cMax = Math.tanh(DETA_MAX / 2);
  for (;;) {
    const c = cMax * r.u();
    if (r.u() * (1 + cMax * cMax) < 1 + c * c) return 2 * Math.atanh(c);
  }
}

/** Per-jet pT of a back-to-back massless pair of mass mjj and rapidity gap Δη. */
function jetPt(mjj: number, deta: number): number {
  return mjj / (2 * Math.cosh(deta / 2));
}

/** QCD jet mass: m/pT log-normal (median 0.07, Sudakov-like tail), below pT/2. */
function qcdJetMass(pt: number, r: Rng): number {
  for (;;) {
    const m = pt * 0.07 * Math.exp(0.6 * r.n());
    if (m < pt / 2) return m;
  }
}

function writeRow(out: Float32Array, o: number, v: number[]): void {
  for (let k = 0; k < v.length; k++) out[o + k] = v[k];
}

function backgroundRow(sqrtS: number, r: Rng): number[] {
  const mjj = sqrtS * backgroundX(DIJET_MJJ_MIN / sqrtS, r);
  const deta = backgroundDeta(r);
  const pt = jetPt(mjj, deta);
  const [ma, mb] = [qcdJetMass(pt, r), qcdJetMass(pt, r)];
  // One-prong QCD jets: τ21 broad around 0.65, τ32 around 0.72.
  const tau21 = () => truncatedNormal(0.65, 0.14, 0, 1, r);
  const tau32 = () => truncatedNormal(0.72, 0.11, 0, 1, r);
  return [mjj, Math.max(ma, mb), Math.min(ma, mb), tau21(), tau21(), tau32(), tau32(), deta];
}

function signalRow(sqrtS: number, mass: number, width: number, r: Rng): number[] {
  const mjj = truncatedNormal(mass, width, DIJET_MJJ_MIN, sqrtS, r);
  const [mx, my] = DIJET_SIGNAL_DAUGHTERS;
  // Two-prong jets: jet mass at the daughter mass with 7 % resolution, low τ21; τ32 slightly above QCD's.
  const tau21 = () => truncatedNormal(0.3, 0.1, 0, 1, r);
  const tau32 = () => truncatedNormal(0.8, 0.08, 0, 1, r);
  const j1 = truncatedNormal(mx, 0.07 * mx, 0, Infinity, r);
  const j2 = truncatedNormal(my, 0.07 * my, 0, Infinity, r);
  return [mjj, j1, j2, tau21(), tau21(), tau32(), tau32(), signalDeta(r)];
}

interface ResolvedSpec {
  seed: number;
  sqrtS: number;
  signalFraction: number;
  signalMass: number;
  signalWidth: number;
}

function resolve(spec: DijetSpec, start: number, count: number): ResolvedSpec {
  const where = 'dijet generator';
  const sqrtS = spec.sqrtS ?? 13000;
  const signalFraction = spec.signalFraction ?? 0.01;
  const signalMass = spec.signalMass ?? 3500;
  const signalWidth = spec.signalWidth ?? 0.05 * signalMass;
  if (!Number.isInteger(spec.seed)) throw new Error(`${where}: seed must be an integer, got ${spec.seed}`);
  // Above 100 TeV the envelope's power q of backgroundX could fall towards 1; the parameters are for LHC energies.
  if (!(sqrtS > DIJET_MJJ_MIN && sqrtS <= 100_000)) {
    throw new Error(`${where}: √s must be above the ${DIJET_MJJ_MIN} GeV mjj threshold and at most 100 TeV, got ${sqrtS}`);
  }
  if (!(signalFraction >= 0 && signalFraction <= 1)) throw new Error(`${where}: signalFraction must be in [0, 1], got ${signalFraction}`);
  if (!(signalMass > DIJET_MJJ_MIN && signalMass < sqrtS)) {
    throw new Error(`${where}: signalMass must lie between the ${DIJET_MJJ_MIN} GeV threshold and √s = ${sqrtS}, got ${signalMass}`);
  }
  if (!(Number.isFinite(signalWidth) && signalWidth > 0)) throw new Error(`${where}: signalWidth must be a positive number, got ${signalWidth}`);
  if (!(Number.isSafeInteger(start) && start >= 0)) throw new Error(`${where}: start must be a non-negative integer, got ${start}`);
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new Error(`${where}: count must be a non-negative integer, got ${count}`);
  return { seed: spec.seed, sqrtS, signalFraction, signalMass, signalWidth };
}

/** Rows start … start+count−1; row i is signal when the first draw of its own random stream is below signalFraction. */
export function generateDijet(spec: DijetSpec, start: number, count: number): DijetChunk {
  const s = resolve(spec, start, count);
  const width = DIJET_COLUMNS.length;
  const features = new Float32Array(count * width);
  const labels = new Int8Array(count);
  for (let i = 0; i < count; i++) {
    const u = mulberry32(itemSeed(s.seed, STREAM, start + i));
    const r: Rng = { u, n: normalSampler(u) };
    labels[i] = r.u() < s.signalFraction ? 1 : 0;
    const row = labels[i] ? signalRow(s.sqrtS, s.signalMass, s.signalWidth, r) : backgroundRow(s.sqrtS, r);
    writeRow(features, i * width, row);
  }
  return { features, labels };
}
