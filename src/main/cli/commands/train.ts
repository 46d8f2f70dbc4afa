import { ACTIVATIONS, ANOMALOUS_AUGMENTATIONS, CLR_LOSSES, MODEL_KINDS, OE_VARIANTS, SCORE_KINDS, TrainConfig, UNLABELLED_ROLES, VAE_OBJECTIVES } from '@shared/api';
import { UsageError, type Command, type CommandContext } from '../command';
import { followRun, runExitCode } from '../run-progress';
import { REPRESENTATION_FLAGS, REPRESENTATION_HELP, representationFromFlags } from './represent';

/** Command-line flag → TrainConfig field, for the plain values. */
const NUMBERS: Record<string, string> = {
  epochs: 'epochs',
  'batch-size': 'batchSize',
  lr: 'learningRate',
  seed: 'seed',
  bottleneck: 'bottleneck',
  'kernel-size': 'kernelSize',
  'max-train': 'maxTrain',
  latent: 'latent',
  beta: 'beta',
  lambda: 'lambda',
  margin: 'margin',
  temperature: 'temperature',
  'clr-epochs': 'clrEpochs',
  'clr-batch-size': 'clrBatchSize',
  'clr-lr': 'clrLearningRate',
  'rep-dim': 'repDim',
  layers: 'layers',
  heads: 'heads',
  'head-layers': 'headLayers',
  dropout: 'dropout',
  'latent-snapshots': 'latentSnapshots',
  'max-outliers': 'maxOutliers',
};

/** Command-line flag → TrainConfig field, for the named choices. */
const CHOICES: Record<string, string> = { objective: 'objective', 'oe-variant': 'oeVariant', outliers: 'outliers', score: 'score', activation: 'activation', 'clr-loss': 'clrLoss', unlabelled: 'unlabelled' };

/** Flags of the learning-rate schedule and early stopping, as TrainConfig's nested objects. */
function trainingOptions(values: CommandContext['values']): Record<string, unknown> {
  const num = (flag: string) => (values[flag] === undefined ? undefined : Number(values[flag]));
  const out: Record<string, unknown> = {};
  const factor = num('lr-factor') ?? 0.5;
  if (values['lr-step-every'] !== undefined) out.lrSchedule = { kind: 'step-every', factor, every: num('lr-step-every') };
  if (values['lr-plateau'] !== undefined) {
    if (out.lrSchedule) throw new UsageError('--lr-step-every and --lr-plateau: choose one schedule');
    out.lrSchedule = { kind: 'plateau', factor, patience: num('lr-plateau'), ...(values['lr-min'] !== undefined ? { minLr: num('lr-min') } : {}) };
  }
  if (values['early-stopping'] !== undefined) {
    out.earlyStopping = { patience: num('early-stopping'), ...(values['min-delta'] !== undefined ? { minDelta: num('min-delta') } : {}) };
  }
  return out;
}

const list = (v: unknown): string[] => String(v).split(',').map((s) => s.trim()).filter(Boolean);

export const train: Command = {
  name: 'train',
  args: `--dataset D --model ${MODEL_KINDS.join('|')}`,
  summary: 'train an autoencoder (or AnomalyCLR) on the background of a stored dataset and score its test split (a run)',
  help: [
    '--dataset D        background dataset (rows with label code 0; its signal rows are test signal too)',
    '--signal S1,S2     datasets whose (signal-labelled) test rows are scored as signal',
    `--model M          ${MODEL_KINDS.join(' | ')}`,
    '--representation K the model input (default: jet-images for conv-ae; event-objects for anomalyclr; constituents / event-features / features for dense-ae)',
    ...REPRESENTATION_HELP.map((l) => `  ${l.replace('--kind', '--representation')}`),
    `--widths 256,128,…  encoder widths (dense AE default 256,128,64,32,16,5; VAE 256,128,64); --activation ${ACTIVATIONS.join('|')}`,
    `--latent 10 --objective ${VAE_OBJECTIVES.join('|')} --beta 0.1 [--annealing]   VAE (Cheng et al.)`,
    `--lambda L --outliers DATASET --oe-variant ${OE_VARIANTS.join('|')} --margin 1   DisCo-VAE / OE-VAE; with conv-ae / dense-ae:`,
    '  semi-supervised training, the outliers\' reconstruction error pushed above margin × the background\'s;',
    '--max-outliers N   use only the first N training rows of the outlier dataset (how many labelled anomalies there are)',
    `--unlabelled ${UNLABELLED_ROLES.join('|')} (skip)   rows without a label: left out, or trained on and scored as data`,
    '--latent-snapshots K   conv-ae / dense-ae: the bottleneck of K training rows before training and after each epoch',
    `--score ${SCORE_KINDS.join('|')}   the score behind the headline metrics (every score's AUC is recorded)`,
    '--bottleneck 32 --kernel-size 3   conv AE (physics.md §2)',
    `--clr-loss ${CLR_LOSSES.join('|')} (anomclr) --temperature 0.1 --clr-epochs 100 --clr-batch-size 128 --clr-lr 5e-5`,
    `--anomalous-augs ${ANOMALOUS_AUGMENTATIONS.join(',')} (ao,aowcpm)   the anomalous augmentations of anomclr / anomclr+`,
    '--rep-dim 136 --layers 4 --heads 4 --head-layers 2 --dropout 0.1   AnomalyCLR (physics.md §5): the transformer encoder,',
    '  trained contrastively on ADC2021 events; then a dense AE (--widths, --epochs, --batch-size, --lr) on its representations',
    '--epochs 10 --batch-size 256 --lr 0.001 --seed 1 --max-train N',
    '--lr-step-every N | --lr-plateau PATIENCE [--lr-min X]   learning-rate schedule, times --lr-factor F (0.5)',
    '--early-stopping PATIENCE [--min-delta D]   stop on the validation loss and restore the best epoch',
    'Trains on the training split of the background, validates on its validation split, scores the test splits;',
    'the run records the scores (scores.npy, labels.npy, mass.npy), the ROC and AUC / rejection / SIC. Ctrl-C cancels.',
    'Example: awb train --dataset qcd --signal top --model conv-ae --epochs 5 --json',
  ],
  options: {
    dataset: { type: 'string' },
    signal: { type: 'string' },
    model: { type: 'string' },
    representation: { type: 'string' },
    widths: { type: 'string' },
    'anomalous-augs': { type: 'string' },
    annealing: { type: 'boolean' },
    ...Object.fromEntries(Object.keys(CHOICES).map((k) => [k, { type: 'string' as const }])),
    ...Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, { type: 'string' as const }])),
    ...REPRESENTATION_FLAGS,
    ...Object.fromEntries(['lr-step-every', 'lr-plateau', 'lr-min', 'lr-factor', 'early-stopping', 'min-delta'].map((k) => [k, { type: 'string' as const }])),
  },
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, values, global, out }) {
    const raw: Record<string, unknown> = { dataset: values.dataset, model: values.model, backend: global.backend ?? 'auto' };
    if (values.signal !== undefined) raw.signal = list(values.signal);
    if (values.widths !== undefined) raw.widths = list(values.widths).map(Number);
    if (values['anomalous-augs'] !== undefined) raw.anomalousAugs = list(values['anomalous-augs']);
    for (const [flag, field] of Object.entries(CHOICES)) if (values[flag] !== undefined) raw[field] = values[flag];
    if (values.annealing) raw.annealing = true;
    for (const [flag, field] of Object.entries(NUMBERS)) if (values[flag] !== undefined) raw[field] = Number(values[flag]);
    Object.assign(raw, trainingOptions(values));
    if (values.representation !== undefined) raw.representation = representationFromFlags(String(values.representation), values, 'representation');
    const cfg = TrainConfig.safeParse(raw);
    if (!cfg.success) {
      const i = cfg.error.issues[0];
      const field = String(i.path[0] ?? 'dataset');
      const flag = Object.entries({ ...NUMBERS, ...CHOICES, 'anomalous-augs': 'anomalousAugs' }).find(([, f]) => f === field)?.[0] ?? field;
      throw new UsageError(`--${flag}: ${i.message}`);
    }
    const e = await engine();
    const run = await followRun(e, () => e.call('jobs.train', cfg.data), out);
    out.result(
      { id: run.id, kind: run.kind, status: run.status, error: run.error, backend: run.backend, device: run.device, metrics: run.summary },
      (r) =>
        `run ${r.id} ${r.status}${r.error ? `: ${r.error}` : ''}\n` +
        Object.entries(r.metrics)
          .map(([k, v]) => `  ${k.padEnd(22)} ${Number.isInteger(v) ? v : v.toPrecision(5)}`)
          .join('\n'),
    );
    return runExitCode(run);
  },
};
