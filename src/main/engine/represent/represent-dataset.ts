// Worker side of a representation: fit on a sample of training rows, then stream every stored row through
// the computation into data.npy, and write spec.json describing it (the cache entry's contents).
import { join } from 'node:path';
import type { DatasetInfo } from '@shared/api';
import { writeFileDurably } from '../durable-file';
import { StoredDataset } from '../data/store/dataset-store';
import { NpyStreamWriter } from '../data/store/npy-stream';
import { planRepresentation, REPRESENTATION_VERSION, type Representation } from './representation';
import { sampleSplitRows } from './splits';

/** Training rows a scaler sees at most: quantiles of 100k rows are exact to far better than the statistics need. */
export const FIT_ROWS = 100_000;
export const DATA_FILE = 'data.npy';
export const SPEC_FILE = 'spec.json';

export interface RepresentationEntry {
  version: number;
  spec: Representation;
  shape: number[];
  columns: string[] | null;
  fit: unknown;
  /** How many training rows the fit saw (0 when the fit came from another dataset). */
  fitRows: number;
  /** The dataset whose training split the fit was made on, when not this one. */
  fitFrom?: string;
}

export interface RepresentHooks {
  onProgress(done: number, total: number): void;
  shouldStop(): boolean;
}

/**
 * Computes a representation into `folder`. `given` is a fit made on another dataset (the background of
 * a training run), so that signal rows are scaled exactly as the background the model was trained on.
 */
export function representDataset(
  home: string,
  info: DatasetInfo,
  spec: Representation,
  folder: string,
  chunkRows: number,
  hooks: RepresentHooks,
  given?: { fit: unknown; from: string },
): RepresentationEntry {
  const plan = planRepresentation(spec, info);
  const ds = new StoredDataset(home, info);
  try {
    let fitted: unknown = given?.fit ?? null;
    let fitRows = 0;
    if (plan.fit && !given) {
      const train = sampleSplitRows(ds.splits(), 0, FIT_ROWS, info.splits.seed);
      if (train.length === 0) throw new Error(`dataset "${info.name}": the training split is empty, nothing to fit ${spec.kind} scaling on`);
      fitted = plan.fit(ds.array(plan.input).gather(train) as Float32Array, train.length);
      fitRows = train.length;
    }
    const input = ds.array(plan.input);
    const writer = new NpyStreamWriter(join(folder, DATA_FILE), 'float32', info.rows, plan.rowShape);
    try {
      for (let start = 0; start < info.rows; start += chunkRows) {
        if (hooks.shouldStop()) throw new Error('cancelled');
        const count = Math.min(chunkRows, info.rows - start);
        writer.append(plan.compute(input.read(start, count) as Float32Array, count, fitted));
        hooks.onProgress(start + count, info.rows);
      }
      writer.finish();
    } finally {
      writer.close();
    }
    const entry: RepresentationEntry = {
      version: REPRESENTATION_VERSION,
      spec,
      shape: [info.rows, ...plan.rowShape],
      columns: plan.columns,
      fit: fitted,
      fitRows,
      ...(given ? { fitFrom: given.from } : {}),
    };
    writeFileDurably(join(folder, SPEC_FILE), JSON.stringify(entry, null, 2));
    return entry;
  } finally {
    ds.close();
  }
}
