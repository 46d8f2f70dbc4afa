// Per-feature robust scaling with scikit-learn's RobustScaler semantics (physics.md §3.1: Cheng et al. fit it on the
// QCD training set and apply it to every sample): x' = (x − median) / (q75 − q25), quantiles interpolated linearly
// between order statistics like numpy.percentile's default; an IQR below 10·ε(float64) gives scale 1 (sklearn's
// _handle_zeros_in_scale), so constant features are only centred.
//
// Padding: zero-padded lists (constituents, event objects) fill whole groups of consecutive features with zeros.
// With `paddingGroup: g` the row's width is read as groups of g features, and a group whose g values are all exactly 0
// is padding: it takes no part in the fit and stays 0 when applied. The fitted scaler keeps g, so applying it treats
// padding the same way. A feature never seen outside padding gets centre 0 and scale 1.
//
// The fit is exact on the rows it is given and holds one feature column (rows × 8 bytes) at a time besides the input.
// For data sets too big for memory the caller fits on a seeded random subsample of the training rows
// (splits.ts: sampleSplitRows), so the quantiles are those of the sample.

export interface RobustScaler {
  center: number[];
  scale: number[];
  /** Size of the zero-padded feature groups the scaler was fitted with (see the header); absent = no padding. */
  paddingGroup?: number;
}

export interface RobustScalerFitOptions {
  /** Treat all-zero groups of this many consecutive features as padding (see the header). */
  paddingGroup?: number;
}

const ZERO_IQR = 10 * Number.EPSILON;

function checkShape(x: ArrayLike<number>, width: number, paddingGroup: number | undefined, what: string): number {
  if (!Number.isInteger(width) || width < 1) throw new Error(`${what}: width must be a positive integer, got ${width}`);
  if (x.length % width !== 0) throw new Error(`${what}: ${x.length} values are not a whole number of rows of width ${width}`);
  if (paddingGroup !== undefined && !(Number.isInteger(paddingGroup) && paddingGroup >= 1 && width % paddingGroup === 0)) {
    throw new Error(`${what}: paddingGroup must be a positive integer dividing the width ${width}, got ${paddingGroup}`);
  }
  return x.length / width;
}

/** True when the `g` values from index `start` are all zero (a padding group). */
function isPadding(x: ArrayLike<number>, start: number, g: number): boolean {
  for (let k = start; k < start + g; k++) if (x[k] !== 0) return false;
  return true;
}

/** numpy.percentile(v, q) with the default linear interpolation, on values already sorted ascending. */
function percentileSorted(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Fits centre (median) and scale (IQR) per feature on `rows` rows of `width` features, row-major. */
export function fitRobustScaler(x: ArrayLike<number>, rows: number, width: number, opts: RobustScalerFitOptions = {}): RobustScaler {
  const g = opts.paddingGroup;
  const got = checkShape(x, width, g, 'robust scaler fit');
  if (got !== rows) throw new Error(`robust scaler fit: expected ${rows} rows × ${width} features, got ${x.length} values`);
  if (rows < 1) throw new Error('robust scaler fit: no training rows');
  const center: number[] = [];
  const scale: number[] = [];
  const column = new Float64Array(rows);
  for (let f = 0; f < width; f++) {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * width + f];
      if (!Number.isFinite(v)) throw new Error(`robust scaler fit: row ${r}, feature ${f} is ${v}`);
      if (g !== undefined && isPadding(x, r * width + f - (f % g), g)) continue;
      column[n++] = v;
    }
    if (n === 0) {
      center.push(0);
      scale.push(1);
      continue;
    }
    const sorted = column.subarray(0, n).sort();
    const iqr = percentileSorted(sorted, 75) - percentileSorted(sorted, 25);
    center.push(percentileSorted(sorted, 50));
    scale.push(iqr < ZERO_IQR ? 1 : iqr);
  }
  return g === undefined ? { center, scale } : { center, scale, paddingGroup: g };
}

/** (x − centre) / scale per feature, as a new float32 array; padding groups stay zero when the scaler has a group size. */
export function applyRobustScaler(x: ArrayLike<number>, width: number, s: RobustScaler): Float32Array {
  if (s.center.length !== width || s.scale.length !== width) {
    throw new Error(`robust scaler: fitted on ${s.center.length} features, applied to rows of ${width}`);
  }
  const g = s.paddingGroup;
  const rows = checkShape(x, width, g, 'robust scaler');
  const out = new Float32Array(x.length);
  const step = g ?? width;
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    for (let start = row; start < row + width; start += step) {
      if (g !== undefined && isPadding(x, start, g)) continue;
      for (let k = start; k < start + step; k++) out[k] = (x[k] - s.center[k - row]) / s.scale[k - row];
    }
  }
  return out;
}
