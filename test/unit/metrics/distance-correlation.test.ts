// Distance correlation against physics.md §7 (values from DisCo's disco.py) and a line-by-line NumPy
// port of disco.py's distance_corr with n × n matrices (metrics_reference.py).
import { describe, expect, it } from 'vitest';
import { distanceCorrelation } from '@shared/metrics/distance-correlation';
import { mulberry32, normalSampler } from '@shared/random';
import { pythonReference } from './reference';

const disco = (x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>) =>
  pythonReference<{ dcorr: number }>({ task: 'disco', x, y, weights: weights ?? null }).dcorr;

describe('distanceCorrelation (DisCo, power 1: the squared distance correlation)', () => {
  it('reproduces the §7 reference values', () => {
    const x = [1, 2, 3, 4, 5];
    expect(Math.abs(distanceCorrelation(x, [1, 4, 9, 16, 25]) - 0.97400328)).toBeLessThan(1e-8);
    expect(Math.abs(distanceCorrelation(x, [2, 1, 4, 3, 5]) - 0.73684211)).toBeLessThan(1e-8);
    expect(distanceCorrelation(x, [2, 1, 4, 3, 5])).toBeCloseTo(14 / 19, 14);
    expect(distanceCorrelation(x, x)).toBeCloseTo(1, 14);
    expect(distanceCorrelation(x, [1, 4, 9, 16, 25], { power: 2 })).toBeCloseTo(0.97400328 ** 2, 8);
  });

  it('matches the NumPy port of disco.py on random data, with and without weights', () => {
    const u = mulberry32(11);
    const g = normalSampler(u);
    const n = 400;
    const mass = Float64Array.from({ length: n }, () => 100 + 30 * g());
    const score = Float32Array.from(mass, (m) => 0.01 * m + g()); // correlated, float32 like model outputs
    const weights = Float64Array.from({ length: n }, () => 0.2 + u());
    const plain = distanceCorrelation(mass, score);
    expect(plain).toBeCloseTo(disco(mass, score), 12);
    const weighted = distanceCorrelation(mass, score, { weights });
    expect(weighted).toBeCloseTo(disco(mass, score, weights), 12);
    expect(Math.abs(weighted - plain)).toBeGreaterThan(1e-4); // the weights do something
    // Independent variables: small but positive (the V-statistic is biased upwards).
    const noise = Float64Array.from({ length: n }, () => g());
    const d = distanceCorrelation(mass, noise);
    expect(d).toBeCloseTo(disco(mass, noise), 12);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(0.05);
  });

  it('refuses short, mismatched, non-finite, constant and negatively weighted input', () => {
    expect(() => distanceCorrelation([1], [1])).toThrow(/at least 2 events/);
    expect(() => distanceCorrelation([1, 2], [1, 2, 3])).toThrow(/y has 3 entries, expected 2/);
    expect(() => distanceCorrelation([1, NaN], [1, 2])).toThrow('distanceCorrelation: x[1] is NaN');
    expect(() => distanceCorrelation([1, 1, 1], [1, 2, 3])).toThrow(/x is constant/);
    expect(() => distanceCorrelation([1, 2], [1, 2], { weights: [1, -1] })).toThrow(/weights\[1\] is negative/);
  });
});
