// Main-thread side of `datasets.import`: checks that cost nothing first (file, name), then the source
// hash and duplicate check, then the worker streams the file into a staging folder, and only a complete,
// new dataset is moved into the store and recorded. Any failure removes the staging folder.
import { statSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type DatasetInfo, type ImportParams } from '@shared/api';
import type { z } from 'zod';
import { homeLayout } from '../home';
import { startJob } from '../jobs/job-runner';
import type { Registry } from '../registry/registry';
import type { TaskContext } from '../tasks';
import type { ImportOptions } from './source';
import { commitStaged, createStagingFolder, hashFile } from './store/dataset-store';

export type ImportRequest = z.infer<typeof ImportParams>;

/** Rows per chunk: ≈ 13 MB for Top Tagging jets (200 × 4 float32), far less for other layouts. */
export const IMPORT_CHUNK_ROWS = 4096;

function importOptions(p: ImportRequest): ImportOptions {
  const { columns, labelColumn, label, key, tree, masterkey } = p;
  const opts: ImportOptions = { columns, labelColumn, label, key, tree, masterkey };
  if (masterkey !== undefined) opts.masterkey = resolve(masterkey);
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
}

/** Same source bytes and same reading options: importing again would store the same rows again. */
function sameImport(d: DatasetInfo, options: ImportOptions, limit: number | undefined): boolean {
  const stored = (d.meta.options ?? {}) as Record<string, unknown>;
  const wanted: Record<string, unknown> = { ...options, ...(limit !== undefined ? { limit } : {}) };
  const keys = new Set([...Object.keys(stored), ...Object.keys(wanted)]);
  return [...keys].every((k) => JSON.stringify(stored[k]) === JSON.stringify(wanted[k]));
}

export async function importDataset(registry: Registry, home: string, p: ImportRequest, task: TaskContext): Promise<DatasetInfo> {
  const path = resolve(p.path);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ApiError(`${path}: not a file`, 'bad-request');
    size = st.size;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'bad-request');
  }
  registry.assertDatasetNameFree(p.name);
  const options = importOptions(p);

  const sourceHash = await hashFile(path, (done) => task.progress('hash', done, size, 'bytes'), () => task.cancelled);
  const again = registry.datasetsWithHash('source', sourceHash).find((d) => sameImport(d, options, p.limit));
  if (again) {
    throw new ApiError(`${path} was already imported as dataset "${again.name}" (${again.id}, ${again.createdAt}) with the same options`, 'conflict');
  }

  const staging = createStagingFolder(homeLayout(home).datasets);
  try {
    const job = startJob({ kind: 'import-dataset', path, format: p.format, options, limit: p.limit, split: p.split, chunkRows: IMPORT_CHUNK_ROWS, staging }, (m) => {
      if (m.type === 'progress') task.progress(m.phase, m.done, m.total, m.unit);
    });
    task.onCancel(() => job.cancel());
    const staged = await job.result;
    const same = registry.datasetsWithHash('content', staged.contentHash)[0];
    if (same) {
      throw new ApiError(`${path} holds the same data as dataset "${same.name}" (${same.id}, imported from ${same.sourcePath})`, 'conflict');
    }
    return commitStaged(registry, home, staging, { ...staged, name: p.name, sourcePath: path, sourceHash });
  } finally {
    // After a commit the folder has moved away; after any failure this removes the partial data.
    rmSync(staging, { recursive: true, force: true });
  }
}
