// Lorentz boosts and two-body decays, shared by the event generators (pure functions, float64).

/** Momentum of either product in the rest frame of a two-body decay M → m1 m2 (0 when closed). */
export function restFrameMomentum(m: number, m1: number, m2: number): number {
  const l = (m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2);
  return l > 0 ? Math.sqrt(l) / (2 * m) : 0;
}

/**
 * Boosts the four-vector k[o..o+4) (E, px, py, pz), given in the rest frame of p (mass m), to the frame
 * where p is given; in place.
 */
export function boostFromRest(k: number[] | Float64Array, p: ArrayLike<number>, m: number, o = 0): void {
  const kp = p[1] * k[o + 1] + p[2] * k[o + 2] + p[3] * k[o + 3];
  const e = (p[0] * k[o] + kp) / m;
  const f = (k[o] + e) / (p[0] + m);
  k[o] = e;
  k[o + 1] += f * p[1];
  k[o + 2] += f * p[2];
  k[o + 3] += f * p[3];
}

/** boostFromRest for every four-vector of a flat (E, px, py, pz) list; in place. */
export function boostAll(flat: number[] | Float64Array, p: ArrayLike<number>, m: number): void {
  for (let i = 0; i < flat.length; i += 4) boostFromRest(flat, p, m, i);
}

/** Two unit vectors orthogonal to the unit vector n and to each other. */
export function transverseBasis(nx: number, ny: number, nz: number): [number[], number[]] {
  // Cross with the coordinate axis least aligned with n, for a well-conditioned first vector.
  const ax = Math.abs(nx) <= Math.abs(ny) && Math.abs(nx) <= Math.abs(nz);
  const ay = !ax && Math.abs(ny) <= Math.abs(nz);
  const [cx, cy, cz] = ax ? [0, nz, -ny] : ay ? [-nz, 0, nx] : [ny, -nx, 0];
  const l = Math.hypot(cx, cy, cz);
  const e1 = [cx / l, cy / l, cz / l];
  const e2 = [ny * e1[2] - nz * e1[1], nz * e1[0] - nx * e1[2], nx * e1[1] - ny * e1[0]];
  return [e1, e2];
}

/**
 * The decay p → (m1, m2) with the first product at polar angle acos(cosTheta) from `axis` (a unit
 * vector; default p's direction, or the z axis when p is at rest) and azimuth phi about it, in p's rest
 * frame; returns both four-momenta in the frame where p is given.
 */
export function twoBodyDecay(
  p: ArrayLike<number>,
  m1: number,
  m2: number,
  cosTheta: number,
  phi: number,
  axis?: readonly number[],
): [number[], number[]] {
  const pp = Math.hypot(p[1], p[2], p[3]);
  const m = Math.sqrt(Math.max(p[0] * p[0] - pp * pp, 0));
  if (!(m >= m1 + m2 && m > 0)) throw new Error(`two-body decay: mass ${m} GeV cannot decay to ${m1} + ${m2} GeV`);
  const [nx, ny, nz] = axis ?? (pp > 0 ? [p[1] / pp, p[2] / pp, p[3] / pp] : [0, 0, 1]);
  const [e1, e2] = transverseBasis(nx, ny, nz);
  const q = restFrameMomentum(m, m1, m2);
  const sin = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  const a = q * sin * Math.cos(phi);
  const b = q * sin * Math.sin(phi);
  const c = q * cosTheta;
  const dir = [a * e1[0] + b * e2[0] + c * nx, a * e1[1] + b * e2[1] + c * ny, a * e1[2] + b * e2[2] + c * nz];
  const k1 = [Math.sqrt(m1 * m1 + q * q), dir[0], dir[1], dir[2]];
  const k2 = [Math.sqrt(m2 * m2 + q * q), -dir[0], -dir[1], -dir[2]];
  boostFromRest(k1, p, m);
  boostFromRest(k2, p, m);
  return [k1, k2];
}
