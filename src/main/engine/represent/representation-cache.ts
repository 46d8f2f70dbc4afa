// Main-thread side of `datasets.represent`: a representation is computed once per dataset and spec and
// kept in `<dataset>/repr/<kind>-<hash>/`; later requests read the cached copy. The computation runs in a
// worker into a staging folder that is renamed into place only when complete.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetInfo, RepresentationInfo } from '@shared/api';
import { createStagingFolder, datasetFolder } from '../data/store/dataset-store';
import { startJob } from '../jobs/job-runner';
import type { TaskContext } from '../tasks';
import { SPEC_FILE, type RepresentationEntry } from './represent-dataset';
import { REPRESENTATION_VERSION, type Representation } from './representation';

/** Rows per chunk: bounds the worker's memory (e.g. 2048 jets × 200 × 4 inputs, 2048 × 40 × 40 images). */
export const REPRESENT_CHUNK_ROWS = 2048;

export function representationKey(spec: Representation): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1))));
  return `${spec.kind}-${createHash('sha256').update(`${REPRESENTATION_VERSION} ${canonical}`).digest('hex').slice(0, 12)}`;
}

function toInfo(info: DatasetInfo, folder: string, entry: RepresentationEntry, cached: boolean): RepresentationInfo {
  return { dataset: info.id, spec: entry.spec, folder, shape: entry.shape, columns: entry.columns, fit: entry.fit, cached };
}

/**
 * The representation `spec` of dataset `info`, computed once and then read from the cache. With
 * `fitFrom` (another dataset's computed representation of the same spec), its fitted scaling is applied
 * instead of one fitted on this dataset — signal rows must be in the background's units.
 */
export async function represent(home: string, info: DatasetInfo, spec: Representation, task: TaskContext, fitFrom?: RepresentationInfo): Promise<RepresentationInfo> {
  const root = join(datasetFolder(home, info.id), 'repr');
  const given = fitFrom && fitFrom.fit !== null && fitFrom.dataset !== info.id ? { fit: fitFrom.fit, from: fitFrom.dataset } : undefined;
  const key = representationKey(spec) + (given ? `-fit-${given.from}` : '');
  const folder = join(root, key);
  if (existsSync(join(folder, SPEC_FILE))) {
    return toInfo(info, folder, JSON.parse(readFileSync(join(folder, SPEC_FILE), 'utf8')) as RepresentationEntry, true);
  }
  const staging = createStagingFolder(root);
  try {
    const job = startJob({ kind: 'represent-dataset', home, info, spec, folder: staging, chunkRows: REPRESENT_CHUNK_ROWS, given }, (m) => {
      if (m.type === 'progress') task.progress(m.phase, m.done, m.total, m.unit);
    });
    task.onCancel(() => job.cancel());
    const entry = await job.result;
    // Another request may have finished the same representation meanwhile; its copy is as good as ours.
    if (!existsSync(folder)) renameSync(staging, folder);
    return toInfo(info, folder, entry, false);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
