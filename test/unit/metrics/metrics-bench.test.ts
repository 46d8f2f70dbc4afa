// The bench's ROC + AUC timing does real work: on U(0, 1) background and U(0.2, 1.2) signal scores the
// AUC is 1 − 0.8²/2 = 0.68 analytically.
import { describe, expect, it } from 'vitest';
import { metricsBench } from '../../../src/main/engine/bench/metrics-bench';

describe('metricsBench', () => {
  it('times ROC + AUC on N random float32 scores and reports the analytic AUC', () => {
    const log: string[] = [];
    const r = metricsBench(200_000, (s) => log.push(s));
    expect(r.scores).toBe(200_000);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.scoresPerSec).toBeCloseTo(200_000 / r.seconds, 6);
    expect(Math.abs(r.auc - 0.68)).toBeLessThan(0.005);
    expect(r.rocPoints).toBeGreaterThan(150_000); // float32 scores in [0, 1.2): nearly all distinct
    expect(log[0]).toMatch(/^metrics: ROC \+ AUC of 200000 float32 scores in \d+\.\d\d s/);
  });
});
