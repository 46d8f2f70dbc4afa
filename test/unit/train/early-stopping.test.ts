// Early stopping against sequences worked out by hand from Keras 3's EarlyStopping source
// (keras/src/callbacks/early_stopping.py, mode min, restore_best_weights=True).
import { describe, expect, it } from 'vitest';
import {
  checkEarlyStopping,
  earlyStoppingStep,
  initialEarlyStoppingState,
  type EarlyStoppingSpec,
} from '../../../src/main/engine/train/early-stopping';

/** Feeds `losses` epoch by epoch until a stop; returns the epochs whose weights were saved and the last state. */
function run(spec: EarlyStoppingSpec, losses: number[]) {
  let state = initialEarlyStoppingState();
  const saved: number[] = [];
  let epochs = 0;
  for (const [i, loss] of losses.entries()) {
    const step = earlyStoppingStep(spec, state, i + 1, loss);
    state = step.state;
    epochs = i + 1;
    if (step.saveBest) saved.push(i + 1);
    if (step.stop) break;
  }
  return { state, saved, epochs };
}

describe('early stopping (Keras semantics)', () => {
  it('stops after `patience` epochs without an improvement of more than min_delta and keeps the best epoch', () => {
    // min_delta 0.25: e2 9.8 + 0.25 is not < 10; e3 9.7 + 0.25 < 10 improves; e4 and e5 miss → stop after 5.
    const r = run({ patience: 2, minDelta: 0.25 }, [10, 9.8, 9.7, 9.6, 9.5, 1, 1]);
    expect(r.epochs).toBe(5);
    expect(r.saved).toEqual([1, 3]);
    expect(r.state).toEqual({ best: 9.7, bestEpoch: 3, wait: 2, stoppedEpoch: 5 });
  });

  it('treats a loss exactly min_delta below the best as no improvement', () => {
    const r = run({ patience: 1, minDelta: 0.5 }, [4, 3.5, 3.25]);
    expect(r.epochs).toBe(2);
    expect(r.state.bestEpoch).toBe(1);
  });

  it('with patience 0 stops at the first epoch that does not improve, never after the first epoch', () => {
    expect(run({ patience: 0 }, [3, 2, 1, 1, 0]).state.stoppedEpoch).toBe(4);
    // Keras' `epoch > 0`: a NaN first loss is no improvement but does not stop; its weights are kept
    // as the best until an epoch improves.
    const nan = run({ patience: 0 }, [NaN, 2, 2]);
    expect(nan.saved).toEqual([1, 2]);
    expect(nan.state).toEqual({ best: 2, bestEpoch: 2, wait: 1, stoppedEpoch: 3 });
  });

  it('resets the wait on every improvement and never stops while the loss keeps improving', () => {
    const r = run({ patience: 2 }, [5, 5, 4, 4, 3, 3, 2]);
    expect(r.state.stoppedEpoch).toBeNull();
    expect(r.saved).toEqual([1, 3, 5, 7]);
    expect(r.state.wait).toBe(0);
  });

  it('refuses a negative or fractional patience and a negative min_delta', () => {
    expect(() => checkEarlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer, got -1/);
    expect(() => checkEarlyStopping({ patience: 1.5 })).toThrow(/patience/);
    expect(() => checkEarlyStopping({ patience: 1, minDelta: -0.1 })).toThrow(/minDelta/);
  });
});
