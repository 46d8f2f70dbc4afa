// The dataset store: `<home>/datasets/<id>/` holds one .npy per array, `split.npy` and `meta.json`.
// Imports write into a staging folder and become visible in one step (rename, then the registry
// record), so a failed or cancelled import leaves the store and the registry as they were.
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DatasetInfo } from '@shared/api';
import { homeLayout } from '../../home';
import { isProcessAlive } from '../../processes';
import { fsyncFolder } from '../../durable-file';
import type { Registry } from '../../registry/registry';
import type { DatasetInput } from '../../registry/datasets';
import { newId } from '../../registry/ids';
import { NpyRowReader } from './npy-stream';
import { arrayFile, SPLIT_FILE } from './write-dataset';

const STAGING_PREFIX = '.staging-';

export function datasetFolder(home: string, id: string): string {
  return join(homeLayout(home).datasets, id);
}

/**
 * A new, empty staging folder in `parent` (the store, or a dataset's representation cache), named after
 * this process so that a crashed import's leftovers can be recognised (removeStaleStaging).
 */
export function createStagingFolder(parent: string): string {
  const dir = join(parent, `${STAGING_PREFIX}${process.pid}-${newId('s')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function removeDeadStaging(dir: string): void {
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(STAGING_PREFIX)) continue;
    const pid = Number.parseInt(entry.slice(STAGING_PREFIX.length), 10);
    if (!isProcessAlive(pid)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

/** Removes staging folders whose process has died: an import or a representation killed midway. */
export function removeStaleStaging(home: string): void {
  const root = homeLayout(home).datasets;
  if (!existsSync(root)) return;
  removeDeadStaging(root);
  for (const entry of readdirSync(root)) {
    const repr = join(root, entry, 'repr');
    if (existsSync(repr)) removeDeadStaging(repr);
  }
}

/**
 * Moves a finished staging folder into the store and records it; if recording fails (e.g. the name was
 * taken meanwhile) the folder is removed again, so store and registry never disagree.
 */
export function commitStaged(registry: Registry, home: string, staging: string, input: DatasetInput): DatasetInfo {
  const id = newId('d');
  const target = datasetFolder(home, id);
  renameSync(staging, target);
  fsyncFolder(homeLayout(home).datasets);
  try {
    return registry.addDataset(input, id);
  } catch (e) {
    rmSync(target, { recursive: true, force: true });
    throw e;
  }
}

/** SHA-256 of a file's bytes, read in a stream (never whole into memory); reports bytes hashed. */
export async function hashFile(path: string, onProgress: (done: number) => void, shouldStop: () => boolean): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) {
    if (shouldStop()) throw new Error('cancelled');
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress(done);
  }
  return hash.digest('hex');
}

/** Read access to a stored dataset's arrays. */
export class StoredDataset {
  private readonly readers = new Map<string, NpyRowReader>();

  constructor(
    readonly home: string,
    readonly info: DatasetInfo,
  ) {}

  get folder(): string {
    return datasetFolder(this.home, this.info.id);
  }

  array(name: string): NpyRowReader {
    let r = this.readers.get(name);
    if (!r) {
      if (!(name in this.info.shapes)) throw new Error(`dataset "${this.info.name}" has no array '${name}' (it has ${Object.keys(this.info.shapes).join(', ')})`);
      const path = join(this.folder, arrayFile(name));
      if (!existsSync(path)) throw new Error(`dataset "${this.info.name}": ${path} is missing from the store`);
      r = new NpyRowReader(path);
      if (r.rows !== this.info.rows) throw new Error(`dataset "${this.info.name}": ${path} holds ${r.rows} rows, the registry says ${this.info.rows}`);
      this.readers.set(name, r);
    }
    return r;
  }

  /** The split code (0 train, 1 validation, 2 test) of every row. */
  splits(): Uint8Array {
    const r = new NpyRowReader(join(this.folder, SPLIT_FILE));
    try {
      return new Uint8Array(r.read(0, r.rows).buffer);
    } finally {
      r.close();
    }
  }

  close(): void {
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
  }
}
