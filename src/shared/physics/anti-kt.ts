// Sequential-recombination jet clustering of the generalised kT family (Cacciari, Salam & Soyez,
// arXiv:0802.1189 for anti-kT), as FastJet's inclusive jets with the E-scheme:
//   d_ij = min(kT_i^2p, kT_j^2p) · ΔR_ij² / R²,   d_iB = kT_i^2p,
// p = −1 anti-kT, 0 Cambridge/Aachen, 1 kT; ΔR² = Δy² + Δφ² in rapidity (FastJet's default) or
// pseudorapidity. The smallest distance is taken at every step: a pair is merged by adding
// four-momenta, a d_iB makes i a final jet.
//
// O(n²) by FastJet's "N2Plain" observation: if d_ij is the global minimum and kT_i^2p ≤ kT_j^2p,
// then j is i's geometric nearest neighbour (any closer k would give d_ik < d_ij). So each pseudojet
// keeps only its geometric nearest neighbour, and a step updates those of the others in O(n).

export type JetRapidity = 'rapidity' | 'pseudorapidity';

export interface ClusterOptions {
  /** Jet radius R > 0. */
  r: number;
  /** Exponent p of kT^2p: −1 anti-kT (default), 0 Cambridge/Aachen, 1 kT. */
  p?: number;
  /** The longitudinal coordinate of ΔR; default 'rapidity' (FastJet). */
  coordinate?: JetRapidity;
  /** Jets with pT below this are not returned; default 0. */
  ptMin?: number;
}

export interface ClusteredJet {
  e: number;
  px: number;
  py: number;
  pz: number;
  pt: number;
  /** Rapidity or pseudorapidity, as chosen by `coordinate`. */
  y: number;
  /** Azimuth in (−π, π]. */
  phi: number;
  mass: number;
  /** Indices (particle numbers in the input) of the constituents, ascending. */
  constituents: number[];
}

// FastJet's stand-ins: |y| of a pseudojet with E ≤ |pz| (pT = 0 or rounding), and the kT^−2 of pT = 0.
const MAX_RAP = 1e5;
const HUGE_SCALE = 1e300;

function longitudinal(e: number, px: number, py: number, pz: number, coordinate: JetRapidity): number {
  const pt2 = px * px + py * py;
  if (coordinate === 'pseudorapidity') {
    if (pt2 === 0) return pz === 0 ? 0 : Math.sign(pz) * MAX_RAP;
    return Math.asinh(pz / Math.sqrt(pt2));
  }
  if (e <= Math.abs(pz)) return pz >= 0 ? MAX_RAP : -MAX_RAP;
  return 0.5 * Math.log((e + pz) / (e - pz));
}

function azimuth(px: number, py: number): number {
  const phi = Math.atan2(py, px);
  return phi === -Math.PI ? Math.PI : phi;
}

function scale(pt2: number, p: number): number {
  if (p === 0) return 1;
  if (pt2 === 0) return p < 0 ? HUGE_SCALE : 0;
  return p === -1 ? 1 / pt2 : p === 1 ? pt2 : Math.pow(pt2, p);
}

function checkOptions(o: ClusterOptions): Required<ClusterOptions> {
  const r = o.r;
  const p = o.p ?? -1;
  const coordinate = o.coordinate ?? 'rapidity';
  const ptMin = o.ptMin ?? 0;
  if (!(Number.isFinite(r) && r > 0)) throw new Error(`jet clustering: R must be a positive number, got ${r}`);
  if (!Number.isFinite(p)) throw new Error(`jet clustering: p must be a finite number, got ${p}`);
  if (coordinate !== 'rapidity' && coordinate !== 'pseudorapidity') {
    throw new Error(`jet clustering: coordinate must be 'rapidity' or 'pseudorapidity', got '${coordinate as string}'`);
  }
  if (!(ptMin >= 0)) throw new Error(`jet clustering: ptMin must be ≥ 0, got ${ptMin}`);
  return { r, p, coordinate, ptMin };
}

/**
 * Inclusive jets of the particles in `p4` (flat (E, px, py, pz) × n), hardest first. Entries with
 * E = px = py = pz = 0 are zero padding and are skipped; non-finite values are rejected.
 */
export function clusterJets(p4: ArrayLike<number>, options: ClusterOptions): ClusteredJet[] {
  const { r, p, coordinate, ptMin } = checkOptions(options);
  if (p4.length % 4 !== 0) throw new Error(`jet clustering: expected 4 numbers per particle, got ${p4.length} numbers`);
  const n = p4.length / 4;
  const e = new Float64Array(n);
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  const y = new Float64Array(n);
  const phi = new Float64Array(n);
  const sc = new Float64Array(n);
  const active = new Uint8Array(n);
  const members: number[][] = [];
  let alive = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 4; c++) {
      if (!Number.isFinite(p4[4 * i + c])) throw new Error(`jet clustering: particle ${i} has a non-finite component ${c} (${p4[4 * i + c]})`);
    }
    members.push([i]);
    [e[i], px[i], py[i], pz[i]] = [p4[4 * i], p4[4 * i + 1], p4[4 * i + 2], p4[4 * i + 3]];
    if (e[i] === 0 && px[i] === 0 && py[i] === 0 && pz[i] === 0) continue;
    active[i] = 1;
    alive++;
  }
  const refresh = (i: number): void => {
    y[i] = longitudinal(e[i], px[i], py[i], pz[i], coordinate);
    phi[i] = azimuth(px[i], py[i]);
    sc[i] = scale(px[i] * px[i] + py[i] * py[i], p);
  };
  for (let i = 0; i < n; i++) if (active[i]) refresh(i);

  const invR2 = 1 / (r * r);
  const nn = new Int32Array(n).fill(-1);
  const nnDr2 = new Float64Array(n).fill(Infinity);
  const dr2 = (i: number, j: number): number => {
    let dphi = Math.abs(phi[i] - phi[j]);
    if (dphi > Math.PI) dphi = 2 * Math.PI - dphi;
    const dy = y[i] - y[j];
    return dy * dy + dphi * dphi;
  };
  const findNeighbour = (i: number): void => {
    nn[i] = -1;
    nnDr2[i] = Infinity;
    for (let k = 0; k < n; k++) {
      if (k === i || !active[k]) continue;
      const d = dr2(i, k);
      if (d < nnDr2[i]) {
        nnDr2[i] = d;
        nn[i] = k;
      }
    }
  };
  for (let i = 0; i < n; i++) if (active[i]) findNeighbour(i);

  const jets: ClusteredJet[] = [];
  while (alive > 0) {
    // The smallest of all d_iJ (to the geometric neighbour) and d_iB.
    let best = -1;
    let bestD = Infinity;
    let merge = false;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      if (sc[i] < bestD) {
        bestD = sc[i];
        best = i;
        merge = false;
      }
      if (nn[i] >= 0) {
        const d = Math.min(sc[i], sc[nn[i]]) * nnDr2[i] * invR2;
        if (d < bestD) {
          bestD = d;
          best = i;
          merge = true;
        }
      }
    }
    const i = best;
    if (merge) {
      const j = nn[i];
      e[i] += e[j];
      px[i] += px[j];
      py[i] += py[j];
      pz[i] += pz[j];
      refresh(i);
      members[i] = members[i].concat(members[j]);
      active[j] = 0;
      alive--;
      for (let k = 0; k < n; k++) {
        if (!active[k] || k === i) continue;
        if (nn[k] === i || nn[k] === j) findNeighbour(k);
        else {
          const d = dr2(k, i);
          if (d < nnDr2[k]) {
            nnDr2[k] = d;
            nn[k] = i;
          }
        }
      }
      findNeighbour(i);
    } else {
      active[i] = 0;
      alive--;
      const pt = Math.hypot(px[i], py[i]);
      if (pt >= ptMin) {
        const m2 = e[i] * e[i] - px[i] * px[i] - py[i] * py[i] - pz[i] * pz[i];
        const constituents = members[i].sort((a, b) => a - b);
        jets.push({ e: e[i], px: px[i], py: py[i], pz: pz[i], pt, y: y[i], phi: phi[i], mass: m2 > 0 ? Math.sqrt(m2) : 0, constituents });
      }
      for (let k = 0; k < n; k++) if (active[k] && nn[k] === i) findNeighbour(k);
    }
  }
  return jets.sort((a, b) => b.pt - a.pt);
}
