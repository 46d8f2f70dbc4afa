// Dijet bump hunt: slide signal windows over the mass spectrum, fit the background with each window
// left out (sideband fit), and turn the window's observed count n against the extrapolated background b
// into a one-sided local significance. The look-elsewhere effect is measured with pseudo-experiments.
//   local p = P(N ≥ n | b), N ~ Poisson(b) exactly (the discrete tail includes n itself),
//   local Z = Φ⁻¹(1 − p), clamped at 0 for deficits; the asymptotic Z = √(2(n ln(n/b) − (n − b))) is
//   reported beside it. These two treat b as exact.
// The fit knows b only to σ_b = √(Jᵀ C J), J = ∂b/∂(p0…p3) and C the fit's covariance; Cowan's Z for a
// count over a background known to ±σ_b folds it in (zWithSigmaB). The scan ranks windows by that Z —
// a window whose background is poorly constrained (near the ends of the spectrum, where the sideband fit
// extrapolates) is not preferred for it — and the toys use the same statistic. Windows without a σ_b (a
// fit whose covariance is not positive definite) rank below all others, and among them the smaller p wins.
// Tails are computed in log space so that Z stays exact far beyond 8σ.
import { mulberry32 } from '@shared/random';
import { dijetBinning, dijetExpectedDerivatives, type DijetBinning, type DijetParams } from './dijet-function';
import { fitDijetBinned, type DijetFit } from './poisson-fit';

// ---- special functions ------------------------------------------------------------------------

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: ~1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln P(a, x) and ln Q(a, x), the regularised incomplete gamma functions (P + Q = 1): the series for
 * x < a + 1, Lentz's continued fraction otherwise; the larger one as log1p(−smaller).
 */
export function logIncompleteGamma(a: number, x: number): { logP: number; logQ: number } {
  if (x <= 0) return { logP: -Infinity, logQ: 0 };
  const prefix = logGammaPrefix(a, x);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
      term *= x / (a + n);
      sum += term;
    }
    const logP = prefix + Math.log(sum);
    return { logP, logQ: Math.log1p(-Math.exp(logP)) };
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const logQ = prefix + Math.log(h);
  return { logP: Math.log1p(-Math.exp(logQ)), logQ };
}

/**
 * ln(x^a e^−x / Γ(a)). For large a the three terms are ~a ln a each and cancel to O(ln a), which would
 * cost ~10 digits at a = 1e5; Stirling's series written around x = a keeps the cancellation exact:
 * a (ln(1 + t) − t) + ½ ln(a/2π) − stirling(a), t = (x − a)/a.
 */
function logGammaPrefix(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - logGamma(a);
  const t = (x - a) / a;
  const inv = 1 / a;
  const inv2 = inv * inv;
  const stirling = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return a * (Math.log1p(t) - t) + 0.5 * Math.log(a / (2 * Math.PI)) - stirling;
}

/** ln P(N ≥ n) for N ~ Poisson(b): the regularised lower incomplete gamma P(n, b). */
export function poissonLogTail(n: number, b: number): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`Poisson tail: n must be a non-negative integer, got ${n}`);
  if (!(b >= 0 && Number.isFinite(b))) throw new Error(`Poisson tail: b must be a finite non-negative number, got ${b}`);
  if (n === 0) return 0;
  return logIncompleteGamma(n, b).logP;
}

/** ln(1 − Φ(z)): ½ Q(½, z²/2) for z > 0. */
export function normalLogTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const { logQ } = logIncompleteGamma(0.5, (z * z) / 2);
  return z >= 0 ? Math.log(0.5) + logQ : Math.log1p(-0.5 * Math.exp(logQ));
}

/** p = 1 − Φ(z). */
export function pFromZ(z: number): number {
  return Math.exp(normalLogTail(z));
}

// Acklam's rational approximation to Φ⁻¹ (1e-9 relative), then Newton on ln(1 − Φ) for full precision.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const poly = (c: number[], x: number) => c.reduce((s, v) => s * x + v, 0);

/** Z = Φ⁻¹(1 − p) from ln p (so that p far below the smallest double still has a Z). */
export function zFromLogP(logP: number): number {
  if (Number.isNaN(logP) || logP > 0) throw new Error(`zFromLogP: ln p must be ≤ 0, got ${logP}`);
  if (logP === -Infinity) return Infinity;
  if (logP === 0) return -Infinity;
  const p = Math.exp(logP);
  let z: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * logP);
    z = -poly(C, q) / (poly(D, q) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    z = poly(C, q) / (poly(D, q) * q + 1);
  } else {
    const q = 0.5 - p;
    const r = q * q;
    z = (poly(A, r) * q) / (poly(B, r) * r + 1);
  }
  for (let i = 0; i < 4; i++) {
    const logTail = normalLogTail(z);
    const logDensity = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
    // d ln(1 − Φ)/dz = −φ/(1 − Φ)
    const step = (logTail - logP) / -Math.exp(logDensity - logTail);
    if (!Number.isFinite(step)) break;
    z -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

export function zFromP(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`zFromP: p must lie in [0, 1], got ${p}`);
  return zFromLogP(Math.log(p));
}

/** √(2(n ln(n/b) − (n − b))) for n > b, else 0 (the asymptotic one-sided discovery significance). */
export function asymptoticZ(n: number, b: number): number {
  if (!(n > b)) return 0;
  return Math.sqrt(2 * (n * Math.log(n / b) - (n - b)));
}

/**
 * Z of a count n over a background b known to ±σ (Cowan, "Discovery sensitivity for a counting experiment
 * with background uncertainty", 2012: the asymptotic profile-likelihood Z of an on/off measurement with
 * τ = b/σ²), negative for a deficit:
 *   Z² = 2 [n ln(n(b + σ²)/(b² + nσ²)) − (b²/σ²) ln(1 + σ²(n − b)/(b(b + σ²)))];
 * σ = 0 gives the signed asymptoticZ, σ → ∞ (a background the fit leaves unconstrained) 0.
 */
export function zWithBackgroundUncertainty(n: number, b: number, sigma: number): number {
  if (!(n >= 0 && b > 0 && sigma >= 0 && Number.isFinite(n + b))) throw new Error(`Z with background uncertainty: needs n ≥ 0, b > 0, σ ≥ 0, got n = ${n}, b = ${b}, σ = ${sigma}`);
  const s2 = sigma * sigma;
  if (s2 === Infinity) return 0;
  let z2: number;
  // Below this σ²/b the σ terms are lost in rounding and b²/σ² would overflow: b is exact.
  if (s2 <= 1e-14 * b) z2 = 2 * ((n > 0 ? n * Math.log(n / b) : 0) - (n - b));
  else z2 = 2 * ((n > 0 ? n * Math.log((n * (b + s2)) / (b * b + n * s2)) : 0) - ((b * b) / s2) * Math.log1p((s2 * (n - b)) / (b * (b + s2))));
  return Math.sign(n - b) * Math.sqrt(Math.max(0, z2));
}

// ---- Poisson sampler --------------------------------------------------------------------------

/**
 * Poisson deviates with mean μ over a uniform generator: inversion by sequential search for μ < 10,
 * Hörmann's transformed rejection with squeeze (PTRS, 1993) above, both exact.
 */
export function poissonSampler(uniform: () => number): (mu: number) => number {
  return (mu: number) => {
    if (!(mu >= 0 && Number.isFinite(mu))) throw new Error(`Poisson sampler: mean must be finite and ≥ 0, got ${mu}`);
    if (mu === 0) return 0;
    if (mu < 10) {
      let k = 0;
      let p = Math.exp(-mu);
      let cdf = p;
      const u = uniform();
      while (u > cdf && k < 1000) {
        k++;
        p *= mu / k;
        cdf += p;
      }
      return k;
    }
    const slam = Math.sqrt(mu);
    const loglam = Math.log(mu);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mu + k * loglam - logGamma(k + 1)) return k;
    }
  };
}

// ---- the scan ---------------------------------------------------------------------------------

export interface BumpHuntOptions {
  /** Window widths in bins (sliding windows of each width). Default [3]. */
  widths?: readonly number[];
  /**
   * Instead of `widths`: windows of relative half-width r around each bin centre m, i.e. the bins whose
   * centres lie in [m(1 − r), m(1 + r)] (r ≈ 1–2 × the relative mass resolution).
   */
  relativeHalfWidth?: number;
  /** 'sideband' (default): each window's background from a fit without it; 'full': one fit of all bins. */
  fit?: 'sideband' | 'full';
  /** Bins kept free of windows at each end, so that every sideband fit has both sides. Default 1. */
  margin?: number;
}

export interface WindowResult {
  /** Bin range [from, to). */
  from: number;
  to: number;
  /** Mass range in GeV. */
  mLow: number;
  mHigh: number;
  observed: number;
  expected: number;
  /** P(N ≥ observed | expected), exact Poisson; ln of it in logP. */
  p: number;
  logP: number;
  /** Φ⁻¹(1 − p), 0 for a deficit: the local significance with b taken as exact. */
  z: number;
  asymptoticZ: number;
  /** The fit's uncertainty of `expected`, √(Jᵀ C J): Infinity where the fit leaves b unconstrained, NaN where its covariance is not positive. */
  sigmaB: number;
  /** Cowan's Z with σ_b folded in, negative for a deficit: what the scan ranks windows by. */
  zWithSigmaB: number;
}

export interface BumpHuntResult {
  windows: WindowResult[];
  /** The window of the largest zWithSigmaB. */
  best: WindowResult;
  /** The background-only fit to all bins. */
  fit: DijetFit;
}

export function bumpHunt(counts: ArrayLike<number>, edges: ArrayLike<number>, sqrtS: number, options: BumpHuntOptions = {}): BumpHuntResult {
  // The window p-value is the Poisson tail of an event count.
  for (let i = 0; i < counts.length; i++) {
    if (!(Number.isInteger(counts[i]) && counts[i] >= 0)) throw new Error(`bump hunt: count of bin ${i} is ${counts[i]}, not a non-negative integer`);
  }
  return scan(counts, dijetBinning(edges, sqrtS), options);
}

function scan(counts: ArrayLike<number>, binning: DijetBinning, options: BumpHuntOptions, start?: DijetParams): BumpHuntResult {
  const fit = fitDijetBinned(counts, binning, { start });
  const mode = options.fit ?? 'sideband';
  if (mode !== 'sideband' && mode !== 'full') throw new Error(`bump hunt: fit must be 'sideband' or 'full', got ${String(mode)}`);
  const windows = windowRanges(binning, options).map(([from, to]) => {
    const background = mode === 'full' ? fit : fitDijetBinned(counts, binning, { exclude: [from, to], start: fit.params });
    let observed = 0;
    for (let i = from; i < to; i++) observed += counts[i];
    const { expected, sigma } = windowBackground(binning, background, from, to);
    return windowResult(from, to, binning, observed, expected, sigma);
  });
  const rank = (w: WindowResult) => (Number.isNaN(w.zWithSigmaB) ? -Infinity : w.zWithSigmaB);
  const best = windows.reduce((a, w) => (rank(w) > rank(a) || (rank(w) === rank(a) && w.logP < a.logP) ? w : a));
  return { windows, best, fit };
}

/** b = Σ μ_i over the window's bins [from, to) and σ_b = √(Jᵀ C J), J_a = Σ ∂μ_i/∂p_a (exact derivatives). */
function windowBackground(binning: DijetBinning, fit: DijetFit, from: number, to: number): { expected: number; sigma: number } {
  const { gradient } = dijetExpectedDerivatives(binning, fit.params);
  const jacobian = gradient.map((g) => g.subarray(from, to).reduce((a, v) => a + v, 0));
  let variance = 0;
  for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) variance += jacobian[a] * fit.covariance[a][c] * jacobian[c];
  let expected = 0;
  for (let i = from; i < to; i++) expected += fit.expected[i];
  return { expected, sigma: variance >= 0 ? Math.sqrt(variance) : NaN };
}

function windowResult(from: number, to: number, binning: DijetBinning, observed: number, expected: number, sigmaB: number): WindowResult {
  const logP = poissonLogTail(observed, expected);
  const z = observed > expected ? Math.max(0, zFromLogP(logP)) : 0;
  const zWithSigmaB = Number.isNaN(sigmaB) ? NaN : zWithBackgroundUncertainty(observed, expected, sigmaB);
  return { from, to, mLow: binning.edges[from], mHigh: binning.edges[to], observed, expected, p: Math.exp(logP), logP, z, asymptoticZ: asymptoticZ(observed, expected), sigmaB, zWithSigmaB };
}

/** The windows' bin ranges [from, to), each once, in order. */
export function windowRanges(binning: DijetBinning, options: BumpHuntOptions): Array<[number, number]> {
  const bins = binning.bins;
  const margin = options.margin ?? 1;
  if (!(Number.isInteger(margin) && margin >= 0)) throw new Error(`bump hunt: margin must be a non-negative integer, got ${margin}`);
  const ranges: Array<[number, number]> = [];
  const push = (from: number, to: number) => {
    if (from >= margin && to <= bins - margin && to > from && bins - (to - from) >= 5) ranges.push([from, to]);
  };
  if (options.relativeHalfWidth !== undefined) {
    const r = options.relativeHalfWidth;
    if (!(r > 0 && r < 1)) throw new Error(`bump hunt: relativeHalfWidth must lie in (0, 1), got ${r}`);
    const centre = (i: number) => (binning.edges[i] + binning.edges[i + 1]) / 2;
    for (let c = 0; c < bins; c++) {
      let from = c;
      let to = c + 1;
      while (from > 0 && centre(from - 1) >= centre(c) * (1 - r)) from--;
      while (to < bins && centre(to) <= centre(c) * (1 + r)) to++;
      push(from, to);
    }
  } else {
    for (const w of options.widths ?? [3]) {
      if (!(Number.isInteger(w) && w >= 1)) throw new Error(`bump hunt: window widths must be positive integers, got ${w}`);
      for (let from = 0; from + w <= bins; from++) push(from, from + w);
    }
  }
  const unique = [...new Map(ranges.map((r) => [`${r[0]}:${r[1]}`, r])).values()];
  if (unique.length === 0) throw new Error(`bump hunt: no window fits into ${bins} bins with margin ${margin}`);
  return unique.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

// ---- look-elsewhere effect --------------------------------------------------------------------

export interface GlobalSignificance {
  toys: number;
  /** Toys whose best local Z (zWithSigmaB) reached the observed best one. */
  exceeding: number;
  /** exceeding / toys and its binomial uncertainty √(p(1 − p)/toys). */
  p: number;
  pError: number;
  /** Φ⁻¹(1 − p); when no toy exceeded, Z at p = 1/toys, a lower bound (zIsLowerBound). */
  z: number;
  zIsLowerBound: boolean;
  /** The best local Z (zWithSigmaB) of every toy. */
  toyBestZ: Float64Array;
}

export interface ToyOptions {
  toys: number;
  seed: number;
  /** Called after every toy. */
  progress?: (done: number, total: number) => void;
  /** Asked before every toy; true ends the toys with an error (e.g. the study was cancelled). */
  shouldStop?: () => boolean;
}

/**
 * Pseudo-experiments: Poisson toys from the background-only fit of `observed` (seeded mulberry32),
 * each scanned exactly as the data; global p = fraction of toys whose best local Z ≥ the observed one.
 * It yields to the event loop after every toy, so that a cancel request can arrive and be seen.
 */
export async function globalSignificance(observed: BumpHuntResult, edges: ArrayLike<number>, sqrtS: number, options: BumpHuntOptions & ToyOptions): Promise<GlobalSignificance> {
  const { toys, seed } = options;
  if (!(Number.isInteger(toys) && toys >= 1)) throw new Error(`global significance: toys must be a positive integer, got ${toys}`);
  const binning = dijetBinning(edges, sqrtS);
  const poisson = poissonSampler(mulberry32(seed));
  const mu = observed.fit.expected;
  const toyBestZ = new Float64Array(toys);
  let exceeding = 0;
  for (let t = 0; t < toys; t++) {
    if (options.shouldStop?.()) throw new Error(`global significance: stopped after ${t} of ${toys} toys`);
    const counts = Float64Array.from(mu, (m) => poisson(m));
    toyBestZ[t] = scan(counts, binning, options, observed.fit.params).best.zWithSigmaB;
    if (toyBestZ[t] >= observed.best.zWithSigmaB) exceeding++;
    options.progress?.(t + 1, toys);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const p = exceeding / toys;
  const pError = Math.sqrt((p * (1 - p)) / toys);
  const zIsLowerBound = exceeding === 0;
  return { toys, exceeding, p, pError, z: zFromP(zIsLowerBound ? 1 / toys : p), zIsLowerBound, toyBestZ };
}
