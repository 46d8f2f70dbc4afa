// Learning-rate schedules for the training loop, as pure state machines: after every epoch the loop
// hands over the epoch's validation loss and gets the rate for the next epoch. Rates are float32,
// as the optimiser applies them (and as Keras keeps them in a float32 variable).

/** Multiply the rate by `factor` after every `every` epochs (PyTorch StepLR). */
export interface StepEverySchedule {
  kind: 'step-every';
  factor: number;
  every: number;
}

/** Multiply the rate by `factor` after each epoch listed in `epochs` (PyTorch MultiStepLR milestones). */
export interface StepAtSchedule {
  kind: 'step-at';
  factor: number;
  epochs: number[];
}

/**
 * Keras ReduceLROnPlateau on the validation loss, mode min: after `patience` epochs in a row without
 * a loss below best − minDelta, multiply the rate by `factor`, never below `minLr`; then skip
 * `cooldown` epochs before counting again.
 */
export interface PlateauSchedule {
  kind: 'plateau';
  factor: number;
  patience: number;
  /** Default 1e-4, as in Keras. */
  minDelta?: number;
  /** Default 0. */
  minLr?: number;
  /** Default 0. */
  cooldown?: number;
}

export type LrSchedule = StepEverySchedule | StepAtSchedule | PlateauSchedule;

/** Everything a schedule remembers between epochs; a checkpoint stores it. */
export interface LrState {
  /** The rate for the next epoch. */
  lr: number;
  /** Plateau: the best validation loss so far; null before the first (Keras: +inf). */
  best: number | null;
  /** Plateau: epochs without improvement since the last improvement or reduction. */
  wait: number;
  /** Plateau: epochs of cooldown left. */
  cooldown: number;
}

const positiveInteger = (x: number) => Number.isInteger(x) && x >= 1;

/** Throws when a schedule's numbers cannot work. */
export function checkLrSchedule(s: LrSchedule): void {
  const where = `learning-rate schedule ${s.kind}`;
  if (!(s.factor > 0 && s.factor < 1)) throw new Error(`${where}: factor must be in (0, 1), got ${s.factor}`);
  if (s.kind === 'step-every' && !positiveInteger(s.every)) throw new Error(`${where}: every must be a positive integer, got ${s.every}`);
  if (s.kind === 'step-at') {
    const bad = s.epochs.find((e) => !positiveInteger(e));
    if (bad !== undefined) throw new Error(`${where}: epochs must be positive integers, got ${bad}`);
  }
  if (s.kind === 'plateau') {
    if (!(Number.isInteger(s.patience) && s.patience >= 0)) throw new Error(`${where}: patience must be a non-negative integer, got ${s.patience}`);
    if (!((s.minDelta ?? 0) >= 0)) throw new Error(`${where}: minDelta must be >= 0, got ${s.minDelta}`);
    if (!((s.minLr ?? 0) >= 0)) throw new Error(`${where}: minLr must be >= 0, got ${s.minLr}`);
    if (!(Number.isInteger(s.cooldown ?? 0) && (s.cooldown ?? 0) >= 0)) throw new Error(`${where}: cooldown must be a non-negative integer, got ${s.cooldown}`);
  }
}

export function initialLrState(learningRate: number): LrState {
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
  return { lr: Math.fround(learningRate), best: null, wait: 0, cooldown: 0 };
}

/**
 * The state after epoch `epoch` (1-based) ended with validation loss `valLoss`; `learningRate` is
 * the initial rate. Step schedules ignore the loss; the plateau schedule needs it.
 */
export function lrAfterEpoch(s: LrSchedule, state: LrState, epoch: number, valLoss: number | null, learningRate: number): LrState {
  switch (s.kind) {
    case 'step-every':
      return { ...state, lr: Math.fround(learningRate * s.factor ** Math.floor(epoch / s.every)) };
    case 'step-at':
      return { ...state, lr: Math.fround(learningRate * s.factor ** s.epochs.filter((m) => m <= epoch).length) };
    case 'plateau':
      if (valLoss === null) throw new Error('learning-rate schedule plateau: needs a validation loss after every epoch');
      return plateauStep(s, state, valLoss);
  }
}

/** Keras ReduceLROnPlateau.on_epoch_end (keras/src/callbacks/reduce_lr_on_plateau.py), mode min. */
function plateauStep(s: PlateauSchedule, state: LrState, current: number): LrState {
  const minDelta = s.minDelta ?? 1e-4;
  const minLr = s.minLr ?? 0;
  let { lr, wait, cooldown } = state;
  let best = state.best ?? Infinity;
  if (cooldown > 0) {
    cooldown -= 1;
    wait = 0;
  }
  if (current < best - minDelta) {
    best = current;
    wait = 0;
  } else if (cooldown === 0) {
    wait += 1;
    if (wait >= s.patience && lr > Math.fround(minLr)) {
      lr = Math.fround(Math.max(lr * s.factor, minLr));
      cooldown = s.cooldown ?? 0;
      wait = 0;
    }
  }
  return { lr, best: Number.isFinite(best) ? best : null, wait, cooldown };
}
