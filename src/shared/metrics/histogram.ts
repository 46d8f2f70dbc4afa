// Fixed-edge histograms, binned as numpy.histogram does: [e_i, e_{i+1}) with the last bin closed,
// values outside the edges left out.

/** `bins` equal-width bins from `low` to `high`: bins + 1 edges. */
export function linearEdges(low: number, high: number, bins: number): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`linearEdges: bins must be a positive integer, got ${bins}`);
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) throw new Error(`linearEdges: need finite low < high, got ${low}, ${high}`);
  return Float64Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + ((high - low) * i) / bins));
}

export function checkEdges(edges: ArrayLike<number>): void {
  if (edges.length < 2) throw new Error(`histogram: needs at least 2 bin edges, got ${edges.length}`);
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) throw new Error(`histogram: bin edge ${i} is ${edges[i]}`);
    if (i > 0 && !(edges[i] > edges[i - 1])) throw new Error(`histogram: bin edges must increase, edge ${i} (${edges[i]}) ≤ edge ${i - 1} (${edges[i - 1]})`);
  }
}

/** The bin of `x`, or −1 outside [edges[0], edges[last]]. */
export function binOf(edges: ArrayLike<number>, x: number): number {
  const last = edges.length - 1;
  if (!(x >= edges[0] && x <= edges[last])) return -1;
  if (x === edges[last]) return last - 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x >= edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Counts of `values[i]` for the listed events `indices` (all events when omitted). */
export function histogram(values: ArrayLike<number>, edges: ArrayLike<number>, indices?: ArrayLike<number>): Float64Array {
  checkEdges(edges);
  const counts = new Float64Array(edges.length - 1);
  const n = indices ? indices.length : values.length;
  for (let k = 0; k < n; k++) {
    const b = binOf(edges, values[indices ? indices[k] : k]);
    if (b >= 0) counts[b]++;
  }
  return counts;
}
