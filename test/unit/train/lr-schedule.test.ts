// Learning-rate schedules against PyTorch's StepLR, MultiStepLR and ReduceLROnPlateau (run through
// /usr/bin/python3), and against sequences worked out by hand from Keras' ReduceLROnPlateau source
// (keras/src/callbacks/reduce_lr_on_plateau.py) where Keras and PyTorch differ.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/random';
import { checkLrSchedule, initialLrState, lrAfterEpoch, type LrSchedule, type LrState } from '../../../src/main/engine/train/lr-schedule';

/** The rate after each epoch, and the plateau wait counter, for validation losses `losses`. */
function run(s: LrSchedule, lr0: number, losses: (number | null)[]): { lrs: number[]; waits: number[] } {
  let state: LrState = initialLrState(lr0);
  const lrs: number[] = [];
  const waits: number[] = [];
  losses.forEach((loss, i) => {
    state = lrAfterEpoch(s, state, i + 1, loss, lr0);
    lrs.push(state.lr);
    waits.push(state.wait);
  });
  return { lrs, waits };
}

function torchReference(cases: object[]): number[][] {
  const script = join(__dirname, 'lr_schedule_reference.py');
  return JSON.parse(execFileSync('/usr/bin/python3', [script], { input: JSON.stringify(cases), encoding: 'utf8' })) as number[][];
}

function expectRelClose(a: number[], b: number[]): void {
  expect(a).toHaveLength(b.length);
  // Our rates are float32 (as Adam applies them), rounded after every reduction; PyTorch's are float64.
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(1e-6 * Math.abs(b[i])));
}

/** A noisy, slowly flattening validation curve with plateaus and bumps. */
function noisyCurve(seed: number, n: number): number[] {
  const u = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => 1 / (1 + 0.3 * i) + 0.02 * (u() - 0.5) + (i % 7 === 3 ? 0.05 : 0));
}

describe('step decay', () => {
  it('matches PyTorch StepLR and MultiStepLR epoch by epoch', () => {
    const n = 25;
    const none = Array<null>(n).fill(null);
    const ours = [
      run({ kind: 'step-every', factor: 0.5, every: 3 }, 0.01, none).lrs,
      run({ kind: 'step-every', factor: 0.1, every: 1 }, 1e-3, none.slice(0, 6)).lrs,
      run({ kind: 'step-at', factor: 0.3, epochs: [2, 5, 11] }, 0.02, none).lrs,
      run({ kind: 'step-at', factor: 0.5, epochs: [4, 4] }, 0.1, none).lrs,
    ];
    const torch = torchReference([
      { kind: 'step-every', lr: 0.01, factor: 0.5, every: 3, epochs: n },
      { kind: 'step-every', lr: 1e-3, factor: 0.1, every: 1, epochs: 6 },
      { kind: 'step-at', lr: 0.02, factor: 0.3, milestones: [2, 5, 11], epochs: n },
      { kind: 'step-at', lr: 0.1, factor: 0.5, milestones: [4, 4], epochs: n },
    ]);
    ours.forEach((lrs, i) => expectRelClose(lrs, torch[i]));
    // Spelled out: the third epoch still trains at 0.01, the fourth at 0.005 (after 3 epochs).
    expect(ours[0].slice(0, 4)).toEqual([0.01, 0.01, 0.005, 0.005].map(Math.fround));
  });
});

describe('reduce on plateau (Keras semantics)', () => {
  it('matches PyTorch ReduceLROnPlateau with patience one lower on noisy curves (cooldown 0)', () => {
    // PyTorch also skips reductions smaller than its eps (1e-8), which Keras does not: rates stay far above.
    const cases = [
      { factor: 0.5, patience: 2, minDelta: 1e-3, minLr: 1e-4, seed: 1 },
      { factor: 0.1, patience: 1, minDelta: 1e-2, minLr: 1e-6, seed: 2 },
      { factor: 0.7, patience: 3, minDelta: 0, minLr: 2e-3, seed: 3 },
    ];
    const curves = cases.map((c) => noisyCurve(c.seed, 60));
    const torch = torchReference(
      cases.map((c, i) => ({ kind: 'plateau', lr: 0.01, factor: c.factor, patience: c.patience - 1, threshold: c.minDelta, min_lr: c.minLr, losses: curves[i] })),
    );
    cases.forEach((c, i) => {
      const { lrs } = run({ kind: 'plateau', factor: c.factor, patience: c.patience, minDelta: c.minDelta, minLr: c.minLr }, 0.01, curves[i]);
      expectRelClose(lrs, torch[i]);
      // The curves do plateau: every case reduces at least twice.
      expect(new Set(lrs).size).toBeGreaterThanOrEqual(3);
    });
  });

  it('follows a hand-worked Keras sequence: min_delta boundary, patience, min_lr clamp, no reset at min_lr', () => {
    // patience 2, min_delta 0.25, factor 0.5, min_lr 0.2; improvement means loss < best − 0.25.
    const losses = [10, 9.75, 9.5, 9.5, 9.4, 9.3, 9.2, 9.2, 9.2, 9.2, 9.2, 9.2, 9.2, 9.2, 8];
    const { lrs, waits } = run({ kind: 'plateau', factor: 0.5, patience: 2, minDelta: 0.25, minLr: 0.2 }, 1, losses);
    // e2: 9.75 is not < 10 − 0.25; e3: 9.5 is. e5: second miss → 0.5. e7: 9.2 < 9.5 − 0.25. e9 → 0.25;
    // e11 → max(0.125, 0.2) = 0.2; from e13 the rate is at min_lr: Keras neither reduces nor resets wait.
    const f = Math.fround;
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, f(0.2), f(0.2), f(0.2), f(0.2), f(0.2)]);
    expect(waits).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 0]);
  });

  it('counts cooldown as Keras does (one epoch less than PyTorch)', () => {
    // patience 1, cooldown 2, flat loss. Keras: e2 reduces and sets cooldown 2; e3 decrements to 1 and
    // skips; e4 decrements to 0, is out of cooldown and counts the miss → reduces again.
    const { lrs } = run({ kind: 'plateau', factor: 0.5, patience: 1, minDelta: 0, cooldown: 2 }, 1, [5, 5, 5, 5, 5, 5]);
    expect(lrs).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('with patience 0 reduces on every epoch that does not improve', () => {
    const { lrs } = run({ kind: 'plateau', factor: 0.5, patience: 0 }, 1, [5, 5, 4, 5, 3]);
    expect(lrs).toEqual([1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('keeps the Keras default min_delta of 1e-4', () => {
    const { lrs } = run({ kind: 'plateau', factor: 0.5, patience: 1 }, 1, [1, 1 - 0.5e-4, 1 - 2e-4]);
    expect(lrs).toEqual([1, 0.5, 0.5]);
  });

  it('needs a validation loss', () => {
    expect(() => run({ kind: 'plateau', factor: 0.5, patience: 1 }, 1, [null])).toThrow(/validation loss/);
  });
});

describe('checkLrSchedule', () => {
  it('refuses numbers that cannot work, naming the field', () => {
    expect(() => checkLrSchedule({ kind: 'step-every', factor: 1.5, every: 2 })).toThrow(/factor must be in \(0, 1\), got 1.5/);
    expect(() => checkLrSchedule({ kind: 'step-every', factor: 0.5, every: 0 })).toThrow(/every must be a positive integer/);
    expect(() => checkLrSchedule({ kind: 'step-at', factor: 0.5, epochs: [3, 2.5] })).toThrow(/epochs must be positive integers, got 2.5/);
    expect(() => checkLrSchedule({ kind: 'plateau', factor: 0.5, patience: -1 })).toThrow(/patience/);
    expect(() => checkLrSchedule({ kind: 'plateau', factor: 0.5, patience: 1, minLr: -1 })).toThrow(/minLr/);
    expect(() => initialLrState(0)).toThrow(/positive/);
  });
});
