// Percentile bootstrap: resample the events with replacement (seeded, so a report is reproducible),
// recompute a statistic each time, and read the confidence interval off the percentiles.
import { mulberry32 } from '@shared/random';
import { auc, rejectionAt, roc } from './roc';

/** A statistic of labelled events (labels 0 = background, 1 = signal; weights when the caller gave some). */
export type Statistic = (scores: Float64Array, labels: Uint8Array, weights?: Float64Array) => number;

export interface BootstrapOptions {
  /** Number of resamples; default 200. */
  resamples?: number;
  /** Seed of the mulberry32 generator; default 0. */
  seed?: number;
  /** Central coverage of the interval; default 0.68 (±1σ-like, as HEP tables quote); 0.95 for a 95 % CI. */
  level?: number;
  /** Resample signal and background separately, keeping both counts fixed (default true, as pROC does). */
  stratified?: boolean;
  weights?: ArrayLike<number>;
}

export interface BootstrapResult {
  /** The statistic on the full sample. */
  value: number;
  /** Percentiles (1 − level)/2 and (1 + level)/2 of the resampled values (numpy's linear percentile). */
  low: number;
  high: number;
  level: number;
  /** Mean and standard deviation (n − 1) of the resampled values. */
  mean: number;
  std: number;
  samples: Float64Array;
}

export const aucStatistic: Statistic = (s, l, w) => auc(roc(s, l, w));

export const rejectionStatistic =
  (signalEfficiency: number): Statistic =>
  (s, l, w) =>
    rejectionAt(roc(s, l, w), signalEfficiency).rejection;

/** numpy.percentile (linear) of ascending values, q in [0, 1]. */
function percentile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return lo === hi || sorted[lo] === sorted[hi] ? sorted[lo] : sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function bootstrap(scores: ArrayLike<number>, labels: ArrayLike<number>, statistic: Statistic, options: BootstrapOptions = {}): BootstrapResult {
  const { resamples = 200, seed = 0, level = 0.68, stratified = true, weights } = options;
  if (!(Number.isInteger(resamples) && resamples >= 2)) throw new Error(`bootstrap: resamples must be an integer ≥ 2, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be within (0, 1), got ${level}`);
  if (labels.length !== scores.length || (weights && weights.length !== scores.length))
    throw new Error(`bootstrap: ${scores.length} scores, ${labels.length} labels${weights ? `, ${weights.length} weights` : ''}`);
  // Only events labelled 0 or 1 take part, as in roc().
  const classes: number[][] = [[], []];
  for (let i = 0; i < scores.length; i++) if (labels[i] === 0 || labels[i] === 1) classes[labels[i]].push(i);
  const events = [...classes[0], ...classes[1]];
  const n = events.length;
  const s = Float64Array.from(events, (i) => scores[i]);
  const l = Uint8Array.from(events, (i) => labels[i]);
  const w = weights ? Float64Array.from(events, (i) => weights[i]) : undefined;
  const value = statistic(s, l, w);

  const uniform = mulberry32(seed);
  const rs = new Float64Array(n);
  const rl = new Uint8Array(n);
  const rw = w ? new Float64Array(n) : undefined;
  // Strata as ranges of the event list: background first, then signal.
  const strata = stratified ? [[0, classes[0].length], [classes[0].length, n]] : [[0, n]];
  const samples = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let k = 0;
    for (const [start, end] of strata) {
      for (let j = start; j < end; j++, k++) {
        const e = start + Math.floor(uniform() * (end - start));
        rs[k] = s[e];
        rl[k] = l[e];
        if (rw && w) rw[k] = w[e];
      }
    }
    samples[r] = statistic(rs, rl, rw);
    if (Number.isNaN(samples[r])) throw new Error(`bootstrap: the statistic is NaN on resample ${r}`);
  }
  const sorted = samples.slice().sort();
  const mean = samples.reduce((a, b) => a + b, 0) / resamples;
  const std = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (resamples - 1));
  return { value, low: percentile(sorted, (1 - level) / 2), high: percentile(sorted, (1 + level) / 2), level, mean, std, samples };
}
