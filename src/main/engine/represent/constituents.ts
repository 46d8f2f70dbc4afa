// Constituent lists (issue 3; physics.md §3.1, Cheng et al.): the n hardest constituents of each jet of a flat
// (nJets, nConst, 4) batch of (E, px, py, pz), real where E > 0.
//
// Conventions:
// - Hardest = largest pT = √(px² + py²), re-sorted here (stored order is not trusted); ties keep the stored order.
// - 'p4': each kept constituent as stored, (E, px, py, pz).
// - 'pt-deta-dphi': (pT, η − η_jet, φ − φ_jet) with Δφ wrapped into (−π, π]; the jet axis is the four-vector sum of
//   ALL real constituents (not only the n kept), with pseudorapidity η and azimuth φ as in kinematics.ts.
// - Slots beyond a jet's multiplicity are all zero, so a zero row still means padding in both coordinate systems
//   (a real constituent has pT > 0 except in the degenerate case px = py = 0).

import { constituentKinematics, jetKinematics, wrapDeltaPhi, type FloatArray } from '@shared/physics/kinematics';

export type ConstituentCoords = 'p4' | 'pt-deta-dphi';

export interface ConstituentListOptions {
  /** Constituents kept per jet; default 20 (Cheng et al.). */
  n?: number;
  /** Output coordinates; default 'p4'. */
  coords?: ConstituentCoords;
}

/** Values per constituent in the output of constituentList for each coordinate system. */
export const CONSTITUENT_WIDTH: Readonly<Record<ConstituentCoords, number>> = { p4: 4, 'pt-deta-dphi': 3 };

/**
 * The n hardest constituents of every jet, flat (nJets, n, 4 | 3) float32, zero-padded (see the conventions at the
 * top of this file). A jet with more than n real constituents keeps only its n hardest.
 */
export function constituentList(p4: FloatArray, nJets: number, nConst: number, opts: ConstituentListOptions = {}): Float32Array {
  const n = opts.n ?? 20;
  const coords = opts.coords ?? 'p4';
  if (!Number.isInteger(n) || n < 1) throw new Error(`constituent list: n must be a positive integer, got ${n}`);
  if (!Object.hasOwn(CONSTITUENT_WIDTH, coords)) {
    throw new Error(`constituent list: unknown coordinates '${coords as string}' (expected p4 or pt-deta-dphi)`);
  }
  const kin = constituentKinematics(p4, nJets, nConst);
  const jets = coords === 'pt-deta-dphi' ? jetKinematics(p4, nJets, nConst) : null;
  const width = CONSTITUENT_WIDTH[coords];
  const out = new Float32Array(nJets * n * width);
  const order: number[] = [];
  for (let j = 0; j < nJets; j++) {
    order.length = 0;
    for (let c = 0; c < nConst; c++) if (kin.mask[j * nConst + c]) order.push(c);
    // Array.prototype.sort is stable, so equal pT keeps the stored order.
    order.sort((a, b) => kin.pt[j * nConst + b] - kin.pt[j * nConst + a]);
    const kept = Math.min(n, order.length);
    for (let k = 0; k < kept; k++) {
      const src = j * nConst + order[k];
      const dst = (j * n + k) * width;
      if (jets === null) {
        for (let f = 0; f < 4; f++) out[dst + f] = p4[src * 4 + f];
      } else {
        out[dst] = kin.pt[src];
        out[dst + 1] = kin.eta[src] - jets.eta[j];
        out[dst + 2] = wrapDeltaPhi(kin.phi[src] - jets.phi[j]);
      }
    }
  }
  return out;
}
