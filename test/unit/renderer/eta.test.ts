// Time left from progress samples, checked on hand-made constant-rate histories.
import { describe, expect, it } from 'vitest';
import { addSample, estimateEta, formatEta, type ProgressSample } from '../../../src/renderer/src/runs/eta';

describe('ETA', () => {
  it('says nothing before two seconds and some progress, then extrapolates the rate', () => {
    expect(estimateEta([], 0)).toBeNull();
    expect(estimateEta([{ t: 0, fraction: 0 }, { t: 1000, fraction: 0.1 }], 1000)).toBeNull(); // 1 s span
    expect(estimateEta([{ t: 0, fraction: 0.1 }, { t: 5000, fraction: 0.1 }], 5000)).toBeNull(); // no progress
    // 10 % per 4 s, 80 % left: 32 s at the last sample, 30 s two seconds later.
    const s: ProgressSample[] = [{ t: 0, fraction: 0.1 }, { t: 2000, fraction: 0.15 }, { t: 4000, fraction: 0.2 }];
    expect(estimateEta(s, 4000)).toBeCloseTo(32, 9);
    expect(estimateEta(s, 6000)).toBeCloseTo(30, 9);
    expect(estimateEta(s, 100_000)).toBe(0);
    expect(estimateEta([...s, { t: 5000, fraction: 1 }], 5000)).toBe(0);
  });

  it('follows the rate of the last minute, and starts over when the fraction goes back', () => {
    let s: ProgressSample[] = [];
    // Slow for 100 s (0.1 %/s), then fast for 60 s (1 %/s).
    for (let t = 0; t <= 100; t += 10) s = addSample(s, { t: t * 1000, fraction: t * 0.001 });
    for (let t = 110; t <= 160; t += 10) s = addSample(s, { t: t * 1000, fraction: 0.1 + (t - 100) * 0.01 });
    expect(s[0].t).toBe(100_000);
    expect(estimateEta(s, 160_000)).toBeCloseTo(30, 9); // 30 % left at 1 %/s
    expect(addSample(s, { t: 170_000, fraction: 0.05 })).toEqual([{ t: 170_000, fraction: 0.05 }]);
  });

  it('formats hours, minutes and seconds', () => {
    expect(formatEta(null)).toBe('ETA —');
    expect(formatEta(12.4)).toBe('ETA 12 s');
    expect(formatEta(185)).toBe('ETA 3 min 05 s');
    expect(formatEta(3720)).toBe('ETA 1 h 02 min');
  });
});
