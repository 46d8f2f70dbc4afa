// The robust scaler against scikit-learn's RobustScaler (reference.py `robust-scaler`, default quantile_range 25–75),
// on random features of several shapes; padding groups are handed to sklearn as NaN, which it leaves out of the fit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRobustScaler, fitRobustScaler } from '../../../src/main/engine/represent/robust-scaler';
import { mulberry32, normalSampler } from '@shared/random';
import { maxScaledDiff, numpyReference } from './toy-data';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-robust-scaler-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDTH = 12;

/**
 * rows × 12 features: normal, shifted wide normal, exponential, heavy-tailed, small integers (ties), a constant, a
 * feature with a zero IQR but outliers, tiny values, and four uniform features. With `padded`, the features are read
 * as three groups of four and each row keeps only its first k groups (k = 1..3), the rest zero, like a constituent
 * list; some real values are exactly 0 so "zero" and "padding" differ.
 */
function randomFeatures(seed: number, rows: number, padded: boolean): Float32Array {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const x = new Float32Array(rows * WIDTH);
  for (let r = 0; r < rows; r++) {
    const row = [
      g(),
      100 + 40 * g(),
      -Math.log(1 - u()),
      g() / (0.05 + u()),
      Math.floor(4 * u()),
      7,
      u() < 0.9 ? 2 : 50 * g(),
      1e-4 * u(),
      u(),
      u() < 0.2 ? 0 : u(),
      -3 * u(),
      u() - 0.5,
    ];
    if (padded) row.fill(0, 4 * (1 + Math.floor(3 * u())));
    x.set(row, r * WIDTH);
  }
  return x;
}

function checkAgainstSklearn(x: Float32Array, rows: number, paddingGroup?: number): void {
  const ref = numpyReference(dir, 'robust-scaler', x, [rows, WIDTH, paddingGroup ?? 0]);
  expect(ref.length).toBe(2 * WIDTH + rows * WIDTH);
  const s = fitRobustScaler(x, rows, WIDTH, { paddingGroup });
  expect(maxScaledDiff(s.center, ref.subarray(0, WIDTH)), 'centre').toBeLessThan(1e-6);
  expect(maxScaledDiff(s.scale, ref.subarray(WIDTH, 2 * WIDTH)), 'scale').toBeLessThan(1e-6);
  expect(maxScaledDiff(applyRobustScaler(x, WIDTH, s), ref.subarray(2 * WIDTH)), 'transform').toBeLessThan(1e-5);
  // The fitted object survives JSON unchanged (it is stored with the dataset cache).
  expect(JSON.parse(JSON.stringify(s))).toEqual(s);
}

describe('robust scaler against sklearn', () => {
  it('matches on an even number of rows (interpolated quantiles), constant and zero-IQR features included', () => {
    const x = randomFeatures(1, 500, false);
    checkAgainstSklearn(x, 500);
    const s = fitRobustScaler(x, 500, WIDTH);
    expect(s.scale[5]).toBe(1); // constant feature: IQR 0
    expect(s.scale[6]).toBe(1); // 90 % ties: IQR 0 despite the outliers
    expect(s.center[5]).toBe(7);
  });

  it('matches on an odd number of rows', () => {
    checkAgainstSklearn(randomFeatures(2, 333, false), 333);
  });

  it('matches with padding groups left out of the fit and kept at zero', () => {
    const rows = 401;
    const x = randomFeatures(3, rows, true);
    checkAgainstSklearn(x, rows, 4);
    const s = fitRobustScaler(x, rows, WIDTH, { paddingGroup: 4 });
    expect(s.paddingGroup).toBe(4);
    const y = applyRobustScaler(x, WIDTH, s);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < WIDTH; k += 4) {
        const pad = x.subarray(r * WIDTH + k, r * WIDTH + k + 4).every((v) => v === 0);
        if (pad) expect(Array.from(y.subarray(r * WIDTH + k, r * WIDTH + k + 4))).toEqual([0, 0, 0, 0]);
      }
    }
    // Without the padding option the zeros take part in the fit and the medians move.
    const plain = fitRobustScaler(x, rows, WIDTH);
    expect(plain.center[8]).not.toBeCloseTo(s.center[8], 2);
  });
});

describe('robust scaler edge cases', () => {
  it('gives centre 0 and scale 1 to a feature that is only ever padding', () => {
    const x = new Float32Array([1, 2, 0, 0, 3, 5, 0, 0]);
    expect(fitRobustScaler(x, 2, 4, { paddingGroup: 2 })).toEqual({ center: [2, 3.5, 0, 0], scale: [1, 1.5, 1, 1], paddingGroup: 2 });
  });

  it('rejects bad shapes, bad groups, non-finite values and a mismatched scaler', () => {
    const x = new Float32Array(6);
    expect(() => fitRobustScaler(x, 3, 4)).toThrow(/6 values are not a whole number of rows of width 4/);
    expect(() => fitRobustScaler(x, 3, 3)).toThrow(/expected 3 rows × 3 features, got 6 values/);
    expect(() => fitRobustScaler(x, 0, 6)).toThrow(/expected 0 rows/);
    expect(() => fitRobustScaler(new Float32Array(0), 0, 6)).toThrow(/no training rows/);
    expect(() => fitRobustScaler(x, 2, 3, { paddingGroup: 2 })).toThrow(/paddingGroup must be a positive integer dividing the width 3/);
    expect(() => fitRobustScaler(new Float32Array([1, NaN]), 1, 2)).toThrow(/row 0, feature 1 is NaN/);
    expect(() => applyRobustScaler(x, 3, { center: [0, 0], scale: [1, 1] })).toThrow(/fitted on 2 features, applied to rows of 3/);
  });
});
