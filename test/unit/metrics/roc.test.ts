// ROC, AUC and working points against scikit-learn's roc_curve(drop_intermediate=False) /
// roc_auc_score and NumPy interpolation (metrics_reference.py), plus hand-checked tiny cases.
import { describe, expect, it } from 'vitest';
import { auc, binomialError, downsampleRoc, rejectionAt, roc, rocSummary, sic, tprAtFpr, type Roc } from '@shared/metrics/roc';
import { mulberry32, normalSampler } from '@shared/random';
import { pythonReference } from './reference';

interface RocReference {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
  fprAtTpr: number[];
  tprAtFpr: number[];
  closest: [number, number][];
  sicMax: number;
  sicMaxTpr: number;
}

const TPR_TARGETS = [0, 0.05, 0.1, 0.3, 0.5, 0.75, 0.9, 1];
const FPR_TARGETS = [0, 1e-5, 1e-3, 0.01, 0.1, 0.5, 1];

function reference(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>, extra: { tpr?: number[]; fpr?: number[] } = {}): RocReference {
  return pythonReference<RocReference>({
    task: 'roc',
    scores,
    labels,
    weights: weights ?? null,
    tprTargets: extra.tpr ?? TPR_TARGETS,
    fprTargets: extra.fpr ?? FPR_TARGETS,
  });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

function expectMatches(r: Roc, ref: RocReference): void {
  expectClose(r.fpr, ref.fpr);
  expectClose(r.tpr, ref.tpr);
  expect(r.thresholds[0]).toBe(Infinity);
  expectClose(r.thresholds.subarray(1), ref.thresholds, 0);
  expect(auc(r)).toBeCloseTo(ref.auc, 12);
}

/** Signal N(1, 1), background N(0, 1), unlabelled (−1) and other classes (2) mixed in; scores rounded to make ties. */
function toy(n: number, seed: number, decimals: number | null) {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const scores = new Float64Array(n);
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const c = u();
    labels[i] = c < 0.3 ? 1 : c < 0.9 ? 0 : c < 0.95 ? -1 : 2;
    const s = g() + (labels[i] === 1 ? 1 : 0);
    scores[i] = decimals === null ? s : Math.round(s * 10 ** decimals) / 10 ** decimals;
  }
  return { scores, labels };
}

describe('roc: tiny cases by hand', () => {
  it('the scikit-learn documentation example', () => {
    const r = roc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(Array.from(r.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(r.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(r.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(auc(r)).toBe(0.75);
    expect([r.nSignal, r.nBackground]).toEqual([2, 2]);
  });

  it('tied scores form one point: a signal and a background at the same score count half', () => {
    const r = roc([1, 1, 0, 0], [1, 0, 1, 0]);
    expect(Array.from(r.fpr)).toEqual([0, 0.5, 1]);
    expect(Array.from(r.tpr)).toEqual([0, 0.5, 1]);
    expect(auc(r)).toBe(0.5);
    expect(auc(roc([2, 1, 1], [1, 1, 0]))).toBe(0.75);
    expect(auc(roc([0.2, 0.9], [0, 1]))).toBe(1);
    expect(auc(roc([0.9, 0.2], [0, 1]))).toBe(0);
  });

  it('−0 and +0 tie, negative and infinite scores sort numerically', () => {
    const r = roc([-0, 0, -3, Infinity, -Infinity], [1, 0, 0, 1, 0]);
    expect(Array.from(r.thresholds)).toEqual([Infinity, Infinity, 0, -3, -Infinity]);
    expect(Array.from(r.tpr)).toEqual([0, 0.5, 1, 1, 1]);
    expect(Array.from(r.fpr)).toEqual([0, 0, 1 / 3, 2 / 3, 1]);
  });

  it('weights count per event, and the effective counts are Kish’s', () => {
    const r = roc([3, 2, 1], [1, 0, 0], [2, 1, 3]);
    expect(Array.from(r.fpr)).toEqual([0, 0, 0.25, 1]);
    expect(r.effectiveBackground).toBeCloseTo(16 / 10, 14);
    expect(r.nBackground).toBe(2);
  });

  it('refuses NaN scores or weights, mismatched lengths, and a missing class', () => {
    expect(() => roc([0.1, NaN, 0.3], [0, 1, 1])).toThrow('roc: the score of event 1 is NaN');
    expect(() => roc([0.1, 0.2], [0, 1], [1, NaN])).toThrow('roc: the weight of event 1 is NaN');
    expect(() => roc([0.1, 0.2], [0, 1, 1])).toThrow('roc: 2 scores but 3 labels');
    expect(() => roc([0.1, 0.2], [1, 1])).toThrow(/needs signal \(label 1\) and background \(label 0\) events, got 2 signal and 0 background/);
    expect(() => roc([0.1, 0.2], [0, -1])).toThrow(/got 0 signal and 1 background/);
    expect(() => roc([], [])).toThrow(/got 0 signal and 0 background/);
    expect(() => roc([0.1, 0.2], [0, 1], [1, -1])).toThrow(/total signal weight \(-1\)/);
    // A NaN score of an ignored (unlabelled) event does not matter.
    expect(auc(roc([0.1, NaN, 0.3], [0, -1, 1]))).toBe(1);
  });
});

describe('roc against scikit-learn', () => {
  it('heavily tied scores (2 decimals), with unlabelled and other classes left out', () => {
    const { scores, labels } = toy(20_000, 1, 2);
    const ref = reference(scores, labels);
    expect(ref.fpr.length).toBeLessThan(1000); // ties really are there
    expectMatches(roc(scores, labels), ref);
    // The same as float32 and as a plain array.
    const f32 = Float32Array.from(scores);
    expectMatches(roc(f32, labels), reference(f32, labels));
    expectMatches(roc(Array.from(scores), Array.from(labels)), ref);
  });

  it('float64 scores beyond float32 precision (two-word sort keys), ties among them', () => {
    const { scores, labels } = toy(20_000, 2, null);
    for (let i = 0; i < 2000; i++) scores[i + 2000] = scores[i]; // exact float64 ties
    for (let i = 0; i < 100; i++) scores[i + 5000] = scores[i + 6000] + 1e-15; // neighbours that must not tie
    const ref = reference(scores, labels);
    expectMatches(roc(scores, labels), ref);
  });

  it('weighted events', () => {
    const { scores, labels } = toy(10_000, 3, 1);
    const u = mulberry32(4);
    const weights = Float64Array.from(scores, () => 0.1 + 2 * u());
    expectMatches(roc(scores, labels, weights), reference(scores, labels, weights));
  });

  it('working points: 1/ε_B at ε_S, ε_S at ε_B, SIC, closest point, on continuous and tied scores', () => {
    for (const decimals of [null, 1]) {
      const { scores, labels } = toy(5_000, 5, decimals);
      const r = roc(scores, labels);
      const ref = reference(scores, labels);
      TPR_TARGETS.forEach((e, i) => {
        const p = rejectionAt(r, e);
        expect(p.fpr).toBeCloseTo(ref.fprAtTpr[i], 12);
        expect(p.tpr).toBe(e);
        expect(p.rejection).toBeCloseTo(1 / ref.fprAtTpr[i], 8);
        const c = rejectionAt(r, e, 'closest');
        expect([c.fpr, c.tpr]).toEqual(ref.closest[i]);
      });
      FPR_TARGETS.forEach((f, i) => expect(tprAtFpr(r, f)).toBeCloseTo(ref.tprAtFpr[i], 12));
      const s = sic(r);
      expect(s.max).toBeCloseTo(ref.sicMax, 10);
      expect(s.atTpr).toBe(ref.sicMaxTpr);
    }
  });

  it('exact hits on flat stretches of the curve take the tightest cut', () => {
    // Curve (ε_B, ε_S): (0,0) (0,.5) (.5,.5) (1,.5) (1,1): ε_S = 0.5 is reached at ε_B = 0.
    const r = roc([4, 3, 2, 1], [1, 0, 0, 1]);
    expect(rejectionAt(r, 0.5)).toEqual({ rejection: Infinity, fpr: 0, tpr: 0.5, error: Infinity });
    expect(rejectionAt(r, 0.75).fpr).toBe(1);
    expect(tprAtFpr(r, 1)).toBe(1);
    expect(tprAtFpr(r, 0)).toBe(0.5);
    const ref = reference([4, 3, 2, 1], [1, 0, 0, 1], undefined, { tpr: [0.5, 0.75], fpr: [0, 1, 0.25] });
    expect(ref.fprAtTpr).toEqual([0, 1]);
    expect([tprAtFpr(r, 0), tprAtFpr(r, 1), tprAtFpr(r, 0.25)]).toEqual(ref.tprAtFpr);
  });
});

describe('errors, summary and downsampling', () => {
  it('binomial errors: √(ε(1−ε)/N), and σ(1/ε_B) = σ(ε_B)/ε_B² on N_B background events', () => {
    expect(binomialError(0.1, 100)).toBeCloseTo(0.03, 15);
    expect(() => binomialError(0.5, 0)).toThrow(/must be positive/);
    // 100 background events, 10 of them above every signal event's score: ε_B = 0.1 at ε_S ≤ 1.
    const scores = [...Array.from({ length: 10 }, (_, i) => 10 + i), ...Array.from({ length: 90 }, (_, i) => -i), 5];
    const labels = [...Array(100).fill(0), 1];
    const p = rejectionAt(roc(scores, labels), 1);
    expect(p.rejection).toBeCloseTo(10, 12);
    expect(p.error).toBeCloseTo(0.03 / 0.01, 12);
  });

  it('rocSummary gives AUC, rejections at 0.1/0.3/0.5, max SIC and ε_S at ε_B = 1e-5 from one ROC', () => {
    const { scores, labels } = toy(5_000, 6, null);
    const ref = reference(scores, labels, undefined, { tpr: [0.1, 0.3, 0.5], fpr: [1e-5] });
    const s = rocSummary(scores, labels);
    expect(s.auc).toBeCloseTo(ref.auc, 12);
    expect(s.rejection['0.3']).toBeCloseTo(1 / ref.fprAtTpr[1], 8);
    expect(s.rejection['0.5']).toBeCloseTo(1 / ref.fprAtTpr[2], 8);
    expect(s.sicMax).toBeCloseTo(ref.sicMax, 10);
    expect(s.tprAtFpr1e5).toBeCloseTo(ref.tprAtFpr[0], 12);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('downsampleRoc keeps end points and exact ROC points, and the rejection curve’s shape', () => {
    const { scores, labels } = toy(200_000, 7, null);
    const r = roc(scores, labels);
    const d = downsampleRoc(r, 200);
    expect(d.fpr.length).toBeLessThanOrEqual(200);
    expect(d.fpr.length).toBeGreaterThan(150);
    expect([d.fpr[0], d.tpr[0], d.fpr[d.fpr.length - 1], d.tpr[d.tpr.length - 1]]).toEqual([0, 0, 1, 1]);
    const points = new Set(Array.from(r.thresholds));
    expect(Array.from(d.thresholds).every((t) => points.has(t))).toBe(true);
    for (const e of [0.05, 0.1, 0.3, 0.5, 0.9]) {
      expect(Math.abs(Math.log(rejectionAt(d, e).rejection / rejectionAt(r, e).rejection))).toBeLessThan(0.03);
    }
    expect(Math.abs(auc(d) - auc(r))).toBeLessThan(1e-3);
    expect(downsampleRoc(roc([1, 0], [1, 0]), 10).fpr.length).toBe(3);
    const four = downsampleRoc(r, 4);
    expect(four.fpr.length).toBeLessThanOrEqual(4);
    expect(Array.from(four.fpr).every(Number.isFinite)).toBe(true);
    expect(() => downsampleRoc(r, 3)).toThrow(/maxPoints must be an integer ≥ 4/);
  });
});
