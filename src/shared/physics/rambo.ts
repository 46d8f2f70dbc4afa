// RAMBO (Kleiss, Stirling & Ellis, Comput. Phys. Commun. 40 (1986) 359): massless n-body phase space at a fixed
// √s in the centre-of-mass frame. Every event carries the same weight, the phase-space volume, so the events are
// unweighted draws from Lorentz-invariant phase space.

/**
 * One RAMBO event: n massless four-momenta with Σ p = (√s, 0, 0, 0), as a Float64Array of length 4n laid out
 * particle by particle as (E, px, py, pz). `uniform` returns numbers in [0, 1), e.g. `mulberry32(seed)`;
 * it is called 4n times per event.
 */
export function rambo(n: number, sqrtS: number, uniform: () => number): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`RAMBO: the number of particles must be an integer ≥ 2, got ${n}`);
  if (!(Number.isFinite(sqrtS) && sqrtS > 0)) throw new Error(`RAMBO: √s must be a positive number, got ${sqrtS}`);
  const q = new Float64Array(4 * n);
  let sE = 0;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  // Isotropic massless momenta with energies drawn from q0·exp(-q0); 1 - u keeps the logarithm's argument in (0, 1].
  for (let i = 0; i < n; i++) {
    const c = 2 * uniform() - 1;
    const s = Math.sqrt(1 - c * c);
    const f = 2 * Math.PI * uniform();
    const q0 = -Math.log((1 - uniform()) * (1 - uniform()));
    q[4 * i] = q0;
    q[4 * i + 1] = q0 * s * Math.cos(f);
    q[4 * i + 2] = q0 * s * Math.sin(f);
    q[4 * i + 3] = q0 * c;
    sE += q0;
    sx += q[4 * i + 1];
    sy += q[4 * i + 2];
    sz += q[4 * i + 3];
  }
  // Boost to the rest frame of their sum and scale its mass to √s (a conformal map of the q's, eq. 2.4 of the paper).
  const m = Math.sqrt(sE * sE - sx * sx - sy * sy - sz * sz);
  const bx = -sx / m;
  const by = -sy / m;
  const bz = -sz / m;
  const gamma = sE / m;
  const a = 1 / (1 + gamma);
  const x = sqrtS / m;
  const p = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const q0 = q[4 * i];
    const qx = q[4 * i + 1];
    const qy = q[4 * i + 2];
    const qz = q[4 * i + 3];
    const bq = bx * qx + by * qy + bz * qz;
    p[4 * i] = x * (gamma * q0 + bq);
    p[4 * i + 1] = x * (qx + bx * q0 + a * bq * bx);
    p[4 * i + 2] = x * (qy + by * q0 + a * bq * by);
    p[4 * i + 3] = x * (qz + bz * q0 + a * bq * bz);
  }
  return p;
}

/**
 * Volume of massless n-body phase space, ∫ Π_i d³p_i/(2E_i) · δ⁴(P − Σ_i p_i) with P² = s, without factors of 2π:
 * (π/2)^(n−1) · s^(n−2) / ((n−1)! (n−2)!). This is the weight of every RAMBO event.
 * (Multiply by (2π)^(4−3n) for the d³p/((2π)³ 2E) · (2π)⁴ δ⁴ convention.)
 */
export function masslessPhaseSpaceVolume(n: number, sqrtS: number): number {
  if (!Number.isInteger(n) || n < 2) throw new Error(`phase-space volume: n must be an integer ≥ 2, got ${n}`);
  if (!(Number.isFinite(sqrtS) && sqrtS > 0)) {
    throw new Error(`phase-space volume: √s must be a positive number, got ${sqrtS}`);
  }
  const s = sqrtS * sqrtS;
  let v = Math.pow(Math.PI / 2, n - 1) * Math.pow(s, n - 2);
  for (let k = 2; k <= n - 1; k++) v /= k;
  for (let k = 2; k <= n - 2; k++) v /= k;
  return v;
}
