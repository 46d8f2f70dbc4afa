// Binned Poisson maximum-likelihood fit of the dijet function to histogram counts.
//   −ln L = Σ_i (μ_i − n_i ln μ_i)   over the fitted bins (the constant Σ ln n_i! left out).
// p0 is profiled analytically (for fixed shape the best p0 is Σn / Σshape), so the minimiser works in
// (p1, p2, p3) only: a log-linear least-squares start, Nelder–Mead with restarts; then Newton steps in
// all four parameters with the exact gradient and Hessian polish the minimum.
// Internally the objective is the half deviance Σ (μ − n − n ln(μ/n)), the same function up to a
// constant but O(ndf) instead of O(Σn ln n) at the minimum, so small differences keep their digits.
// Newton and the covariance use the exact Hessian, Σ (n/μ²) ∇μ∇μᵀ + (1 − n/μ) ∇²μ: the dijet parameters
// are so strongly correlated (|ρ| > 0.99) that a finite-difference Hessian loses the small eigenvalues.
import { dijetBinning, dijetExpectedDerivatives, dijetShapeIntegrals, type DijetBinning, type DijetParams } from './dijet-function';

export interface DijetFitOptions {
  /** Bins [from, to) left out of the fit (a signal window: sideband fit). */
  exclude?: readonly [number, number];
  /** Start values; by default a log-linear least-squares fit of ln(n/Δx). */
  start?: DijetParams;
}

export interface DijetFit {
  params: DijetParams;
  /** √diag of the covariance. */
  errors: [number, number, number, number];
  /** Inverse of the Hessian of −ln L in (p0, p1, p2, p3) at the minimum (exact derivatives of μ). */
  covariance: number[][];
  /** Σ (μ_i − n_i ln μ_i) over the fitted bins. */
  nll: number;
  /** Baker–Cousins likelihood χ²: 2 Σ (μ − n + n ln(n/μ)) over the fitted bins. */
  deviance: number;
  /** Pearson χ² = Σ (n − μ)²/μ over the fitted bins with μ > 0; ndf = those bins − 4. */
  chi2: number;
  ndf: number;
  /** μ_i for every bin (the excluded window included: the fit's prediction there). */
  expected: Float64Array;
  /** (n_i − μ_i)/√μ_i for every bin (0 where μ_i = 0). */
  pulls: Float64Array;
  /** 1 for the bins that entered the fit. */
  fitted: Uint8Array;
  /** Objective evaluations the minimiser spent. */
  evaluations: number;
}

export function fitDijet(counts: ArrayLike<number>, edges: ArrayLike<number>, sqrtS: number, options: DijetFitOptions = {}): DijetFit {
  const binning = dijetBinning(edges, sqrtS);
  return fitDijetBinned(counts, binning, options);
}

/** The same fit on a precomputed binning (the bump hunt refits one binning many times). */
export function fitDijetBinned(counts: ArrayLike<number>, binning: DijetBinning, options: DijetFitOptions = {}): DijetFit {
  const fitted = fittedMask(counts, binning.bins, options.exclude);
  const objective = new Objective(counts, binning, fitted);
  let start = options.start ?? logLinearStart(counts, binning, fitted);
  let q = [start[1], start[2], start[3]];
  let best = objective.profile(q);
  // A given start (e.g. the full fit's parameters for a sideband fit) may not suit these bins: start afresh.
  if (!Number.isFinite(best) && options.start) {
    start = logLinearStart(counts, binning, fitted);
    q = [start[1], start[2], start[3]];
    best = objective.profile(q);
  }
  if (!Number.isFinite(best)) throw new Error(`dijet fit: the start values ${start.join(', ')} give a non-finite likelihood`);
  // Restart Nelder–Mead from its own optimum until a restart no longer improves: a collapsed simplex
  // is the usual way it stalls on the long curved valleys of the dijet parameters.
  for (let restart = 0; restart < 20; restart++) {
    const r = nelderMead((v) => objective.profile(v), q, q.map((v) => 0.05 * Math.max(Math.abs(v), 1)), 1e-6, 2000);
    const gain = best - r.value;
    q = r.x;
    best = r.value;
    if (gain < 1e-6) break;
  }
  const params = newtonPolish(counts, binning, fitted, objective, [objective.bestP0(q), q[0], q[1], q[2]]);
  return summarise(counts, binning, fitted, objective, params);
}

function fittedMask(counts: ArrayLike<number>, bins: number, exclude?: readonly [number, number]): Uint8Array {
  if (counts.length !== bins) throw new Error(`dijet fit: ${counts.length} counts for ${bins} bins`);
  for (let i = 0; i < bins; i++) {
    if (!(Number.isFinite(counts[i]) && counts[i] >= 0)) throw new Error(`dijet fit: count of bin ${i} is ${counts[i]}`);
  }
  const mask = new Uint8Array(bins).fill(1);
  if (exclude) {
    const [from, to] = exclude;
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= bins && from < to)) {
      throw new Error(`dijet fit: excluded window [${from}, ${to}) is not a bin range inside 0…${bins}`);
    }
    mask.fill(0, from, to);
  }
  const nFit = mask.reduce((a, b) => a + b, 0);
  if (nFit < 5) throw new Error(`dijet fit: ${nFit} bins left to fit, need at least 5 for 4 parameters`);
  let total = 0;
  for (let i = 0; i < bins; i++) if (mask[i]) total += counts[i];
  if (!(total > 0)) throw new Error('dijet fit: the fitted bins hold no events');
  return mask;
}

/** The half deviance, profiled over p0 or at a given p0. */
class Objective {
  evaluations = 0;
  private readonly shape: Float64Array;
  private readonly total: number;

  constructor(
    private readonly counts: ArrayLike<number>,
    private readonly binning: DijetBinning,
    private readonly fitted: Uint8Array,
  ) {
    this.shape = new Float64Array(binning.bins);
    let total = 0;
    for (let i = 0; i < binning.bins; i++) if (fitted[i]) total += counts[i];
    this.total = total;
  }

  bestP0(q: readonly number[]): number {
    dijetShapeIntegrals(this.binning, q[0], q[1], q[2], this.shape);
    let s = 0;
    for (let i = 0; i < this.binning.bins; i++) if (this.fitted[i]) s += this.shape[i];
    return this.total / s;
  }

  profile(q: readonly number[]): number {
    const p0 = this.bestP0(q);
    return Number.isFinite(p0) && p0 > 0 ? this.halfDeviance(p0) : Infinity;
  }

  full(p: readonly number[]): number {
    dijetShapeIntegrals(this.binning, p[1], p[2], p[3], this.shape);
    return this.halfDeviance(p[0]);
  }

  /** Σ (μ − n − n ln(μ/n)) over the fitted bins, μ = p0 · shape (already in this.shape). */
  private halfDeviance(p0: number): number {
    this.evaluations++;
    let d = 0;
    for (let i = 0; i < this.binning.bins; i++) {
      if (!this.fitted[i]) continue;
      const mu = p0 * this.shape[i];
      const n = this.counts[i];
      if (n > 0) {
        if (!(mu > 0)) return Infinity;
        d += mu - n - n * Math.log(mu / n);
      } else d += mu;
    }
    return Number.isFinite(d) ? d : Infinity;
  }
}

/**
 * ln(n/Δx) ≈ ln p0 + p1 ln(1 − x) − p2 ln x − p3 ln²x is linear in (ln p0, p1, p2, p3): weighted least
 * squares over the non-empty fitted bins (weight n, the inverse variance of ln n), x at the bin centre.
 */
function logLinearStart(counts: ArrayLike<number>, binning: DijetBinning, fitted: Uint8Array): DijetParams {
  const a = [0, 0, 0, 0].map(() => [0, 0, 0, 0]);
  const b = [0, 0, 0, 0];
  let used = 0;
  for (let i = 0; i < binning.bins; i++) {
    const n = counts[i];
    if (!fitted[i] || n <= 0) continue;
    used++;
    const lo = binning.edges[i] / binning.sqrtS;
    const hi = binning.edges[i + 1] / binning.sqrtS;
    const x = (lo + hi) / 2;
    const f = [1, Math.log1p(-x), -Math.log(x), -(Math.log(x) ** 2)];
    const y = Math.log(n / (hi - lo));
    for (let r = 0; r < 4; r++) {
      b[r] += n * f[r] * y;
      for (let c = 0; c < 4; c++) a[r][c] += n * f[r] * f[c];
    }
  }
  // Too few populated bins to fix four parameters, or a sparse spectrum (a tight cut) that the log-linear
  // fit over-fits into extreme shapes: start from typical QCD values instead.
  const typical: DijetParams = [1, 10, 5, 0];
  if (used < 4) return typical;
  const s = solve(a, b);
  const start: DijetParams = [Math.exp(s[0]), s[1], s[2], s[3]];
  const reasonable = start.every(Number.isFinite) && s.slice(1).every((v) => Math.abs(v) < 200);
  return reasonable ? start : typical;
}

function summarise(counts: ArrayLike<number>, binning: DijetBinning, fitted: Uint8Array, objective: Objective, params: DijetParams): DijetFit {
  const covariance = invert(likelihoodDerivatives(counts, binning, fitted, params).hessian);
  const errors = covariance.map((row, i) => Math.sqrt(row[i])) as [number, number, number, number];
  const expected = dijetShapeIntegrals(binning, params[1], params[2], params[3]).map((s) => s * params[0]);
  const pulls = new Float64Array(binning.bins);
  let nll = 0;
  let deviance = 0;
  let chi2 = 0;
  let used = 0;
  for (let i = 0; i < binning.bins; i++) {
    const mu = expected[i];
    const n = counts[i];
    pulls[i] = mu > 0 ? (n - mu) / Math.sqrt(mu) : 0;
    if (!fitted[i]) continue;
    nll += mu - (n > 0 ? n * Math.log(mu) : 0);
    deviance += 2 * (mu - n + (n > 0 ? n * Math.log(n / mu) : 0));
    if (mu > 0) {
      chi2 += pulls[i] ** 2;
      used++;
    }
  }
  return { params, errors, covariance, nll, deviance, chi2, ndf: used - 4, expected, pulls, fitted, evaluations: objective.evaluations };
}

/** Gradient and Hessian of −ln L = Σ (μ − n ln μ) over the fitted bins. */
function likelihoodDerivatives(counts: ArrayLike<number>, binning: DijetBinning, fitted: Uint8Array, params: DijetParams): { gradient: number[]; hessian: number[][] } {
  const { mu, gradient: dmu, hessian: d2mu } = dijetExpectedDerivatives(binning, params);
  const gradient = [0, 0, 0, 0];
  const hessian = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
  for (let i = 0; i < binning.bins; i++) {
    if (!fitted[i]) continue;
    const n = counts[i];
    const curvature = n / (mu[i] * mu[i]);
    const slope = 1 - n / mu[i];
    for (let a = 0; a < 4; a++) {
      gradient[a] += slope * dmu[a][i];
      for (let b = 0; b < 4; b++) hessian[a][b] += curvature * dmu[a][i] * dmu[b][i] + slope * d2mu[a][b][i];
    }
  }
  return { gradient, hessian };
}

// ---- numerics ---------------------------------------------------------------------------------

interface Minimum {
  x: number[];
  value: number;
}

/** Nelder–Mead (standard coefficients 1, 2, ½, ½) from x0 with initial steps `step`. */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number[], tol: number, maxEval: number): Minimum {
  const dim = x0.length;
  let simplex: Minimum[] = [{ x: x0.slice(), value: f(x0) }];
  for (let j = 0; j < dim; j++) {
    const x = x0.slice();
    x[j] += step[j];
    simplex.push({ x, value: f(x) });
  }
  let evals = dim + 1;
  const along = (c: number[], from: number[], t: number) => c.map((v, j) => v + t * (from[j] - v));
  while (evals < maxEval) {
    simplex.sort((a, b) => a.value - b.value);
    const [best, worst] = [simplex[0], simplex[dim]];
    if (Math.abs(worst.value - best.value) <= tol * (1 + Math.abs(best.value))) break;
    const centroid = new Array<number>(dim).fill(0);
    for (let k = 0; k < dim; k++) for (let j = 0; j < dim; j++) centroid[j] += simplex[k].x[j] / dim;
    const probe = (t: number): Minimum => {
      const x = along(centroid, worst.x, t);
      evals++;
      return { x, value: f(x) };
    };
    const reflected = probe(-1);
    if (reflected.value < best.value) {
      const expanded = probe(-2);
      simplex[dim] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[dim - 1].value) {
      simplex[dim] = reflected;
    } else {
      const contracted = reflected.value < worst.value ? probe(-0.5) : probe(0.5);
      if (contracted.value < Math.min(worst.value, reflected.value)) simplex[dim] = contracted;
      else {
        simplex = simplex.map((v, k) => (k === 0 ? v : { x: along(best.x, v.x, 0.5), value: NaN }));
        for (let k = 1; k <= dim; k++) simplex[k].value = f(simplex[k].x);
        evals += dim;
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0];
}

/**
 * Newton steps in (p0, p1, p2, p3) with the exact derivatives and backtracking, from Nelder–Mead's
 * answer; it stops when a step no longer lowers −ln L measurably (or the Hessian is not positive there).
 */
function newtonPolish(counts: ArrayLike<number>, binning: DijetBinning, fitted: Uint8Array, objective: Objective, start: DijetParams): DijetParams {
  let x: DijetParams = start;
  let fx = objective.full(x);
  for (let iter = 0; iter < 30; iter++) {
    const { gradient, hessian } = likelihoodDerivatives(counts, binning, fitted, x);
    const step = solveScaled(hessian, gradient.map((g) => -g));
    const descent = dot(step, gradient);
    if (!step.every(Number.isFinite) || !(descent < 0)) break;
    let improved = false;
    for (let t = 1; t > 1e-6; t /= 2) {
      const y: DijetParams = [x[0] + t * step[0], x[1] + t * step[1], x[2] + t * step[2], x[3] + t * step[3]];
      const fy = objective.full(y);
      if (fy < fx) {
        improved = fx - fy > 1e-12 * (1 + fx);
        x = y;
        fx = fy;
        break;
      }
    }
    // Expected decrease −½ g·d below the noise of the objective: converged.
    if (!improved || -descent < 1e-11) break;
  }
  return x;
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

/** Solves A x = b by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const k = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= k * m[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let j = r + 1; j < n; j++) s -= m[r][j] * x[j];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Solves A x = b for a symmetric A scaled to unit diagonal first (the parameters differ by orders of magnitude). */
function solveScaled(a: number[][], b: number[]): number[] {
  const d = a.map((row, i) => 1 / Math.sqrt(Math.abs(row[i])));
  const y = solve(a.map((row, i) => row.map((v, j) => v * d[i] * d[j])), b.map((v, i) => v * d[i]));
  return y.map((v, i) => v * d[i]);
}

function invert(a: number[][]): number[][] {
  const columns = a.map((_, j) => solveScaled(a, a.map((__, i) => (i === j ? 1 : 0))));
  return a.map((_, i) => a.map((__, j) => columns[j][i]));
}



