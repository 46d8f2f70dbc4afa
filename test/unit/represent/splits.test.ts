// Seeded stratified splits: fractions per label, determinism, disjointness and coverage, seed dependence, sampling.
import { describe, expect, it } from 'vitest';
import { assignSplits, sampleSplitRows, splitCounts } from '../../../src/main/engine/represent/splits';
import { mulberry32 } from '@shared/random';

/** n labels: about 70 % 0, 25 % 1, 5 % −1 (unlabelled), in random order. */
function randomLabels(n: number, seed: number): Int8Array {
  const u = mulberry32(seed);
  return Int8Array.from({ length: n }, () => {
    const v = u();
    return v < 0.7 ? 0 : v < 0.95 ? 1 : -1;
  });
}

function labelCounts(labels: Int8Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

describe('assignSplits', () => {
  const fractions: [number, number, number] = [0.6, 0.25, 0.15];

  it('gives every label its fraction in every split, within one row', () => {
    for (const n of [10_007, 999, 13]) {
      const labels = randomLabels(n, n);
      const splits = assignSplits(labels, fractions, 42);
      const counts = splitCounts(splits, labels);
      for (const [label, total] of labelCounts(labels)) {
        const key = String(label);
        expect(counts.train[key] + counts.validation[key] + counts.test[key]).toBe(total);
        (['train', 'validation', 'test'] as const).forEach((name, s) => {
          expect(Math.abs(counts[name][key] - fractions[s] * total), `n ${n}, label ${label}, ${name}`).toBeLessThan(1);
        });
      }
    }
  });

  it('is deterministic for a seed and different for another seed', () => {
    const labels = randomLabels(5000, 1);
    const a = assignSplits(labels, fractions, 7);
    expect(assignSplits(labels, fractions, 7)).toEqual(a);
    const b = assignSplits(labels, fractions, 8);
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    expect(differ).toBeGreaterThan(1000); // two independent draws disagree on about half the rows
    expect(splitCounts(b, labels)).toEqual(splitCounts(a, labels)); // the sizes depend on the counts only
  });

  it('assigns each row exactly one split and shuffles within each label', () => {
    const labels = randomLabels(3000, 2);
    const splits = assignSplits(labels, fractions, 3);
    expect(splits.every((s) => s === 0 || s === 1 || s === 2)).toBe(true);
    // Not a block assignment: the first 60 % of the rows are not all training rows.
    let trainInFirst = 0;
    for (let i = 0; i < 1800; i++) if (splits[i] === 0) trainInFirst++;
    expect(trainInFirst).toBeGreaterThan(900);
    expect(trainInFirst).toBeLessThan(1300);
  });

  it('handles empty splits and a single label', () => {
    const labels = new Int8Array(100);
    const counts = splitCounts(assignSplits(labels, [0.8, 0, 0.2], 1), labels);
    expect(counts).toEqual({ train: { '0': 80 }, validation: { '0': 0 }, test: { '0': 20 } });
  });

  it('rejects fractions that are negative or do not sum to 1, and mismatched lengths', () => {
    const labels = new Int8Array(10);
    expect(() => assignSplits(labels, [0.5, 0.5, 0.5], 1)).toThrow(/summing to 1, got \[0.5, 0.5, 0.5\]/);
    expect(() => assignSplits(labels, [1.2, -0.2, 0], 1)).toThrow(/non-negative/);
    expect(() => splitCounts(new Uint8Array(3), labels)).toThrow(/3 split codes for 10 labels/);
    expect(() => splitCounts(new Uint8Array(10).fill(3), labels)).toThrow(/row 0 has split code 3/);
  });
});

describe('sampleSplitRows', () => {
  it('draws distinct rows of one split in ascending order, by seed', () => {
    const labels = randomLabels(20_000, 5);
    const splits = assignSplits(labels, [0.8, 0.1, 0.1], 5);
    const rows = sampleSplitRows(splits, 0, 1000, 9);
    expect(rows.length).toBe(1000);
    for (let k = 0; k < rows.length; k++) {
      expect(splits[rows[k]]).toBe(0);
      if (k > 0) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
    }
    expect(sampleSplitRows(splits, 0, 1000, 9)).toEqual(rows);
    expect(sampleSplitRows(splits, 0, 1000, 10)).not.toEqual(rows);
    // Spread over the whole file, not its beginning.
    expect(rows[rows.length - 1]).toBeGreaterThan(19_000);
  });

  it('returns every row of the split when it has no more than maxRows', () => {
    const splits = Uint8Array.from([0, 1, 0, 2, 0]);
    expect(Array.from(sampleSplitRows(splits, 0, 10, 1))).toEqual([0, 2, 4]);
    expect(() => sampleSplitRows(splits, 0, 0, 1)).toThrow(/maxRows must be a positive integer/);
  });
});
