// ROC curve and the numbers physicists quote from it: AUC, background rejection 1/ε_B at a fixed
// signal efficiency ε_S, the significance improvement ε_S/√ε_B, and ε_S at a fixed ε_B.
// Pure TypeScript (the UI draws with it too); float64 inside whatever the input type.

/**
 * One point per distinct score, from the strictest cut to the loosest, exactly as
 * sklearn.metrics.roc_curve(drop_intermediate=False): point k keeps events with score ≥ thresholds[k];
 * point 0 is the empty selection (0, 0) with threshold +Infinity (sklearn ≥ 1.3; 1.2 wrote max + 1).
 */
export interface Roc {
  /** ε_B: background (weight) fraction passing, non-decreasing, ends at 1. */
  fpr: Float64Array;
  /** ε_S: signal (weight) fraction passing, non-decreasing, ends at 1. */
  tpr: Float64Array;
  thresholds: Float64Array;
  /** Events labelled 1 and 0 (unweighted counts). */
  nSignal: number;
  nBackground: number;
  /** Kish effective counts (Σw)²/Σw², equal to the counts without weights; binomial errors use these. */
  effectiveSignal: number;
  effectiveBackground: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The events that take part (label exactly 0 or 1), after checking lengths, scores and weights, and
 * the sort payload: the position among them, with the signal flag in bit 31 (so the ROC walk reads no labels).
 */
function selectEvents(scores: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number> | undefined) {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`roc: ${n} scores but ${labels.length} labels`);
  if (weights && weights.length !== n) throw new Error(`roc: ${n} scores but ${weights.length} weights`);
  const picked = new Uint32Array(n);
  const payload = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) continue;
    if (Number.isNaN(scores[i])) throw new Error(`roc: the score of event ${i} is NaN`);
    if (weights && !Number.isFinite(weights[i])) throw new Error(`roc: the weight of event ${i} is ${weights[i]}`);
    payload[m] = (m | (label === 1 ? 0x80000000 : 0)) >>> 0;
    picked[m++] = i;
  }
  return { picked: picked.subarray(0, m), payload: payload.subarray(0, m) };
}

/** True when every picked score is exactly a float32, so 32-bit sort keys (two radix passes) suffice. */
function allFloat32(scores: ArrayLike<number>, picked: Uint32Array): boolean {
  if (scores instanceof Float32Array) return true;
  for (let k = 0; k < picked.length; k++) {
    const v = scores[picked[k]];
    if (Math.fround(v) !== v) return false;
  }
  return true;
}

// Scratch views for moving between numbers and their IEEE bits.
const SCRATCH = new Float64Array(1);
const SCRATCH_F32 = new Float32Array(SCRATCH.buffer, 0, 1);
const SCRATCH_U32 = new Uint32Array(SCRATCH.buffer);
const [HI_WORD, LO_WORD] = LITTLE_ENDIAN ? [1, 0] : [0, 1];

// Unsigned integers in the numeric order of the floats: flip every bit of a negative, the sign bit of a positive.
const orderedBits = (b: number): number => (b >>> 31 === 1 ? ~b >>> 0 : (b | 0x80000000) >>> 0);
const unorderedBits = (k: number): number => (k >>> 31 === 1 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0);

/**
 * Sort keys of the picked scores, least significant word first: one word when every score is a
 * float32, else two (float64). −0 is keyed as +0 so that the two zeros tie, as in NumPy.
 */
function sortKeys(scores: ArrayLike<number>, picked: Uint32Array): Uint32Array[] {
  const m = picked.length;
  const hi = new Uint32Array(m);
  if (scores instanceof Float32Array) {
    const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
    for (let k = 0; k < m; k++) {
      const b = bits[picked[k]];
      hi[k] = orderedBits(b === 0x80000000 ? 0 : b);
    }
    return [hi];
  }
  if (allFloat32(scores, picked)) {
    for (let k = 0; k < m; k++) {
      SCRATCH_F32[0] = scores[picked[k]] || 0; // NaN was refused; || maps −0 to +0
      hi[k] = orderedBits(SCRATCH_U32[0]);
    }
    return [hi];
  }
  const lo = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    SCRATCH[0] = scores[picked[k]] || 0;
    const h = SCRATCH_U32[HI_WORD];
    hi[k] = orderedBits(h);
    lo[k] = h >>> 31 === 1 ? ~SCRATCH_U32[LO_WORD] >>> 0 : SCRATCH_U32[LO_WORD];
  }
  return [lo, hi];
}

/** The score a sort key stands for (position k of the sorted key words). */
function scoreOfKey(words: Uint32Array[], k: number): number {
  const top = words[words.length - 1][k];
  if (words.length === 1) {
    SCRATCH_U32[0] = unorderedBits(top);
    return SCRATCH_F32[0];
  }
  SCRATCH_U32[HI_WORD] = unorderedBits(top);
  SCRATCH_U32[LO_WORD] = top >>> 31 === 1 ? words[0][k] : ~words[0][k] >>> 0;
  return SCRATCH[0];
}

/**
 * Sorts `payload` and the key words together by ascending key (ties in any order: the ROC groups them
 * anyway). LSD radix sort, least significant word first, over 16-bit digits (8-bit below 2¹⁶ events,
 * where clearing 2¹⁶ counters would dominate); a pass where every key shares the digit is skipped.
 * O(n): on 10⁷ events twice as fast as Float64Array.prototype.sort() of the bare scores.
 */
function radixSort(words: Uint32Array[], payload: Uint32Array): { words: Uint32Array[]; payload: Uint32Array } {
  const m = payload.length;
  let order: Uint32Array = payload;
  let spare: Uint32Array = new Uint32Array(m);
  let keys: Uint32Array[] = words.slice();
  let spareKeys: Uint32Array[] = words.map(() => new Uint32Array(m));
  const bits = m < 1 << 16 ? 8 : 16;
  const mask = (1 << bits) - 1;
  const count = new Uint32Array(1 << bits);
  for (let w = 0; w < words.length; w++) {
    for (let shift = 0; shift < 32; shift += bits) {
      const key = keys[w];
      count.fill(0);
      for (let k = 0; k < m; k++) count[(key[k] >>> shift) & mask]++;
      if (count[(key[0] >>> shift) & mask] === m) continue;
      let sum = 0;
      for (let d = 0; d < count.length; d++) {
        const c = count[d];
        count[d] = sum;
        sum += c;
      }
      const [k0, s0] = [keys[0], spareKeys[0]];
      if (keys.length === 1) {
        for (let k = 0; k < m; k++) {
          const to = count[(key[k] >>> shift) & mask]++;
          spare[to] = order[k];
          s0[to] = k0[k];
        }
      } else {
        const [k1, s1] = [keys[1], spareKeys[1]];
        for (let k = 0; k < m; k++) {
          const to = count[(key[k] >>> shift) & mask]++;
          spare[to] = order[k];
          s0[to] = k0[k];
          s1[to] = k1[k];
        }
      }
      [order, spare] = [spare, order];
      [keys, spareKeys] = [spareKeys, keys];
    }
  }
  return { words: keys, payload: order };
}

function kish(sum: number, sumSquares: number): number {
  return sumSquares > 0 ? (sum * sum) / sumSquares : 0;
}

/**
 * The ROC curve. Scores: larger = more anomalous (more signal-like); labels: 1 signal, 0 background,
 * any other value (e.g. −1 unlabelled) is left out; optional per-event weights (finite, may be
 * negative as long as each class totals more than zero). Sort-based, O(n) radix sort.
 */
export function roc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): Roc {
  const { picked, payload } = selectEvents(scores, labels, weights);
  const m = picked.length;
  const sorted = radixSort(sortKeys(scores, picked), payload);
  const order = sorted.payload;
  // The most significant key word, and the other one for float64 keys: equal keys = tied scores.
  const top = sorted.words[sorted.words.length - 1];
  const low = sorted.words.length === 2 ? sorted.words[0] : null;
  const fps = new Float64Array(m + 1);
  const tps = new Float64Array(m + 1);
  const thresholds = new Float64Array(m + 1);
  thresholds[0] = Infinity;
  let tp = 0;
  let fp = 0;
  let nSignal = 0;
  let w2Signal = 0;
  let w2Background = 0;
  let points = 1;
  for (let k = m - 1; k >= 0; k--) {
    const p = order[k];
    const w = weights ? Number(weights[picked[p & 0x7fffffff]]) : 1;
    if (p >>> 31 === 1) {
      tp += w;
      w2Signal += w * w;
      nSignal++;
    } else {
      fp += w;
      w2Background += w * w;
    }
    // A point closes where the next (lower) score differs: ties form one point.
    if (k === 0 || top[k] !== top[k - 1] || (low !== null && low[k] !== low[k - 1])) {
      fps[points] = fp;
      tps[points] = tp;
      thresholds[points] = scoreOfKey(sorted.words, k);
      points++;
    }
  }
  const nBackground = m - nSignal;
  if (nSignal === 0 || nBackground === 0)
    throw new Error(`roc: needs signal (label 1) and background (label 0) events, got ${nSignal} signal and ${nBackground} background`);
  if (!(tp > 0 && fp > 0)) throw new Error(`roc: the total signal weight (${tp}) and background weight (${fp}) must be positive`);
  const fpr = fps.slice(0, points);
  const tpr = tps.slice(0, points);
  for (let k = 0; k < points; k++) {
    fpr[k] /= fp;
    tpr[k] /= tp;
  }
  return {
    fpr,
    tpr,
    thresholds: thresholds.slice(0, points),
    nSignal,
    nBackground,
    effectiveSignal: kish(tp, w2Signal),
    effectiveBackground: kish(fp, w2Background),
  };
}

/** Area under the ROC curve by the trapezoid rule: sklearn's roc_auc_score. */
export function auc(r: Roc): number {
  let area = 0;
  for (let k = 1; k < r.fpr.length; k++) area += ((r.fpr[k] - r.fpr[k - 1]) * (r.tpr[k] + r.tpr[k - 1])) / 2;
  return area;
}

/** Binomial standard error of an efficiency measured on n events: √(ε(1−ε)/n). */
export function binomialError(eff: number, n: number): number {
  if (!(n > 0)) throw new Error(`binomialError: the number of events must be positive, got ${n}`);
  return Math.sqrt(Math.max(eff * (1 - eff), 0) / n);
}

function checkEfficiency(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be within [0, 1], got ${value}`);
}

/**
 * ε_B at ε_S on the ROC polyline. Between points: linear interpolation along the segment that
 * crosses ε_S. Exactly on a level where ε_S stays flat while ε_B grows: the smallest ε_B (the
 * tightest cut that reaches ε_S).
 */
function fprAtTpr(r: Roc, signalEfficiency: number): number {
  const { fpr, tpr } = r;
  let k = 0;
  while (tpr[k] < signalEfficiency) k++; // tpr ends at 1, so k stays in range
  if (tpr[k] === signalEfficiency || k === 0) return fpr[k];
  const t = (signalEfficiency - tpr[k - 1]) / (tpr[k] - tpr[k - 1]);
  return fpr[k - 1] + t * (fpr[k] - fpr[k - 1]);
}

/** The ROC point whose ε_S is closest to the target (the first of equals), as the AnomalyCLR tutorial does. */
function closestPoint(r: Roc, signalEfficiency: number): number {
  let best = 0;
  for (let k = 1; k < r.tpr.length; k++)
    if (Math.abs(r.tpr[k] - signalEfficiency) < Math.abs(r.tpr[best] - signalEfficiency)) best = k;
  return best;
}

export interface Rejection {
  /** 1/ε_B; Infinity when no background passes (ε_B = 0). */
  rejection: number;
  fpr: number;
  tpr: number;
  /** Binomial error of 1/ε_B: σ(ε_B)/ε_B² with σ(ε_B) = √(ε_B(1−ε_B)/N_B); Infinity when ε_B = 0. */
  error: number;
}

/**
 * Background rejection 1/ε_B at a signal efficiency ε_S. `interpolate` (default): ε_B read off the ROC
 * polyline at exactly ε_S. `closest`: the ROC point whose ε_S is nearest, ε_S then being that point's
 * (AnomalyCLR tutorial); the two agree to within one event's step on large samples.
 */
export function rejectionAt(r: Roc, signalEfficiency: number, method: 'interpolate' | 'closest' = 'interpolate'): Rejection {
  checkEfficiency('rejectionAt: the signal efficiency', signalEfficiency);
  let fpr: number;
  let tpr = signalEfficiency;
  if (method === 'closest') {
    const k = closestPoint(r, signalEfficiency);
    fpr = r.fpr[k];
    tpr = r.tpr[k];
  } else {
    fpr = fprAtTpr(r, signalEfficiency);
  }
  if (fpr === 0) return { rejection: Infinity, fpr, tpr, error: Infinity };
  return { rejection: 1 / fpr, fpr, tpr, error: binomialError(fpr, r.effectiveBackground) / (fpr * fpr) };
}

/**
 * ε_S at ε_B = `fpr` on the ROC polyline (ADC2021 quotes it at 10⁻⁵). Between points: linear
 * interpolation; exactly on a level where ε_B stays flat while ε_S grows: the largest ε_S.
 * Note that ε_B = 10⁻⁵ needs well over 10⁵ background events to mean anything.
 */
export function tprAtFpr(r: Roc, fpr: number): number {
  checkEfficiency('tprAtFpr: the background efficiency', fpr);
  const f = r.fpr;
  let k = 0;
  while (k < f.length && f[k] <= fpr) k++;
  if (k === f.length) return r.tpr[k - 1];
  if (f[k - 1] === fpr) return r.tpr[k - 1];
  const t = (fpr - f[k - 1]) / (f[k] - f[k - 1]);
  return r.tpr[k - 1] + t * (r.tpr[k] - r.tpr[k - 1]);
}

export interface Sic {
  /** ε_S/√ε_B per ROC point; NaN where the point is skipped (ε_B = 0, or below `minBackground`). */
  sic: Float64Array;
  /** The largest SIC over the kept points (NaN if none) and the ε_S and ε_B where it occurs. */
  max: number;
  atTpr: number;
  atFpr: number;
}

/**
 * Significance improvement ε_S/√ε_B. Points with ε_B = 0 are skipped (the ratio diverges there);
 * `minBackground` > 0 also skips points kept by fewer than that many (effective) background events,
 * where SIC is a statistical fluctuation — state the cut-off when quoting max SIC.
 */
export function sic(r: Roc, minBackground = 0): Sic {
  const out = new Float64Array(r.fpr.length);
  let max = NaN;
  let at = 0;
  for (let k = 0; k < out.length; k++) {
    const f = r.fpr[k];
    if (f === 0 || f * r.effectiveBackground < minBackground) {
      out[k] = NaN;
      continue;
    }
    out[k] = r.tpr[k] / Math.sqrt(f);
    if (!(out[k] <= max)) {
      max = out[k];
      at = k;
    }
  }
  return { sic: out, max, atTpr: Number.isNaN(max) ? NaN : r.tpr[at], atFpr: Number.isNaN(max) ? NaN : r.fpr[at] };
}

export interface RocSummary {
  auc: number;
  /** 1/ε_B at ε_S = 10 %, 30 %, 50 % (interpolated; Infinity when no background passes). */
  rejection: Record<'0.1' | '0.3' | '0.5', number>;
  rejectionError: Record<'0.1' | '0.3' | '0.5', number>;
  sicMax: number;
  sicMaxTpr: number;
  /** ε_S at ε_B = 10⁻⁵ (ADC2021). */
  tprAtFpr1e5: number;
  nSignal: number;
  nBackground: number;
}

const SUMMARY_EFFICIENCIES = ['0.1', '0.3', '0.5'] as const;

/** The standard table row for a ROC: AUC, 1/ε_B at ε_S = 0.1/0.3/0.5, max SIC, ε_S at ε_B = 10⁻⁵. */
export function summarizeRoc(r: Roc): RocSummary {
  const rejections = SUMMARY_EFFICIENCIES.map((e) => rejectionAt(r, Number(e)));
  const s = sic(r);
  const pick = (key: 'rejection' | 'error') =>
    Object.fromEntries(SUMMARY_EFFICIENCIES.map((e, i) => [e, rejections[i][key]])) as Record<'0.1' | '0.3' | '0.5', number>;
  return {
    auc: auc(r),
    rejection: pick('rejection'),
    rejectionError: pick('error'),
    sicMax: s.max,
    sicMaxTpr: s.atTpr,
    tprAtFpr1e5: tprAtFpr(r, 1e-5),
    nSignal: r.nSignal,
    nBackground: r.nBackground,
  };
}

export function rocSummary(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): RocSummary {
  return summarizeRoc(roc(scores, labels, weights));
}

/** The first index whose value in the non-decreasing `xs` is ≥ x (xs.length if none). */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A subset of at most `maxPoints` ROC points for plotting (plots never get millions of points):
 * half chosen log-spaced in ε_B (the log-scale rejection axis), half evenly spaced in ε_S (the linear
 * axis), plus both end points. The points are exact ROC points, so the drawn polyline stays on the curve.
 */
export function downsampleRoc(r: Roc, maxPoints: number): Roc {
  if (!(Number.isInteger(maxPoints) && maxPoints >= 4)) throw new Error(`downsampleRoc: maxPoints must be an integer ≥ 4, got ${maxPoints}`);
  const n = r.fpr.length;
  if (n <= maxPoints) return r;
  const keep = new Set<number>([0, n - 1]);
  const half = Math.floor((maxPoints - 2) / 2);
  const firstPositive = lowerBound(r.fpr, Number.MIN_VALUE);
  const logMin = Math.log(r.fpr[Math.min(firstPositive, n - 1)]);
  const even = maxPoints - 2 - half;
  for (let j = 0; j < half; j++) keep.add(Math.min(lowerBound(r.fpr, Math.exp(logMin * (1 - j / Math.max(half - 1, 1)))), n - 1));
  for (let j = 0; j < even; j++) keep.add(Math.min(lowerBound(r.tpr, j / Math.max(even - 1, 1)), n - 1));
  const indices = [...keep].sort((a, b) => a - b);
  const take = (xs: Float64Array) => Float64Array.from(indices, (i) => xs[i]);
  return { ...r, fpr: take(r.fpr), tpr: take(r.tpr), thresholds: take(r.thresholds) };
}
