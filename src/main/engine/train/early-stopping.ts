// Early stopping on the validation loss as a pure state machine, with the semantics of Keras 3's
// EarlyStopping(monitor='val_loss', mode='min', restore_best_weights=True)
// (keras/src/callbacks/early_stopping.py): an epoch improves when loss + minDelta < best; training
// stops once `patience` epochs in a row have not improved (never after the first epoch); the best
// epoch's weights are put back when training ends, stopped early or not.

export interface EarlyStoppingSpec {
  /** Epochs without improvement to wait before stopping (Keras default 0). */
  patience: number;
  /** The least decrease of the validation loss that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put the best epoch's weights back at the end (default true). */
  restoreBestWeights?: boolean;
}

/** Everything early stopping remembers between epochs; a checkpoint stores it. */
export interface EarlyStoppingState {
  /** The best validation loss so far; null before the first (Keras: +inf). */
  best: number | null;
  /** The epoch (1-based) whose weights are kept as the best; null before the first epoch. */
  bestEpoch: number | null;
  wait: number;
  /** The epoch after which training stopped early; null while it goes on. */
  stoppedEpoch: number | null;
}

export interface EarlyStoppingStep {
  state: EarlyStoppingState;
  /** Keep this epoch's weights as the best ones. */
  saveBest: boolean;
  stop: boolean;
}

export function checkEarlyStopping(s: EarlyStoppingSpec): void {
  if (!(Number.isInteger(s.patience) && s.patience >= 0)) throw new Error(`early stopping: patience must be a non-negative integer, got ${s.patience}`);
  if (!((s.minDelta ?? 0) >= 0)) throw new Error(`early stopping: minDelta must be >= 0, got ${s.minDelta}`);
}

export function initialEarlyStoppingState(): EarlyStoppingState {
  return { best: null, bestEpoch: null, wait: 0, stoppedEpoch: null };
}

/** Keras EarlyStopping.on_epoch_end for epoch `epoch` (1-based) ending with validation loss `current`. */
export function earlyStoppingStep(s: EarlyStoppingSpec, state: EarlyStoppingState, epoch: number, current: number): EarlyStoppingStep {
  const minDelta = s.minDelta ?? 0;
  // Keras keeps the first monitored epoch's weights even when its loss is not an improvement (NaN).
  const saveBest = state.bestEpoch === null;
  const bestEpoch = saveBest ? epoch : state.bestEpoch;
  const wait = state.wait + 1;
  if (current + minDelta < (state.best ?? Infinity)) {
    return { state: { best: current, bestEpoch: epoch, wait: 0, stoppedEpoch: null }, saveBest: true, stop: false };
  }
  // Keras: `wait >= patience and epoch > 0` with a 0-based epoch.
  const stop = wait >= s.patience && epoch > 1;
  return { state: { best: state.best, bestEpoch, wait, stoppedEpoch: stop ? epoch : null }, saveBest, stop };
}
