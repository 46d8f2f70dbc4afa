import { DEFAULT_SPLIT, IMPORT_FORMATS, ImportParams, type DatasetInfo } from '@shared/api';
import { UsageError, type Command } from '../command';
import { followTask } from '../task-progress';
import { datasetText } from './datasets';

const list = (v: unknown): string[] | undefined => (v === undefined ? undefined : String(v).split(',').map((s) => s.trim()).filter(Boolean));

function parseSplit(v: unknown, seed: unknown): { fractions: [number, number, number]; seed: number } {
  const fractions = v === undefined ? DEFAULT_SPLIT.fractions : String(v).split(',').map(Number);
  if (fractions.length !== 3 || fractions.some((f) => !Number.isFinite(f))) throw new UsageError(`--split: expected three numbers TRAIN,VAL,TEST, got ${String(v)}`);
  const s = seed === undefined ? DEFAULT_SPLIT.seed : Number(seed);
  return { fractions: fractions as [number, number, number], seed: s };
}

export const importCommand: Command = {
  name: 'import',
  args: 'FILE --name NAME',
  summary: 'import a data file into the dataset store (streamed in chunks; Ctrl-C cancels)',
  help: [
    `--format F         ${IMPORT_FORMATS.join(' | ')} (default auto: from the extension and contents)`,
    '--name NAME        the dataset name (required, unique)',
    '--limit N          only the first N rows',
    '--label NAME       one label for every row (e.g. an ADC2021 signal file: ato4l); background/sm mean class 0',
    '--columns A,B,…    generic formats: the feature columns (default: every numeric column but the label)',
    '--label-column C   generic formats: the column with integer class labels',
    '--key K            HDF5: the pandas key or dataset to read',
    '--tree T           ROOT: the TTree to read',
    '--masterkey FILE   LHCO black boxes: labels, one per line',
    '--split A,B,C      train,validation,test fractions (default 0.6,0.2,0.2), stratified by label',
    '--split-seed S     seed of the split (default 0)',
    'Examples: awb import train.h5 --name toptag-train --limit 100000',
    '          awb import Ato4l_lepFilter_13TeV.h5 --name ato4l',
  ],
  options: {
    name: { type: 'string' },
    format: { type: 'string' },
    limit: { type: 'string' },
    label: { type: 'string' },
    columns: { type: 'string' },
    'label-column': { type: 'string' },
    key: { type: 'string' },
    tree: { type: 'string' },
    masterkey: { type: 'string' },
    split: { type: 'string' },
    'split-seed': { type: 'string' },
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, values, positionals, out }) {
    if (values.name === undefined) throw new UsageError('--name NAME is required');
    const raw = {
      path: positionals[0],
      name: values.name,
      format: values.format ?? 'auto',
      limit: values.limit === undefined ? undefined : Number(values.limit),
      label: values.label,
      columns: list(values.columns),
      labelColumn: values['label-column'],
      key: values.key,
      tree: values.tree,
      masterkey: values.masterkey,
      split: parseSplit(values.split, values['split-seed']),
    };
    const p = ImportParams.safeParse(raw);
    if (!p.success) {
      const i = p.error.issues[0];
      const flag = String(i.path[0] ?? 'params').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new UsageError(`--${flag}: ${i.message}`);
    }
    const e = await engine();
    const { taskId } = await e.call('datasets.import', p.data);
    const d = (await followTask(e, taskId, out)) as DatasetInfo;
    out.result(d, (x) => `imported ${x.rows} rows as dataset "${x.name}" (${x.id})\n${datasetText(x)}`);
    return 0;
  },
};
