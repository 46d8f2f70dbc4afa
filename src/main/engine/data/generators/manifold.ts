// Points sampled uniformly (with respect to surface measure) on simple manifolds, for the topology study
// (Batson, Haaf, Kahn, Roberts, "Topological Obstructions to Autoencoding", arXiv:2102.08380), optionally with
// a localized "signal": a fraction of the points drawn from a small patch of the same manifold.
import { mulberry32, normalSampler, permutation } from '@shared/random';

export type ManifoldKind = 'circle' | 'sphere' | 'torus' | 'double-cone';

/** Torus radii: distance from the axis to the tube centre, and the tube radius. */
export const TORUS_R = 2;
export const TORUS_TUBE = 1;

export interface ManifoldSignal {
  /** Fraction of the points that are signal; round(fraction·n) points get label 1. */
  fraction: number;
  /** Centre of the patch in intrinsic coordinates (see ManifoldSample.intrinsic). */
  center: number[];
  /** Patch = the manifold's points within this Euclidean (ambient) distance of the centre. */
  radius: number;
}

export interface ManifoldSpec {
  manifold: ManifoldKind;
  n: number;
  seed: number;
  /** Ambient dimension for 'sphere' (the sphere S^(dim−1) in R^dim), dim ≥ 2; ignored otherwise. */
  dim?: number;
  signal?: ManifoldSignal;
}

export interface ManifoldSample {
  /** Ambient dimension D. */
  dim: number;
  /** Number of intrinsic coordinates per point. */
  intrinsicDim: number;
  /** n×D points, row-major. */
  x: Float32Array;
  /** 1 for signal, 0 for background. */
  labels: Uint8Array;
  /**
   * n×intrinsicDim coordinates: circle [angle ∈ [0, 2π)]; sphere hyperspherical angles [θ1..θ(D−2) ∈ [0, π],
   * φ ∈ (−π, π]] with x1 = cos θ1, x2 = sin θ1 cos θ2, …, x(D−1) = sin θ1…sin θ(D−2) cos φ, xD = … sin φ;
   * torus [θ (around the tube) ∈ [0, 2π), φ (around the z axis) ∈ [0, 2π)]; double cone [z ∈ [−1, 1], φ ∈ [0, 2π)].
   */
  intrinsic: Float32Array;
}

interface Manifold {
  dim: number;
  intrinsicDim: number;
  /** Draws one uniform point: writes ambient coordinates into x and intrinsic ones into t. */
  sample(x: Float64Array, t: Float64Array): void;
  /** Ambient coordinates of intrinsic coordinates t. */
  embed(t: ArrayLike<number>, x: Float64Array): void;
}

const TWO_PI = 2 * Math.PI;

function circle(u: () => number): Manifold {
  const embed = (t: ArrayLike<number>, x: Float64Array) => {
    x[0] = Math.cos(t[0]);
    x[1] = Math.sin(t[0]);
  };
  return {
    dim: 2,
    intrinsicDim: 1,
    embed,
    sample(x, t) {
      t[0] = TWO_PI * u();
      embed(t, x);
    },
  };
}

function sphere(dim: number, u: () => number): Manifold {
  const normal = normalSampler(u);
  const tails = new Float64Array(dim);
  return {
    dim,
    intrinsicDim: dim - 1,
    embed(t, x) {
      let s = 1;
      for (let k = 0; k < dim - 2; k++) {
        x[k] = s * Math.cos(t[k]);
        s *= Math.sin(t[k]);
      }
      x[dim - 2] = s * Math.cos(t[dim - 2]);
      x[dim - 1] = s * Math.sin(t[dim - 2]);
    },
    sample(x, t) {
      // An isotropic Gaussian vector, normalised, is uniform on the sphere.
      let r2 = 0;
      do {
        r2 = 0;
        for (let k = 0; k < dim; k++) {
          x[k] = normal();
          r2 += x[k] * x[k];
        }
      } while (r2 === 0);
      const r = Math.sqrt(r2);
      for (let k = 0; k < dim; k++) x[k] /= r;
      let tail2 = 0; // x(k+1)² + … + xD², accumulated from the end
      for (let k = dim - 1; k >= 0; k--) {
        tails[k] = tail2;
        tail2 += x[k] * x[k];
      }
      for (let k = 0; k < dim - 2; k++) t[k] = Math.atan2(Math.sqrt(tails[k]), x[k]);
      t[dim - 2] = Math.atan2(x[dim - 1], x[dim - 2]);
    },
  };
}

function torus(u: () => number): Manifold {
  const embed = (t: ArrayLike<number>, x: Float64Array) => {
    const rho = TORUS_R + TORUS_TUBE * Math.cos(t[0]);
    x[0] = rho * Math.cos(t[1]);
    x[1] = rho * Math.sin(t[1]);
    x[2] = TORUS_TUBE * Math.sin(t[0]);
  };
  return {
    dim: 3,
    intrinsicDim: 2,
    embed,
    sample(x, t) {
      // The area element is r(R + r cos θ) dθ dφ, so uniform angles would crowd the inner side: accept θ with
      // probability (R + r cos θ)/(R + r).
      do t[0] = TWO_PI * u();
      while (u() * (TORUS_R + TORUS_TUBE) > TORUS_R + TORUS_TUBE * Math.cos(t[0]));
      t[1] = TWO_PI * u();
      embed(t, x);
    },
  };
}

// Double cone: {(x, y, z) : x² + y² = z², |z| ≤ 1}, two unit-height right circular cones with half-opening angle
// 45° joined at their common apex, the origin. Area element √2 |z| dz dφ, so |z| = √u with a fair sign.
function doubleCone(u: () => number): Manifold {
  const embed = (t: ArrayLike<number>, x: Float64Array) => {
    const a = Math.abs(t[0]);
    x[0] = a * Math.cos(t[1]);
    x[1] = a * Math.sin(t[1]);
    x[2] = t[0];
  };
  return {
    dim: 3,
    intrinsicDim: 2,
    embed,
    sample(x, t) {
      const a = Math.sqrt(u());
      t[0] = u() < 0.5 ? -a : a;
      t[1] = TWO_PI * u();
      embed(t, x);
    },
  };
}

function makeManifold(spec: ManifoldSpec, u: () => number): Manifold {
  switch (spec.manifold) {
    case 'circle':
      return circle(u);
    case 'sphere': {
      const dim = spec.dim ?? 3;
      if (!(Number.isInteger(dim) && dim >= 2)) throw new Error(`sphere: dim must be an integer ≥ 2, got ${dim}`);
      return sphere(dim, u);
    }
    case 'torus':
      return torus(u);
    case 'double-cone':
      return doubleCone(u);
    default:
      throw new Error(`manifold: unknown kind '${String(spec.manifold)}' (circle, sphere, torus, double-cone)`);
  }
}

/** Proposals allowed per signal point before the patch is declared too small to hit by rejection. */
const MAX_TRIES_PER_SIGNAL = 100_000;

/**
 * Samples `n` points. Background points are uniform on the manifold; signal points are uniform on the patch
 * (drawn by rejection from the uniform sampler, so the patch measure is the manifold's own). Which points are
 * signal is a seeded random subset, so labels are not sorted.
 */
export function sampleManifold(spec: ManifoldSpec): ManifoldSample {
  const { n } = spec;
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`manifold: n must be a non-negative integer, got ${n}`);
  const u = mulberry32(spec.seed);
  const m = makeManifold(spec, u);
  const D = m.dim;
  const K = m.intrinsicDim;
  const labels = new Uint8Array(n);
  const centre = new Float64Array(D);
  let r2 = 0;
  if (spec.signal) {
    const { fraction, center, radius } = spec.signal;
    if (!(fraction >= 0 && fraction <= 1)) throw new Error(`manifold signal: fraction must be in [0, 1], got ${fraction}`);
    if (center.length !== K) {
      throw new Error(`manifold signal: center needs ${K} intrinsic coordinate(s) for ${spec.manifold}, got ${center.length}`);
    }
    if (!(radius > 0)) throw new Error(`manifold signal: radius must be positive, got ${radius}`);
    m.embed(center, centre);
    r2 = radius * radius;
    const perm = permutation(n, u);
    const k = Math.round(fraction * n);
    for (let i = 0; i < k; i++) labels[perm[i]] = 1;
  }
  const x = new Float32Array(n * D);
  const intrinsic = new Float32Array(n * K);
  const p = new Float64Array(D);
  const t = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let tries = 0;
    for (;;) {
      m.sample(p, t);
      if (labels[i] === 0) break;
      let d2 = 0;
      for (let j = 0; j < D; j++) d2 += (p[j] - centre[j]) ** 2;
      if (d2 <= r2) break;
      if (++tries >= MAX_TRIES_PER_SIGNAL) {
        throw new Error(
          `manifold signal: no point of the ${spec.manifold} within ${spec.signal!.radius} of the centre in ${tries} draws; use a larger radius`,
        );
      }
    }
    x.set(p, i * D);
    intrinsic.set(t, i * K);
  }
  return { dim: D, intrinsicDim: K, x, labels, intrinsic };
}
