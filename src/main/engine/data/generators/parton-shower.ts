// A small final-state parton shower and hadronisation model for the boosted-jet generator.
//
// Shower (JETSET-like: Bengtsson & Sjöstrand, Nucl. Phys. B289 (1987) 810): each parton evolves down
// in virtuality t = m² from a starting scale with the Sudakov form factor of the 1 → 2 splittings
//   dP = α_s(kT²)/(2π) · dt/t · P(z) dz,   kT² = z(1−z)·t,
//   P_q→qg = C_F (1+z²)/(1−z),  P_g→gg = C_A (1−z(1−z))²/(z(1−z)),  P_g→qq̄ = n_f T_R (z² + (1−z)²),
// z the energy fraction of the first daughter in the shower frame, one-loop running α_s (n_f = 5) in
// kT², branchings only above kT = Q0, and coherence as angular ordering: a daughter's opening angle
// (1 − cos θ ≈ t / (2z(1−z)E²)) must be smaller than its mother's. Sampled with the veto algorithm
// against constant-α_s, soft-pole overestimates. The masses of a mother's daughters are evolved first;
// where m_b + m_c ≥ m_a the heavier daughter is evolved again below m_a − m_other (JETSET's rule).
// Kinematics are then built top-down: a → b c is an exact two-body decay in a's rest frame, with the
// polar angle that gives b the energy z·E_a, so every branching conserves four-momentum exactly and
// the final partons (massless, on shell) add up to the shower's initiator.
//
// Hadronisation: independent (Field–Feynman-like) fragmentation of every final parton along its
// direction: hadrons take light-cone fractions z ~ (1+a)(1−z)^a of what is left, with Gaussian
// transverse momenta shared between neighbours (each new q q̄ pair gives ±kT), until less than W_min
// of light-cone momentum is left. Four-momentum is restored for the whole system as in Pythia's
// independent-fragmentation option: the hadrons are boosted to their rest frame, their momenta scaled
// so that the energies add up to the system's mass, and the result boosted to the system's momentum.
import { boostAll, boostFromRest, restFrameMomentum, transverseBasis, twoBodyDecay } from '@shared/physics/lorentz';

/** A parton as the shower sees it: a (massless) quark or antiquark of any flavour, or a gluon. */
export type Flavour = 'q' | 'g';

export interface ShowerParams {
  /** Cutoff on the relative transverse momentum of a branching, kT > q0, GeV. */
  q0: number;
  /** α_s(M_Z) of the one-loop running coupling in kT² (default: the world average 0.118). */
  alphaSMZ: number;
}

export const DEFAULT_SHOWER: ShowerParams = { q0: 1, alphaSMZ: 0.118 };

export interface FragmentationParams {
  /** Exponent a of the fragmentation function (1+a)(1−z)^a. */
  a: number;
  /** Width of each component of the transverse momentum of a new q q̄ pair, GeV. */
  sigmaKt: number;
  /** Fragmentation of a parton stops when less light-cone momentum E + |p| than this is left, GeV. */
  wMin: number;
  /** Mass of every hadron (pions), GeV. */
  hadronMass: number;
}

// Tuned by hand so that R = 0.8 jets near 600 GeV have about 40 (QCD) and 55 (top) constituents, the
// scale of the Delphes E-flow jets of the Top Tagging dataset; σ_kT is Pythia's default.
export const DEFAULT_FRAGMENTATION: FragmentationParams = { a: 2, sigmaKt: 0.35, wMin: 0.6, hadronMass: 0.13957 };

/** One parton of a shower history; the root is the initiator. */
export interface ShowerNode {
  flavour: Flavour;
  /** Energy in the shower frame that the evolution assumed, GeV. */
  e: number;
  /** Virtuality t = m² (GeV²); 0 for a final, on-shell massless parton. */
  t: number;
  /** Energy fraction of the first daughter (when the parton branched). */
  z: number;
  daughters: [ShowerNode, ShowerNode] | null;
}

/** A random source: uniform in [0, 1) and standard normal. */
export interface Rng {
  uniform: () => number;
  gauss: () => number;
}

const C_F = 4 / 3;
const C_A = 3;
const T_R = 0.5;
const N_F = 5;
const MZ = 91.1876;
const B0 = (33 - 2 * N_F) / (12 * Math.PI);

type Channel = 'qg' | 'gg' | 'qq';

/** The virtuality-ordered shower with its coupling and cutoff fixed. */
export class PartonShower {
  private readonly q02: number;
  private readonly lambda2: number;
  private readonly alphaMax: number;

  constructor(
    private readonly rng: Rng,
    params: ShowerParams = DEFAULT_SHOWER,
  ) {
    if (!(params.q0 > 0)) throw new Error(`parton shower: q0 must be > 0 GeV, got ${params.q0}`);
    if (!(params.alphaSMZ > 0 && params.alphaSMZ < 1)) throw new Error(`parton shower: α_s(M_Z) must be in (0, 1), got ${params.alphaSMZ}`);
    this.q02 = params.q0 * params.q0;
    this.lambda2 = MZ * MZ * Math.exp(-1 / (B0 * params.alphaSMZ));
    if (!(this.q02 > this.lambda2 * 1.01)) throw new Error(`parton shower: q0 = ${params.q0} GeV is below Λ_QCD`);
    this.alphaMax = this.alphaS(this.q02);
  }

  /** One-loop α_s at scale² kt2 (n_f = 5, Λ fixed by α_s(M_Z)). */
  alphaS(kt2: number): number {
    return 1 / (B0 * Math.log(kt2 / this.lambda2));
  }

  /**
   * The shower history of a parton of energy `e` (shower frame) whose virtuality is below tMax and
   * whose first branching opens by less than 1 − cos θ = zetaMax (1 = a hemisphere).
   */
  evolve(flavour: Flavour, e: number, tMax: number, zetaMax: number): ShowerNode {
    const node: ShowerNode = { flavour, e, t: 0, z: 0, daughters: null };
    const branching = this.nextBranching(flavour, e, tMax, zetaMax);
    if (!branching) return node;
    const { t, z, channel } = branching;
    node.t = t;
    node.z = z;
    const zeta = t / (2 * z * (1 - z) * e * e);
    const [fb, fc]: [Flavour, Flavour] = channel === 'qg' ? ['q', 'g'] : channel === 'gg' ? ['g', 'g'] : ['q', 'q'];
    const eb = z * e;
    const ec = (1 - z) * e;
    node.daughters = this.evolvePair(fb, eb, Math.min(t, eb * eb), fc, ec, Math.min(t, ec * ec), Math.sqrt(t), zeta);
    return node;
  }

  /**
   * Two partons from one mother of mass `mass` (a branching or a resonance decay), evolved so that
   * their masses fit: m_b + m_c < mass.
   */
  evolvePair(
    fb: Flavour,
    eb: number,
    tMaxB: number,
    fc: Flavour,
    ec: number,
    tMaxC: number,
    mass: number,
    zetaMax: number,
  ): [ShowerNode, ShowerNode] {
    let b = this.evolve(fb, eb, tMaxB, zetaMax);
    let c = this.evolve(fc, ec, tMaxC, zetaMax);
    const mb = Math.sqrt(b.t);
    const mc = Math.sqrt(c.t);
    if (mb + mc >= mass) {
      // Each is below the mother's mass on its own, so one re-evolution of the heavier one fits.
      if (mb >= mc) b = this.evolve(fb, eb, (mass - mc) ** 2, zetaMax);
      else c = this.evolve(fc, ec, (mass - mb) ** 2, zetaMax);
    }
    return [b, c];
  }

  /** The first branching below tMax by the veto algorithm, or null when none happens above the cutoff. */
  private nextBranching(flavour: Flavour, e: number, tMax: number, zetaMax: number): { t: number; z: number; channel: Channel } | null {
    const tCut = 4 * this.q02; // below it no z has z(1−z)t > q0²
    if (!(tMax > tCut)) return null;
    const { uniform } = this.rng;
    const eps = 0.5 * (1 - Math.sqrt(1 - (4 * this.q02) / tMax)); // widest z range, at t = tMax
    const logRange = Math.log((1 - eps) / eps);
    // Overestimates of P(z) with α_s = α_max: 2C_F/(1−z); C_A (1/z + 1/(1−z)); n_f T_R.
    const iQg = 2 * C_F * logRange;
    const iGg = 2 * C_A * logRange;
    const iQq = N_F * T_R * (1 - 2 * eps);
    const total = flavour === 'q' ? iQg : iGg + iQq;
    const power = (2 * Math.PI) / (this.alphaMax * total);
    const softZ = (): number => eps * Math.exp(logRange * uniform()); // density ∝ 1/z on [eps, 1−eps]
    let t = tMax;
    for (;;) {
      t *= Math.pow(1 - uniform(), power);
      if (t <= tCut) return null;
      let channel: Channel;
      let z: number;
      let ratio: number;
      if (flavour === 'q') {
        channel = 'qg';
        z = 1 - softZ();
        ratio = (1 + z * z) / 2;
      } else if (uniform() * total < iGg) {
        channel = 'gg';
        z = uniform() < 0.5 ? softZ() : 1 - softZ();
        const w = z * (1 - z);
        ratio = (1 - w) ** 2; // C_A (1 − w)²/w over C_A/w
      } else {
        channel = 'qq';
        z = eps + (1 - 2 * eps) * uniform();
        ratio = z * z + (1 - z) * (1 - z);
      }
      const kt2 = z * (1 - z) * t;
      if (kt2 <= this.q02) continue;
      if (t / (2 * z * (1 - z) * e * e) > zetaMax) continue;
      if (uniform() * this.alphaMax < this.alphaS(kt2) * ratio) return { t, z, channel };
    }
  }

  /**
   * The final partons of a history whose initiator has four-momentum p (E, px, py, pz; its mass
   * should be √node.t), appended to `out` as (E, px, py, pz).
   */
  realise(node: ShowerNode, p: ArrayLike<number>, out: number[]): void {
    if (!node.daughters) {
      out.push(p[0], p[1], p[2], p[3]);
      return;
    }
    const [b, c] = node.daughters;
    const ma = Math.sqrt(Math.max(p[0] * p[0] - p[1] * p[1] - p[2] * p[2] - p[3] * p[3], 0));
    const mb = Math.sqrt(b.t);
    const mc = Math.sqrt(c.t);
    const eb = (ma * ma + mb * mb - mc * mc) / (2 * ma);
    const pStar = restFrameMomentum(ma, mb, mc);
    const betaP = (Math.hypot(p[1], p[2], p[3]) / p[0]) * pStar;
    // Polar angle (about a's direction) that gives b the energy z·E_a in this frame.
    const cos = betaP > 0 ? Math.max(-1, Math.min(1, (node.z * ma - eb) / betaP)) : 1;
    const [pb, pc] = twoBodyDecay(p, mb, mc, cos, 2 * Math.PI * this.rng.uniform());
    this.realise(b, pb, out);
    this.realise(c, pc, out);
  }
}

/** Hadrons of one parton by iterative light-cone fragmentation, appended to `out`. */
function fragmentParton(p: ArrayLike<number>, rng: Rng, f: FragmentationParams, out: number[]): void {
  const pp = Math.hypot(p[1], p[2], p[3]);
  if (!(pp > 0)) return;
  const [nx, ny, nz] = [p[1] / pp, p[2] / pp, p[3] / pp];
  const [e1, e2] = transverseBasis(nx, ny, nz);
  const m2 = f.hadronMass * f.hadronMass;
  let w = p[0] + pp;
  let qx = 0; // transverse momentum carried by the leading quark
  let qy = 0;
  while (w >= f.wMin) {
    const kx = f.sigmaKt * rng.gauss();
    const ky = f.sigmaKt * rng.gauss();
    const hx = qx - kx;
    const hy = qy - ky;
    const mt2 = m2 + hx * hx + hy * hy;
    if (w * w <= mt2) break; // too little left for this hadron
    // z from (1+a)(1−z)^a restricted to z > mT/w (the hadron's threshold), by the inverse CDF.
    const wh = w - (w - Math.sqrt(mt2)) * Math.pow(1 - rng.uniform(), 1 / (1 + f.a));
    if (!(wh * wh > mt2)) break; // only where u rounds to 0
    const e = 0.5 * (wh + mt2 / wh);
    const pl = 0.5 * (wh - mt2 / wh);
    out.push(e, pl * nx + hx * e1[0] + hy * e2[0], pl * ny + hx * e1[1] + hy * e2[1], pl * nz + hx * e1[2] + hy * e2[2]);
    w -= wh;
    qx = kx;
    qy = ky;
  }
}

function massOf(s: ArrayLike<number>): number {
  return Math.sqrt(Math.max(s[0] * s[0] - s[1] * s[1] - s[2] * s[2] - s[3] * s[3], 0));
}

/**
 * Hadrons (flat (E, px, py, pz)) from final partons (flat, massless), their four-momenta adding up to
 * the partons' total exactly (up to rounding). Falls back to the partons themselves where the system
 * is too light to hold two hadrons.
 */
export function hadronise(partons: ArrayLike<number>, rng: Rng, f: FragmentationParams = DEFAULT_FRAGMENTATION): number[] {
  const total = [0, 0, 0, 0];
  for (let i = 0; i < partons.length; i++) total[i % 4] += partons[i];
  const hadrons: number[] = [];
  for (let i = 0; i < partons.length; i += 4) fragmentParton([partons[i], partons[i + 1], partons[i + 2], partons[i + 3]], rng, f, hadrons);
  const n = hadrons.length / 4;
  const sum = [0, 0, 0, 0];
  for (let i = 0; i < hadrons.length; i++) sum[i % 4] += hadrons[i];
  const mTarget = massOf(total);
  const mSum = massOf(sum);
  if (n < 2 || !(mTarget > 2 * f.hadronMass) || !(mSum > 0)) return Array.from(partons);
  // To the hadrons' rest frame; there scale |p| by k so that Σ√(m² + k²p²) = mTarget.
  const back = [sum[0], -sum[1], -sum[2], -sum[3]];
  const pAbs = new Float64Array(n);
  let sumP = 0;
  for (let i = 0; i < n; i++) {
    const h = hadrons.slice(4 * i, 4 * i + 4);
    boostFromRest(h, back, mSum);
    for (let c = 1; c < 4; c++) hadrons[4 * i + c] = h[c];
    pAbs[i] = Math.hypot(h[1], h[2], h[3]);
    sumP += pAbs[i];
  }
  const m = n * f.hadronMass < mTarget ? f.hadronMass : 0; // too many hadrons for their mass: make them massless
  // Σ√(m² + k²p²) is convex and increasing in k, and k·Σp ≤ it: Newton from k = mTarget/Σp descends monotonically.
  let k = mTarget / sumP;
  for (let it = 0; it < 50; it++) {
    let g = -mTarget;
    let dg = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.sqrt(m * m + k * k * pAbs[i] * pAbs[i]);
      g += e;
      if (e > 0) dg += (k * pAbs[i] * pAbs[i]) / e;
    }
    const step = g / dg;
    k -= step;
    if (Math.abs(step) <= 1e-14 * k) break;
  }
  for (let i = 0; i < n; i++) {
    const h = [0, k * hadrons[4 * i + 1], k * hadrons[4 * i + 2], k * hadrons[4 * i + 3]];
    h[0] = Math.sqrt(m * m + k * k * pAbs[i] * pAbs[i]);
    boostFromRest(h, total, mTarget);
    for (let c = 0; c < 4; c++) hadrons[4 * i + c] = h[c];
  }
  return hadrons;
}

/**
 * Hadrons of a lone massless parton p (one that never branched, so it has no rest frame): fragmented
 * in the frame where it has energy ≈ scale/2 (the reach of the string piece inside the jet), then
 * given p's three-momentum with the hadron system's own mass, so the energy grows by ≈ M²/(2|p|).
 * Returns p itself where fewer than two hadrons come out.
 */
export function hadroniseLone(p: ArrayLike<number>, rng: Rng, scale: number, f: FragmentationParams = DEFAULT_FRAGMENTATION): number[] {
  const pp = Math.hypot(p[1], p[2], p[3]);
  const frame = [Math.hypot(pp, scale), p[1], p[2], p[3]];
  const parton = [p[0], p[1], p[2], p[3]];
  boostAll(parton, [frame[0], -p[1], -p[2], -p[3]], scale);
  const hadrons: number[] = [];
  fragmentParton(parton, rng, f, hadrons);
  if (hadrons.length < 8) return [p[0], p[1], p[2], p[3]];
  boostAll(hadrons, frame, scale);
  const sum = [0, 0, 0, 0];
  for (let i = 0; i < hadrons.length; i++) sum[i % 4] += hadrons[i];
  const m = massOf(sum);
  boostAll(hadrons, [sum[0], -sum[1], -sum[2], -sum[3]], m);
  boostAll(hadrons, [Math.hypot(pp, m), p[1], p[2], p[3]], m);
  return hadrons;
}
