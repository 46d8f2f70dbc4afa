// REPRODUCE.md: the command line that re-creates an exported run or study, with what it depends on (the
// engine version, the datasets). A study re-runs from its resolved study file; a training run from an
// `awb train` command rebuilt from its stored TrainConfig.
import type { DatasetInfo } from '@shared/api';

/** TrainConfig fields whose `awb train` flag is not the field's name in kebab case. */
const FLAG_OF: Record<string, string> = { learningRate: 'lr', clrLearningRate: 'clr-lr' };
/** Fields that are positional parts of the command, or have no flag of their own. */
const NOT_FLAGS = new Set(['dataset', 'signal', 'model', 'representation', 'backend', 'lrSchedule', 'earlyStopping', 'resumeFrom']);
/** Representation fields → `awb train` flags (see `awb help train`). */
const REPRESENTATION_FLAG: Record<string, string> = { pixels: 'pixels', range: 'range', transform: 'transform', n: 'n', coords: 'coords' };

const kebab = (field: string) => FLAG_OF[field] ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A shell word: bare when safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Representation fields with a flag of their own (the rest go to `unexpressed`). */
const REPRESENTATION_FIELDS = new Set(['kind', 'scale', 'sinCos', ...Object.keys(REPRESENTATION_FLAG)]);

function representationFlags(rep: Record<string, unknown>, unexpressed: string[]): string[] {
  const flags = ['--representation', String(rep.kind)];
  for (const field of Object.keys(rep)) if (!REPRESENTATION_FIELDS.has(field)) unexpressed.push(`representation.${field}`);
  for (const [field, flag] of Object.entries(REPRESENTATION_FLAG)) if (rep[field] !== undefined) flags.push(`--${flag}`, String(rep[field]));
  if (rep.scale === true) flags.push('--scale');
  if (rep.scale === false) flags.push('--no-scale');
  if (rep.sinCos === true) flags.push('--sin-cos');
  return flags;
}

/** Schedule and early-stopping settings that `awb train` flags express, and a note for those they cannot. */
function trainingFlags(cfg: Record<string, unknown>): { flags: string[]; unexpressed: string[] } {
  const flags: string[] = [];
  const unexpressed: string[] = [];
  const lr = cfg.lrSchedule as { kind: string; factor: number; every?: number; patience?: number; minLr?: number; minDelta?: number; cooldown?: number } | undefined;
  if (lr?.kind === 'step-every') flags.push('--lr-step-every', String(lr.every), '--lr-factor', String(lr.factor));
  else if (lr?.kind === 'plateau') {
    flags.push('--lr-plateau', String(lr.patience), '--lr-factor', String(lr.factor));
    if (lr.minLr !== undefined) flags.push('--lr-min', String(lr.minLr));
    if (lr.minDelta !== undefined || lr.cooldown !== undefined) unexpressed.push('lrSchedule (plateau minDelta/cooldown)');
  } else if (lr) unexpressed.push(`lrSchedule (${lr.kind})`);
  const es = cfg.earlyStopping as { patience: number; minDelta?: number; restoreBestWeights?: boolean } | undefined;
  if (es) {
    flags.push('--early-stopping', String(es.patience));
    if (es.minDelta !== undefined) flags.push('--min-delta', String(es.minDelta));
    if (es.restoreBestWeights === false) unexpressed.push('earlyStopping.restoreBestWeights = false');
  }
  return { flags, unexpressed };
}

/** The `awb train` command of a stored TrainConfig, and the settings no flag expresses (they are in train.json). */
export function trainCommand(cfg: Record<string, unknown>): { command: string; unexpressed: string[] } {
  const unexpressed: string[] = [];
  const words = ['awb', 'train', '--dataset', String(cfg.dataset), '--model', String(cfg.model)];
  const signal = (cfg.signal as string[] | undefined) ?? [];
  if (signal.length) words.push('--signal', signal.join(','));
  if (cfg.representation) words.push(...representationFlags(cfg.representation as Record<string, unknown>, unexpressed));
  for (const [field, value] of Object.entries(cfg)) {
    if (NOT_FLAGS.has(field) || value === undefined) continue;
    if (typeof value === 'boolean') {
      if (value) words.push(`--${kebab(field)}`);
    } else words.push(`--${kebab(field)}`, Array.isArray(value) ? value.join(',') : String(value));
  }
  const training = trainingFlags(cfg);
  words.push(...training.flags);
  unexpressed.push(...training.unexpressed);
  if (typeof cfg.backend === 'string') words.push('--backend', cfg.backend);
  if (cfg.resumeFrom !== undefined) unexpressed.push(`resumeFrom ${String(cfg.resumeFrom)} (the re-run trains from scratch)`);
  return { command: words.map(shellWord).join(' '), unexpressed };
}

function datasetLines(datasets: DatasetInfo[]): string[] {
  return datasets.map((d) => `- \`${d.name}\` (${d.kind}, ${d.rows} rows): from \`${d.sourcePath}\`, source SHA-256 \`${d.sourceHash}\`, content SHA-256 \`${d.contentHash}\``);
}

/** REPRODUCE.md of a study export: re-run the exported study file. */
export function studyReproduce(r: { id: string; name: string; engineVersion: string; datasets: DatasetInfo[] }): string {
  return [
    `# Reproducing study ${r.id}: ${r.name}`,
    '',
    'From this folder, with the Anomaly Workbench command-line tool:',
    '',
    '```sh',
    'awb study run study.json',
    '```',
    '',
    'Add `--home DIR` to run it in another workbench home (the default is `$AWB_HOME`, else the home chosen in Settings).',
    `The results were made by engine version ${r.engineVersion}; another version may give different numbers.`,
    '`study.json` is the study file as the engine resolved it (every default filled in), with its seeds. Datasets given there as',
    '`generate` specs are re-made from those generator specs (the same spec and seed give byte-identical files); datasets given by',
    'name must be imported under that name first. The datasets this study used:',
    '',
    ...datasetLines(r.datasets),
    '',
  ].join('\n');
}

/** REPRODUCE.md of a training-run export: the `awb train` command of its configuration. */
export function trainReproduce(r: { id: string; name: string; engineVersion: string; config: Record<string, unknown>; datasets: DatasetInfo[] }): string {
  const { command, unexpressed } = trainCommand(r.config);
  return [
    `# Reproducing run ${r.id}: ${r.name}`,
    '',
    'With the Anomaly Workbench command-line tool, in a workbench home that holds the datasets below under the same names:',
    '',
    '```sh',
    command,
    '```',
    '',
    ...(unexpressed.length ? [`These settings have no \`awb train\` flag; they are in \`train.json\`: ${unexpressed.join('; ')}.`, ''] : []),
    `The results were made by engine version ${r.engineVersion}; another version may give different numbers.`,
    '`train.json` is the run\'s full configuration as the engine resolved it. The datasets (import each with',
    '`awb import SOURCE --name NAME`; a generated one is re-made with `awb generate` from the generator spec it records, which',
    'gives a byte-identical file, hence the same content hash):',
    '',
    ...datasetLines(r.datasets),
    '',
  ].join('\n');
}
