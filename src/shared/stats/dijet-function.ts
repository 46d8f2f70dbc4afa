// The 4-parameter dijet function used by ATLAS/CMS resonance searches as a smooth QCD background:
//   f(x) = p0 (1 − x)^p1 / x^(p2 + p3 ln x),   x = m/√s.
// f is a density in x: the expected count of a bin [m_lo, m_hi) is ∫ f(x) dx over [m_lo/√s, m_hi/√s].
import { checkEdges } from '@shared/metrics/histogram';

/** [p0, p1, p2, p3]. */
export type DijetParams = readonly [number, number, number, number];

export function dijetFunction(x: number, p: DijetParams): number {
  return p[0] * Math.exp(p[1] * Math.log1p(-x) - (p[2] + p[3] * Math.log(x)) * Math.log(x));
}

// 8-point Gauss–Legendre on [−1, 1], on panels of at most 5 % in x and in 1 − x: the shape is close to a
// power of each, so this keeps every bin integral within ~1e-12 (the tests check 1e-10 against adaptive
// quadrature); typical narrow bins need one panel.
const GL_NODES = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_WEIGHTS = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

const MAX_PANEL_LOG_RATIO = 0.05;

/**
 * The binning, precomputed once: for every quadrature node the weight (panel half-width in x times the
 * Gauss weight), ln(1 − x) and ln x, so that a fit evaluates only exponentials. The nodes of bin i are
 * offsets[i] … offsets[i + 1] − 1.
 */
export interface DijetBinning {
  readonly bins: number;
  readonly offsets: Int32Array;
  readonly sqrtS: number;
  readonly edges: Float64Array;
  readonly weight: Float64Array;
  readonly log1mx: Float64Array;
  readonly logx: Float64Array;
}

export function dijetBinning(edges: ArrayLike<number>, sqrtS: number): DijetBinning {
  checkEdges(edges);
  if (!(Number.isFinite(sqrtS) && sqrtS > 0)) throw new Error(`dijet function: √s must be a positive number, got ${sqrtS}`);
  if (!(edges[0] > 0 && edges[edges.length - 1] < sqrtS)) {
    throw new Error(`dijet function: bin edges must lie inside (0, √s = ${sqrtS}) GeV, got ${edges[0]}…${edges[edges.length - 1]}`);
  }
  const bins = edges.length - 1;
  const k = GL_NODES.length;
  const panels = Array.from({ length: bins }, (_, i) => {
    const lo = edges[i] / sqrtS;
    const hi = edges[i + 1] / sqrtS;
    return Math.max(1, Math.ceil(Math.max(Math.log(hi / lo), Math.log((1 - lo) / (1 - hi))) / MAX_PANEL_LOG_RATIO));
  });
  const offsets = new Int32Array(bins + 1);
  for (let i = 0; i < bins; i++) offsets[i + 1] = offsets[i] + panels[i] * k;
  const weight = new Float64Array(offsets[bins]);
  const log1mx = new Float64Array(offsets[bins]);
  const logx = new Float64Array(offsets[bins]);
  for (let i = 0; i < bins; i++) {
    const width = (edges[i + 1] - edges[i]) / sqrtS / panels[i];
    for (let p = 0; p < panels[i]; p++) {
      const lo = edges[i] / sqrtS + p * width;
      for (let j = 0; j < k; j++) {
        const at = offsets[i] + p * k + j;
        const x = lo + (width / 2) * (1 + GL_NODES[j]);
        weight[at] = (width / 2) * GL_WEIGHTS[j];
        log1mx[at] = Math.log1p(-x);
        logx[at] = Math.log(x);
      }
    }
  }
  return { bins, offsets, sqrtS, edges: Float64Array.from(edges), weight, log1mx, logx };
}

/** ∫ (1 − x)^p1 / x^(p2 + p3 ln x) dx per bin (the function with p0 = 1), into `out`. */
export function dijetShapeIntegrals(binning: DijetBinning, p1: number, p2: number, p3: number, out: Float64Array = new Float64Array(binning.bins)): Float64Array {
  const { offsets, weight, log1mx, logx } = binning;
  for (let i = 0; i < binning.bins; i++) {
    let s = 0;
    for (let j = offsets[i]; j < offsets[i + 1]; j++) s += weight[j] * Math.exp(p1 * log1mx[j] - (p2 + p3 * logx[j]) * logx[j]);
    out[i] = s;
  }
  return out;
}

/** Expected counts per bin for parameters p. */
export function dijetExpected(binning: DijetBinning, p: DijetParams): Float64Array {
  const s = dijetShapeIntegrals(binning, p[1], p[2], p[3]);
  for (let i = 0; i < s.length; i++) s[i] *= p[0];
  return s;
}

/** ∫ f dx over one bin [mLow, mHigh) in GeV. */
export function dijetBinIntegral(mLow: number, mHigh: number, sqrtS: number, p: DijetParams): number {
  return dijetExpected(dijetBinning([mLow, mHigh], sqrtS), p)[0];
}

/**
 * Expected counts with their exact first and second derivatives in (p0, p1, p2, p3), per bin:
 * ∂ln f/∂(p1, p2, p3) = (ln(1 − x), −ln x, −ln²x), and μ is linear in p0.
 */
export function dijetExpectedDerivatives(binning: DijetBinning, p: DijetParams): { mu: Float64Array; gradient: Float64Array[]; hessian: Float64Array[][] } {
  const bins = binning.bins;
  const mu = new Float64Array(bins);
  const gradient = [0, 1, 2, 3].map(() => new Float64Array(bins));
  const hessian = [0, 1, 2, 3].map(() => [0, 1, 2, 3].map(() => new Float64Array(bins)));
  const g = [0, 0, 0];
  for (let i = 0; i < bins; i++) {
    for (let j = binning.offsets[i]; j < binning.offsets[i + 1]; j++) {
      const lx = binning.logx[j];
      g[0] = binning.log1mx[j];
      g[1] = -lx;
      g[2] = -lx * lx;
      const s = binning.weight[j] * Math.exp(p[1] * g[0] + p[2] * g[1] + p[3] * g[2]);
      mu[i] += s;
      for (let a = 0; a < 3; a++) {
        gradient[a + 1][i] += s * g[a];
        for (let b = a; b < 3; b++) hessian[a + 1][b + 1][i] += s * g[a] * g[b];
      }
    }
    gradient[0][i] = mu[i];
    mu[i] *= p[0];
    for (let a = 1; a < 4; a++) {
      hessian[0][a][i] = gradient[a][i];
      hessian[a][0][i] = gradient[a][i];
      gradient[a][i] *= p[0];
      for (let b = a; b < 4; b++) {
        hessian[a][b][i] *= p[0];
        hessian[b][a][i] = hessian[a][b][i];
      }
    }
  }
  return { mu, gradient, hessian };
}
