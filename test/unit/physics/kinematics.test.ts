import { describe, expect, it } from 'vitest';
import {
  BEAM_AXIS_ETA,
  azimuth,
  constituentKinematics,
  invariantMass,
  jetFourMomenta,
  jetKinematics,
  pseudorapidity,
  transverseMomentum,
  wrapDeltaPhi,
} from '@shared/physics/kinematics';

/** A massless four-momentum (E, px, py, pz) from (pT, η, φ). */
function massless(pt: number, eta: number, phi: number): [number, number, number, number] {
  return [pt * Math.cosh(eta), pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta)];
}

describe('scalar kinematics', () => {
  it('recovers pT, η, φ and zero mass of a massless particle', () => {
    const [e, px, py, pz] = massless(100, 1.2, 2.5);
    expect(transverseMomentum(px, py)).toBeCloseTo(100, 10);
    expect(pseudorapidity(px, py, pz)).toBeCloseTo(1.2, 12);
    expect(azimuth(px, py)).toBeCloseTo(2.5, 12);
    expect(invariantMass(e, px, py, pz)).toBeLessThan(1e-5);
    // η = −ln tan(θ/2) by hand: θ = 45° gives η = −ln tan(22.5°) = 0.881373587…
    expect(pseudorapidity(1, 0, 1)).toBeCloseTo(0.881373587019543, 12);
    expect(pseudorapidity(0, 1, -1)).toBeCloseTo(-0.881373587019543, 12);
  });

  it('keeps η finite along the beam and zero for the zero vector', () => {
    expect(pseudorapidity(0, 0, 5)).toBe(BEAM_AXIS_ETA);
    expect(pseudorapidity(0, 0, -5)).toBe(-BEAM_AXIS_ETA);
    expect(pseudorapidity(0, 0, 0)).toBe(0);
    expect(azimuth(0, 0)).toBe(0);
  });

  it('puts φ in (−π, π], with −π mapped to +π', () => {
    expect(azimuth(-1, 0)).toBe(Math.PI);
    expect(azimuth(-1, -0)).toBe(Math.PI);
    expect(azimuth(-1, -1e-9)).toBeCloseTo(-Math.PI + 1e-9, 12);
    expect(azimuth(0, -2)).toBeCloseTo(-Math.PI / 2, 12);
  });

  it('wraps Δφ into (−π, π]', () => {
    expect(wrapDeltaPhi(0.3)).toBe(0.3);
    expect(wrapDeltaPhi(Math.PI)).toBe(Math.PI);
    expect(wrapDeltaPhi(-Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapDeltaPhi((3 * Math.PI) / 2)).toBeCloseTo(-Math.PI / 2, 12);
    expect(wrapDeltaPhi((-3 * Math.PI) / 2)).toBeCloseTo(Math.PI / 2, 12);
    expect(wrapDeltaPhi(7 * Math.PI)).toBeCloseTo(Math.PI, 12);
    // Across the ±π seam: from φ = π − 0.1 to φ = −π + 0.2 is +0.3.
    expect(wrapDeltaPhi(-Math.PI + 0.2 - (Math.PI - 0.1))).toBeCloseTo(0.3, 12);
    expect(wrapDeltaPhi(Math.PI - 0.1 - (-Math.PI + 0.2))).toBeCloseTo(-0.3, 12);
  });

  it('clamps a slightly space-like mass to zero', () => {
    expect(invariantMass(1, 1 + 1e-12, 0, 0)).toBe(0);
    expect(invariantMass(5, 3, 0, 0)).toBe(4);
  });
});

describe('batch kinematics over (nJets, nConst, 4)', () => {
  // Three massless partons of 173/3 GeV in a Mercedes star (rest frame of a 173 GeV system),
  // boosted along x with β = 0.95 and then along z with β = 0.5: mass stays 173 GeV.
  function topLike(): number[][] {
    const e = 173 / 3;
    const parts = [0, (2 * Math.PI) / 3, (4 * Math.PI) / 3].map((a) => [e, e * Math.cos(a), e * Math.sin(a), 0]);
    const boost = (p: number[], beta: number, axis: 1 | 3) => {
      const g = 1 / Math.sqrt(1 - beta * beta);
      const q = [...p];
      q[0] = g * (p[0] + beta * p[axis]);
      q[axis] = g * (p[axis] + beta * p[0]);
      return q;
    };
    return parts.map((p) => boost(boost(p, 0.95, 1), 0.5, 3));
  }

  it('sums a top-like system to its mass and masks zero padding', () => {
    const nConst = 5;
    const p4 = new Float64Array(2 * nConst * 4);
    topLike().forEach((p, c) => p4.set(p, c * 4));
    // Jet 1: one particle, then padding; an entry with E = 0 but non-zero momentum is padding too.
    p4.set(massless(600, -0.4, 3.0), nConst * 4);
    p4.set([0, 7, 7, 7], (nConst + 1) * 4);

    const jets = jetKinematics(p4, 2, nConst);
    const gammaBeta = 0.95 / Math.sqrt(1 - 0.95 * 0.95);
    expect(jets.mass[0]).toBeCloseTo(173, 9);
    expect(jets.pt[0]).toBeCloseTo(173 * gammaBeta, 9);
    expect(jets.phi[0]).toBeCloseTo(0, 12);
    // pz / pT = γ_z β_z E_x / (γ_x β_x · 173) = γ_z β_z / β_x, since E_x = γ_x · 173.
    expect(jets.eta[0]).toBeCloseTo(Math.asinh(0.5 / Math.sqrt(1 - 0.25) / 0.95), 9);
    expect(Array.from(jets.multiplicity)).toEqual([3, 1]);
    expect(jets.pt[1]).toBeCloseTo(600, 9);
    expect(jets.eta[1]).toBeCloseTo(-0.4, 12);
    expect(jets.phi[1]).toBeCloseTo(3.0, 12);
    expect(jets.mass[1]).toBeLessThan(1e-4);

    const sums = jetFourMomenta(p4, 2, nConst);
    expect(sums[4 + 1]).toBeCloseTo(600 * Math.cos(3.0), 9); // the E = 0 entry's px = 7 is not added

    const c = constituentKinematics(p4, 2, nConst);
    expect(Array.from(c.mask)).toEqual([1, 1, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(c.pt[6]).toBe(0);
    expect(c.pt[5]).toBeCloseTo(600, 9);
    expect(c.eta[5]).toBeCloseTo(-0.4, 12);
    expect(c.phi[5]).toBeCloseTo(3.0, 12);
  });

  it('works on float32 batches and reuses output buffers', () => {
    const p4 = new Float32Array([...massless(50, 0.7, -2.9), 0, 0, 0, 0]);
    const out = { pt: new Float64Array(2), eta: new Float64Array(2), phi: new Float64Array(2), mask: new Uint8Array(2) };
    out.pt[1] = 99;
    const res = constituentKinematics(p4, 1, 2, out);
    expect(res).toBe(out);
    expect(out.pt[0]).toBeCloseTo(50, 4);
    expect(out.eta[0]).toBeCloseTo(0.7, 5);
    expect(out.phi[0]).toBeCloseTo(-2.9, 5);
    expect(out.pt[1]).toBe(0);
  });

  it('rejects a batch of the wrong length with a clear message', () => {
    expect(() => jetKinematics(new Float32Array(7), 1, 2)).toThrow(/expected 1 jets × 2 constituents × 4 = 8 numbers, got 7/);
    expect(() => jetFourMomenta(new Float32Array(0), 0, 0)).toThrow(/nConst must be a positive integer/);
  });
});
