// Seeded train / validation / test assignment of a data set's rows, stratified by label: each label's rows are
// shuffled (one mulberry32 stream per seed, labels taken in ascending order) and cut at the cumulative fractions,
// rounded, so every split holds each label within one row of fraction × count and the class fractions agree across
// splits. Unlabelled rows (−1) are a stratum of their own. The same labels, fractions and seed always give the same
// assignment, on every machine.

import { SPLIT_NAMES } from '@shared/api';
import { mulberry32, permutation } from '@shared/random';

/** 0 train, 1 validation, 2 test: indices into SPLIT_NAMES. */
export type SplitCode = 0 | 1 | 2;
export type SplitName = (typeof SPLIT_NAMES)[number];

function checkFractions(fractions: readonly [number, number, number]): void {
  const sum = fractions[0] + fractions[1] + fractions[2];
  if (fractions.some((f) => !(Number.isFinite(f) && f >= 0)) || Math.abs(sum - 1) > 1e-9) {
    throw new Error(`splits: fractions must be three non-negative numbers summing to 1, got [${fractions.join(', ')}]`);
  }
}

/** Row indices of each label present, labels in ascending order (typed arrays: data sets have millions of rows). */
function rowsByLabel(labels: Int8Array): Map<number, Int32Array> {
  const counts = new Int32Array(256);
  for (let i = 0; i < labels.length; i++) counts[labels[i] + 128]++;
  const byLabel = new Map<number, Int32Array>();
  for (let v = 0; v < 256; v++) if (counts[v] > 0) byLabel.set(v - 128, new Int32Array(counts[v]));
  const filled = new Int32Array(256);
  for (let i = 0; i < labels.length; i++) byLabel.get(labels[i])![filled[labels[i] + 128]++] = i;
  return byLabel;
}

/** One SplitCode per row (see the header). */
export function assignSplits(labels: Int8Array, fractions: readonly [number, number, number], seed: number): Uint8Array {
  checkFractions(fractions);
  const out = new Uint8Array(labels.length);
  const uniform = mulberry32(seed);
  for (const rows of rowsByLabel(labels).values()) {
    const n = rows.length;
    const order = permutation(n, uniform);
    const trainEnd = Math.round(fractions[0] * n);
    const validationEnd = Math.max(trainEnd, Math.min(n, Math.round((fractions[0] + fractions[1]) * n)));
    for (let k = 0; k < n; k++) out[rows[order[k]]] = k < trainEnd ? 0 : k < validationEnd ? 1 : 2;
  }
  return out;
}

/** Rows per split and label: counts.train['1'] = training rows with label 1. Labels absent from a split count 0. */
export function splitCounts(splits: Uint8Array, labels: Int8Array): Record<SplitName, Record<string, number>> {
  if (splits.length !== labels.length) throw new Error(`splits: ${splits.length} split codes for ${labels.length} labels`);
  const counts: Record<SplitName, Record<string, number>> = { train: {}, validation: {}, test: {} };
  for (const label of rowsByLabel(labels).keys()) for (const name of SPLIT_NAMES) counts[name][String(label)] = 0;
  for (let i = 0; i < splits.length; i++) {
    const name = SPLIT_NAMES[splits[i]];
    if (name === undefined) throw new Error(`splits: row ${i} has split code ${splits[i]} (expected 0, 1 or 2)`);
    counts[name][String(labels[i])]++;
  }
  return counts;
}

/**
 * Up to maxRows rows of one split, drawn uniformly without replacement by seed and returned in ascending order (so a
 * store can read them in one pass): the training sample a robust scaler is fitted on when the split is too big.
 */
export function sampleSplitRows(splits: Uint8Array, code: SplitCode, maxRows: number, seed: number): Int32Array {
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`splits: maxRows must be a positive integer, got ${maxRows}`);
  let count = 0;
  for (let i = 0; i < splits.length; i++) if (splits[i] === code) count++;
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < splits.length; i++) if (splits[i] === code) rows[k++] = i;
  if (count <= maxRows) return rows;
  const order = permutation(count, mulberry32(seed));
  const picked = new Int32Array(maxRows);
  for (let k = 0; k < maxRows; k++) picked[k] = rows[order[k]];
  return picked.sort();
}
