// N-subjettiness τ_N (Thaler & Van Tilburg, arXiv:1011.2268) with β = 1, exclusive-kT axes and the normalised
// measure, matching fastjet-contrib's `Nsubjettiness(N, KT_Axes(), NormalizedMeasure(1, R0))`:
//   τ_N = Σ_k pT_k · min_a ΔR(k, a)  /  (R0 · Σ_k pT_k)
// The axes are the N exclusive jets of a kT reclustering of the constituents with E-scheme recombination.
// fastjet-contrib's KT_Axes uses R = max_allowable_R (1000), so the beam distance pT² never beats a pair distance
// min(pT_i², pT_j²)·ΔR²/R²: the clustering merges the closest pair until N pseudojets remain, and R drops out.
// Distances are in (rapidity, φ) as fastjet's; a constituent given as (pT, η, φ) is massless, so its y is η.

/** Constituents as transverse momentum, pseudorapidity and azimuth (massless particles). */
export interface PtEtaPhi {
  pt: ArrayLike<number>;
  eta: ArrayLike<number>;
  phi: ArrayLike<number>;
}

/** Constituents as four-momenta (E, px, py, pz). */
export interface FourMomenta {
  e: ArrayLike<number>;
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  pz: ArrayLike<number>;
}

/** A jet's constituents; entries with pT = 0 (zero padding) are ignored. */
export type JetConstituents = PtEtaPhi | FourMomenta;

export interface NsubjettinessRatios {
  tau1: number;
  tau2: number;
  tau3: number;
  /** τ2/τ1, or 0 when τ1 = 0. */
  tau21: number;
  /** τ3/τ2, or 0 when τ2 = 0. */
  tau32: number;
}

/** The CMS/ATLAS large-R jet radius, used as R0 by default. */
export const DEFAULT_R0 = 0.8;

// fastjet's cap on |y| for a pseudojet with E ≤ |pz|.
const MAX_RAP = 1e5;

/** Working copy of the constituents, one entry per pseudojet, with pT = 0 entries dropped. */
interface Particles {
  n: number;
  e: Float64Array;
  px: Float64Array;
  py: Float64Array;
  pz: Float64Array;
  pt2: Float64Array;
  y: Float64Array;
  phi: Float64Array;
}

function rapidity(e: number, pz: number): number {
  if (e <= Math.abs(pz)) return pz >= 0 ? MAX_RAP : -MAX_RAP;
  return 0.5 * Math.log((e + pz) / (e - pz));
}

function checkFinite(name: string, i: number, v: number): void {
  if (!Number.isFinite(v)) throw new Error(`N-subjettiness: constituent ${i} has a non-finite ${name} (${v})`);
}

function checkLengths(lengths: number[], names: string): number {
  if (lengths.some((l) => l !== lengths[0])) {
    throw new Error(`N-subjettiness: constituent arrays ${names} differ in length (${lengths.join(', ')})`);
  }
  return lengths[0];
}

function toParticles(jet: JetConstituents): Particles {
  const fromFour = 'e' in jet;
  const len = fromFour
    ? checkLengths([jet.e.length, jet.px.length, jet.py.length, jet.pz.length], '(e, px, py, pz)')
    : checkLengths([jet.pt.length, jet.eta.length, jet.phi.length], '(pt, eta, phi)');
  const p: Particles = {
    n: 0,
    e: new Float64Array(len),
    px: new Float64Array(len),
    py: new Float64Array(len),
    pz: new Float64Array(len),
    pt2: new Float64Array(len),
    y: new Float64Array(len),
    phi: new Float64Array(len),
  };
  for (let i = 0; i < len; i++) {
    let e: number, px: number, py: number, pz: number, y: number, phi: number;
    if (fromFour) {
      e = jet.e[i];
      px = jet.px[i];
      py = jet.py[i];
      pz = jet.pz[i];
      checkFinite('E', i, e);
      checkFinite('px', i, px);
      checkFinite('py', i, py);
      checkFinite('pz', i, pz);
      if (px === 0 && py === 0) continue;
      y = rapidity(e, pz);
      phi = Math.atan2(py, px);
    } else {
      const pt = jet.pt[i];
      const eta = jet.eta[i];
      phi = jet.phi[i];
      checkFinite('pT', i, pt);
      checkFinite('eta', i, eta);
      checkFinite('phi', i, phi);
      if (pt < 0) throw new Error(`N-subjettiness: constituent ${i} has a negative pT (${pt})`);
      if (pt === 0) continue;
      e = pt * Math.cosh(eta);
      px = pt * Math.cos(phi);
      py = pt * Math.sin(phi);
      pz = pt * Math.sinh(eta);
      y = eta;
    }
    const k = p.n++;
    p.e[k] = e;
    p.px[k] = px;
    p.py[k] = py;
    p.pz[k] = pz;
    p.pt2[k] = px * px + py * py;
    p.y[k] = y;
    p.phi[k] = phi;
  }
  return p;
}

function cloneParticles(p: Particles): Particles {
  return {
    n: p.n,
    e: p.e.slice(),
    px: p.px.slice(),
    py: p.py.slice(),
    pz: p.pz.slice(),
    pt2: p.pt2.slice(),
    y: p.y.slice(),
    phi: p.phi.slice(),
  };
}

function deltaR2(y1: number, phi1: number, y2: number, phi2: number): number {
  const dy = y1 - y2;
  let dphi = Math.abs(phi1 - phi2);
  if (dphi > Math.PI) dphi = 2 * Math.PI - dphi;
  return dy * dy + dphi * dphi;
}

interface Axes {
  y: Float64Array;
  phi: Float64Array;
}

/**
 * kT-reclusters the particles (pairwise merging only, see the header) and returns, for every requested count N
 * below the multiplicity, the (y, φ) of the N pseudojets alive when N remain. A nearest-neighbour cache keeps each
 * merge O(n) in the usual case.
 */
function exclusiveKtAxes(p: Particles, counts: number[]): Map<number, Axes> {
  const n = p.n;
  const { e, px, py, pz, pt2, y, phi } = p;
  const active = new Uint8Array(n).fill(1);
  const nn = new Int32Array(n).fill(-1);
  const nnDist = new Float64Array(n).fill(Infinity);
  const dij = (i: number, j: number): number => Math.min(pt2[i], pt2[j]) * deltaR2(y[i], phi[i], y[j], phi[j]);
  const findNeighbour = (i: number): void => {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i || !active[j]) continue;
      const d = dij(i, j);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    nn[i] = best;
    nnDist[i] = bestD;
  };
  for (let i = 0; i < n; i++) findNeighbour(i);

  const result = new Map<number, Axes>();
  const snapshot = (count: number): void => {
    const axes: Axes = { y: new Float64Array(count), phi: new Float64Array(count) };
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      axes.y[k] = y[i];
      axes.phi[k] = phi[i];
      k++;
    }
    result.set(count, axes);
  };
  const wanted = new Set(counts.filter((c) => c >= 1 && c < n));
  const lowest = Math.min(...wanted);
  for (let alive = n; alive > lowest; ) {
    let i = -1;
    let best = Infinity;
    for (let k = 0; k < n; k++) {
      if (active[k] && nnDist[k] < best) {
        best = nnDist[k];
        i = k;
      }
    }
    const j = nn[i];
    // E-scheme: add the four-momenta; the merged pseudojet takes slot i.
    e[i] += e[j];
    px[i] += px[j];
    py[i] += py[j];
    pz[i] += pz[j];
    pt2[i] = px[i] * px[i] + py[i] * py[i];
    y[i] = rapidity(e[i], pz[i]);
    phi[i] = Math.atan2(py[i], px[i]);
    active[j] = 0;
    alive--;
    // Pseudojets whose neighbour was i or j need a fresh search; any other may now prefer the merged i.
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === i) continue;
      if (nn[k] === i || nn[k] === j) {
        findNeighbour(k);
      } else {
        const d = dij(k, i);
        if (d < nnDist[k]) {
          nnDist[k] = d;
          nn[k] = i;
        }
      }
    }
    findNeighbour(i);
    if (wanted.has(alive)) snapshot(alive);
  }
  return result;
}

function tauFromAxes(p: Particles, axes: Axes, r0: number): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < p.n; k++) {
    const pt = Math.sqrt(p.pt2[k]);
    let minR2 = Infinity;
    for (let a = 0; a < axes.y.length; a++) {
      minR2 = Math.min(minR2, deltaR2(p.y[k], p.phi[k], axes.y[a], axes.phi[a]));
    }
    num += pt * Math.sqrt(minR2);
    den += pt;
  }
  return num / (den * r0);
}

function checkR0(r0: number): void {
  if (!(Number.isFinite(r0) && r0 > 0)) throw new Error(`N-subjettiness: R0 must be a positive number, got ${r0}`);
}

/** τ_N for each N in `ns`, from one reclustering. N ≥ multiplicity (including an empty jet) gives 0. */
function tauMany(jet: JetConstituents, ns: number[], r0: number): number[] {
  checkR0(r0);
  for (const N of ns) {
    if (!Number.isInteger(N) || N < 1) throw new Error(`N-subjettiness: N must be a positive integer, got ${N}`);
  }
  const p = toParticles(jet);
  const needed = ns.filter((N) => N < p.n);
  if (needed.length === 0) return ns.map(() => 0);
  // Clustering overwrites its working arrays; the measure is taken on the untouched constituents.
  const axes = exclusiveKtAxes(cloneParticles(p), needed);
  return ns.map((N) => (N < p.n ? tauFromAxes(p, axes.get(N)!, r0) : 0));
}

/** Normalised N-subjettiness τ_N (β = 1, exclusive-kT axes) of one jet; R0 defaults to 0.8. */
export function tauN(jet: JetConstituents, n: number, r0: number = DEFAULT_R0): number {
  return tauMany(jet, [n], r0)[0];
}

/** τ1, τ2, τ3 and the ratios τ21 = τ2/τ1, τ32 = τ3/τ2 (a ratio with a zero denominator is 0, not NaN). */
export function nsubjettinessRatios(jet: JetConstituents, r0: number = DEFAULT_R0): NsubjettinessRatios {
  const [tau1, tau2, tau3] = tauMany(jet, [1, 2, 3], r0);
  return {
    tau1,
    tau2,
    tau3,
    tau21: tau1 > 0 ? tau2 / tau1 : 0,
    tau32: tau2 > 0 ? tau3 / tau2 : 0,
  };
}
