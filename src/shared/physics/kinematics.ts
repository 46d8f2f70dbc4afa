// Collider kinematics of four-momenta (E, px, py, pz) in GeV, scalar and over flat jet batches.
//
// Batch layout (Top Tagging, physics.md §1.1): a flat array of nJets × nConst × 4 numbers,
// constituent c of jet j at offset (j * nConst + c) * 4 holding (E, px, py, pz). Zero padding marks
// absent constituents; a constituent is real exactly when E > 0. Batch functions loop over the
// flat arrays and allocate only their outputs, never one object per particle.

export type FloatArray = Float32Array | Float64Array;

/** ROOT's convention (TVector3::PseudoRapidity) for a momentum along the beam: a huge but finite |η|. */
export const BEAM_AXIS_ETA = 1e10;

/** Transverse momentum √(px² + py²). */
export function transverseMomentum(px: number, py: number): number {
  return Math.hypot(px, py);
}

/**
 * Pseudorapidity η = asinh(pz / pT) (equal to −ln tan(θ/2), stable at large |η|).
 * pT = 0: η = 0 for the zero vector, ±BEAM_AXIS_ETA along the beam, so η stays finite and
 * pT-weighted sums over it stay defined.
 */
export function pseudorapidity(px: number, py: number, pz: number): number {
  const pt = Math.hypot(px, py);
  if (pt === 0) return pz === 0 ? 0 : Math.sign(pz) * BEAM_AXIS_ETA;
  return Math.asinh(pz / pt);
}

/** Azimuth φ = atan2(py, px) mapped into (−π, π] (atan2's −π becomes +π; φ(0, 0) = 0). */
export function azimuth(px: number, py: number): number {
  const phi = Math.atan2(py, px);
  return phi === -Math.PI ? Math.PI : phi;
}

/** Invariant mass √max(0, E² − |p|²): rounding can make a massless vector slightly space-like. */
export function invariantMass(e: number, px: number, py: number, pz: number): number {
  const m2 = e * e - (px * px + py * py + pz * pz);
  return m2 > 0 ? Math.sqrt(m2) : 0;
}

/** An angle difference wrapped into (−π, π]. */
export function wrapDeltaPhi(dphi: number): number {
  if (dphi > -Math.PI && dphi <= Math.PI) return dphi;
  return dphi - 2 * Math.PI * Math.ceil((dphi - Math.PI) / (2 * Math.PI));
}

/** Checks that a flat batch holds nJets × nConst × 4 numbers; throws a message naming the problem. */
export function checkBatchShape(p4: ArrayLike<number>, nJets: number, nConst: number, what = 'four-momenta'): void {
  if (!Number.isInteger(nJets) || nJets < 0) throw new Error(`${what}: nJets must be a non-negative integer, got ${nJets}`);
  if (!Number.isInteger(nConst) || nConst < 1) throw new Error(`${what}: nConst must be a positive integer, got ${nConst}`);
  if (p4.length !== nJets * nConst * 4) {
    throw new Error(
      `${what}: expected ${nJets} jets × ${nConst} constituents × 4 = ${nJets * nConst * 4} numbers, got ${p4.length}`,
    );
  }
}

/** Per-constituent (pT, η, φ) with the real-constituent mask, each of length nJets × nConst. */
export interface ConstituentKinematics {
  pt: Float64Array;
  eta: Float64Array;
  phi: Float64Array;
  /** 1 where E > 0 (a real constituent), 0 for padding; padding has pT = η = φ = 0. */
  mask: Uint8Array;
}

/**
 * (pT, η, φ) of every constituent of a batch. Pass `out` (arrays of length ≥ nJets × nConst) to
 * reuse buffers when processing many chunks.
 */
export function constituentKinematics(
  p4: FloatArray,
  nJets: number,
  nConst: number,
  out?: ConstituentKinematics,
): ConstituentKinematics {
  checkBatchShape(p4, nJets, nConst);
  const n = nJets * nConst;
  const res = out ?? {
    pt: new Float64Array(n),
    eta: new Float64Array(n),
    phi: new Float64Array(n),
    mask: new Uint8Array(n),
  };
  if (res.pt.length < n || res.eta.length < n || res.phi.length < n || res.mask.length < n) {
    throw new Error(`constituentKinematics: output buffers hold fewer than ${n} constituents`);
  }
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (p4[o] > 0) {
      const px = p4[o + 1];
      const py = p4[o + 2];
      res.pt[i] = Math.hypot(px, py);
      res.eta[i] = pseudorapidity(px, py, p4[o + 3]);
      res.phi[i] = azimuth(px, py);
      res.mask[i] = 1;
    } else {
      res.pt[i] = 0;
      res.eta[i] = 0;
      res.phi[i] = 0;
      res.mask[i] = 0;
    }
  }
  return res;
}

/** Jet four-momenta: the sum over real constituents (E > 0), flat (nJets, 4) as (E, px, py, pz). */
export function jetFourMomenta(p4: FloatArray, nJets: number, nConst: number): Float64Array {
  checkBatchShape(p4, nJets, nConst);
  const out = new Float64Array(nJets * 4);
  for (let j = 0; j < nJets; j++) {
    let e = 0;
    let px = 0;
    let py = 0;
    let pz = 0;
    for (let c = 0, o = j * nConst * 4; c < nConst; c++, o += 4) {
      if (p4[o] > 0) {
        e += p4[o];
        px += p4[o + 1];
        py += p4[o + 2];
        pz += p4[o + 3];
      }
    }
    out[j * 4] = e;
    out[j * 4 + 1] = px;
    out[j * 4 + 2] = py;
    out[j * 4 + 3] = pz;
  }
  return out;
}

/** Jet-level pT, η, φ, mass and real-constituent multiplicity, each of length nJets. */
export interface JetKinematics {
  pt: Float64Array;
  eta: Float64Array;
  phi: Float64Array;
  mass: Float64Array;
  multiplicity: Int32Array;
}

/** pT, η, φ and mass of each jet's summed four-momentum, and how many real constituents it has. */
export function jetKinematics(p4: FloatArray, nJets: number, nConst: number): JetKinematics {
  const sums = jetFourMomenta(p4, nJets, nConst);
  const res: JetKinematics = {
    pt: new Float64Array(nJets),
    eta: new Float64Array(nJets),
    phi: new Float64Array(nJets),
    mass: new Float64Array(nJets),
    multiplicity: new Int32Array(nJets),
  };
  for (let j = 0; j < nJets; j++) {
    const e = sums[j * 4];
    const px = sums[j * 4 + 1];
    const py = sums[j * 4 + 2];
    const pz = sums[j * 4 + 3];
    res.pt[j] = Math.hypot(px, py);
    res.eta[j] = pseudorapidity(px, py, pz);
    res.phi[j] = azimuth(px, py);
    res.mass[j] = invariantMass(e, px, py, pz);
    let m = 0;
    for (let c = 0, o = j * nConst * 4; c < nConst; c++, o += 4) if (p4[o] > 0) m++;
    res.multiplicity[j] = m;
  }
  return res;
}
