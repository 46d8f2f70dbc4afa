// Streams a dataset source into a staging folder of the store: one .npy per array, written chunk by
// chunk so memory stays bounded by the chunk size, plus the label split. Nothing here touches the
// registry; the caller commits the folder only when everything succeeded.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SPLIT_NAMES, type DatasetInfo, type SplitSpec } from '@shared/api';
import { assignSplits } from '../../represent/splits';
import { encodeNpy } from '../npy';
import type { DatasetSource, StoredArray } from '../source';
import { writeFileDurably } from '../../durable-file';
import { NpyStreamWriter } from './npy-stream';

/** What the staging folder holds: the registry record, less what only the caller knows (name, source hash). */
export type StagedDataset = Omit<DatasetInfo, 'id' | 'name' | 'createdAt' | 'sourceHash' | 'sourcePath'>;

export interface WriteOptions {
  /** Store at most this many rows (the first ones). */
  limit?: number;
  /** Rows per read: bounds memory (≈ chunkRows × row bytes, e.g. 4096 × 3.2 kB for Top Tagging jets). */
  chunkRows: number;
  split: SplitSpec;
  /** Reader options worth keeping with the dataset. */
  options: Record<string, unknown>;
  onProgress(done: number, total: number): void;
  shouldStop(): boolean;
}

export class ImportCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export const SPLIT_FILE = 'split.npy';
export const META_FILE = 'meta.json';
export const arrayFile = (name: string): string => `${name}.npy`;

/** SHA-256 over each array's name, dtype, shape and data hash: equal for equal content, whatever the source format. */
function contentHash(arrays: { name: string; dtype: string; shape: number[]; sha256: string }[]): string {
  const lines = [...arrays].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a) => `${a.name} ${a.dtype} ${a.shape.join('x')} ${a.sha256}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

function labelName(labelNames: Readonly<Record<string, string>>, code: number): string {
  return labelNames[String(code)] ?? `class ${code}`;
}

export async function writeDataset(source: DatasetSource, dir: string, opts: WriteOptions): Promise<StagedDataset> {
  const rows = Math.min(source.rows, opts.limit ?? Infinity);
  if (rows === 0) throw new Error(`${source.path}: holds no rows to import`);
  if (!source.arrays.some((a) => a.name === 'labels')) throw new Error(`${source.path}: the ${source.format} reader delivers no labels`);
  const writers = source.arrays.map((a) => new NpyStreamWriter(join(dir, arrayFile(a.name)), a.dtype, rows, a.rowShape));
  const labels = new Int8Array(rows);
  try {
    for (let start = 0; start < rows; start += opts.chunkRows) {
      if (opts.shouldStop()) throw new ImportCancelled();
      const count = Math.min(opts.chunkRows, rows - start);
      const chunk: Record<string, StoredArray> = await source.read(start, count);
      source.arrays.forEach((a, i) => {
        const data = chunk[a.name];
        if (!data) throw new Error(`${source.path}: the ${source.format} reader returned no '${a.name}' for rows ${start}..${start + count}`);
        writers[i].append(data);
      });
      labels.set(chunk.labels as Int8Array, start);
      opts.onProgress(start + count, rows);
    }
    const hashes = source.arrays.map((a, i) => ({ name: a.name, dtype: a.dtype, shape: [rows, ...a.rowShape], sha256: writers[i].finish() }));
    const splits = assignSplits(labels, opts.split.fractions, opts.split.seed);
    writeFileDurably(join(dir, SPLIT_FILE), encodeNpy({ shape: [rows], data: Int8Array.from(splits) }));
    const countsByLabel: Record<string, number> = {};
    const splitCounts: Record<string, Record<string, number>> = Object.fromEntries(SPLIT_NAMES.map((s) => [s, {}]));
    for (let r = 0; r < rows; r++) {
      const name = labelName(source.labelNames, labels[r]);
      countsByLabel[name] = (countsByLabel[name] ?? 0) + 1;
      const perSplit = splitCounts[SPLIT_NAMES[splits[r]]];
      perSplit[name] = (perSplit[name] ?? 0) + 1;
    }
    const staged: StagedDataset = {
      kind: source.kind,
      format: source.format,
      contentHash: contentHash(hashes),
      rows,
      shapes: Object.fromEntries(hashes.map((h) => [h.name, h.shape])),
      countsByLabel,
      labelNames: { ...source.labelNames },
      columns: source.columns ? [...source.columns] : null,
      splits: { fractions: opts.split.fractions, seed: opts.split.seed, counts: splitCounts },
      meta: { ...(source.meta ?? {}), options: opts.options, sourceRows: source.rows },
    };
    writeFileDurably(join(dir, META_FILE), JSON.stringify(staged, null, 2));
    return staged;
  } finally {
    for (const w of writers) w.close();
  }
}
