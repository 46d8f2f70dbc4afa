// Per-class histograms of one observable with edges common to every class, binned in the engine so
// that the UI never receives raw points. Counts follow numpy.histogram ([lo, hi) bins, the last closed).
import type { ObservableHistogram } from '@shared/api';
import { histogram, linearEdges } from '@shared/metrics/histogram';

export const CONTINUOUS_BINS = 50;
/** Integer observables with at most this many distinct values get one bin per integer. */
export const MAX_INTEGER_BINS = 200;
/** Continuous ranges span these quantiles of all rows, so one far outlier does not squash the plot. */
export const RANGE_QUANTILES = [0.001, 0.999] as const;

/** Quantile q of sorted values, linear interpolation as numpy.quantile's default. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Edges shared by all classes: unit bins centred on integers for integer data, else 50 bins between the 0.1 % and 99.9 % quantiles. */
export function commonEdges(values: ArrayLike<number>): Float64Array {
  const finite = Float64Array.from(values).filter(Number.isFinite).sort();
  if (finite.length === 0) return linearEdges(0, 1, 1);
  const min = finite[0];
  const max = finite[finite.length - 1];
  if (finite.every(Number.isInteger) && max - min + 1 <= MAX_INTEGER_BINS) return linearEdges(min - 0.5, max + 0.5, max - min + 1);
  let lo = quantile(finite, RANGE_QUANTILES[0]);
  let hi = quantile(finite, RANGE_QUANTILES[1]);
  if (!(hi > lo)) [lo, hi] = max > min ? [min, max] : [min - 0.5, min + 0.5];
  return linearEdges(lo, hi, CONTINUOUS_BINS);
}

/** The class name of a label code, as the store names it. */
export function className(labelNames: Record<string, string>, code: number): string {
  return labelNames[String(code)] ?? `class ${code}`;
}

/** Row indices of each class, by label name, in row order. */
export function rowsByClass(labels: Int8Array, labelNames: Record<string, string>): Map<string, Uint32Array> {
  const lists = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const name = className(labelNames, labels[i]);
    let list = lists.get(name);
    if (!list) lists.set(name, (list = []));
    list.push(i);
  }
  return new Map([...lists].map(([k, v]) => [k, Uint32Array.from(v)]));
}

export function classHistogram(key: string, label: string, values: ArrayLike<number>, classes: Map<string, Uint32Array>): ObservableHistogram {
  const edges = commonEdges(values);
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const h: ObservableHistogram = { key, label, edges: Array.from(edges), counts: {}, underflow: {}, overflow: {} };
  for (const [name, rows] of classes) {
    h.counts[name] = Array.from(histogram(values, edges, rows));
    let under = 0;
    let over = 0;
    for (const r of rows) {
      if (values[r] < lo) under++;
      else if (values[r] > hi) over++;
    }
    h.underflow[name] = under;
    h.overflow[name] = over;
  }
  return h;
}
