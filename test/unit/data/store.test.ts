// The dataset store's pieces: row streaming of .npy files (checked with NumPy), writing a source into a
// staging folder (content hash, limit, split, refusals), and the task runner that carries imports.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '@shared/api';
import { readNpy } from '../../../src/main/engine/data/npy';
import type { DatasetSource, StoredArray } from '../../../src/main/engine/data/source';
import { createStagingFolder, removeStaleStaging } from '../../../src/main/engine/data/store/dataset-store';
import { NpyRowReader, NpyStreamWriter } from '../../../src/main/engine/data/store/npy-stream';
import { ImportCancelled, writeDataset, type WriteOptions } from '../../../src/main/engine/data/store/write-dataset';
import { TaskRunner } from '../../../src/main/engine/tasks';

const dir = mkdtempSync(join(tmpdir(), 'awb-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let folders = 0;
const folder = () => mkdtempSync(join(dir, `f${folders++}-`));

const py = (code: string, ...args: string[]) => execFileSync('/usr/bin/python3', ['-c', code, ...args], { encoding: 'utf8' }).trim();

describe('NpyStreamWriter and NpyRowReader', () => {
  const values = Float32Array.from({ length: 37 * 3 * 2 }, (_, i) => (i - 100) * 0.375);

  it('writes chunks into a file NumPy loads, hashing exactly the data bytes', () => {
    const path = join(dir, 'a.npy');
    const w = new NpyStreamWriter(path, 'float32', 37, [3, 2]);
    for (const [a, b] of [[0, 10], [10, 11], [11, 37]]) w.append(values.subarray(a * 6, b * 6));
    const sha = w.finish();
    const [shape, equal, hash] = py(`
import numpy as np, sys, hashlib
a = np.load(sys.argv[1]); ref = (np.arange(222) - 100) * 0.375
print(a.shape, np.array_equal(a, ref.astype(np.float32).reshape(37, 3, 2)), hashlib.sha256(a.tobytes()).hexdigest(), sep="|")`, path).split('|');
    expect([shape, equal]).toEqual(['(37, 3, 2)', 'True']);
    expect(sha).toBe(hash);
  });

  it('reads any rows back at their offsets', () => {
    const r = new NpyRowReader(join(dir, 'a.npy'));
    expect([r.dtype, r.rows, r.rowShape, r.rowLength]).toEqual(['float32', 37, [3, 2], 6]);
    expect(r.read(35, 2)).toEqual(values.subarray(35 * 6));
    expect(r.read(5, 0)).toEqual(new Float32Array(0));
    expect(() => r.read(30, 8)).toThrow(/a\.npy: rows 30\.\.38 are outside 0\.\.37/);
    r.close();
  });

  it('reads int8 files written by NumPy and refuses other dtypes', () => {
    py(`import numpy as np, sys; np.save(sys.argv[1], np.arange(-5, 5, dtype=np.int8)); np.save(sys.argv[2], np.zeros(3))`, join(dir, 'i8.npy'), join(dir, 'f8.npy'));
    const r = new NpyRowReader(join(dir, 'i8.npy'));
    expect(r.read(0, 10)).toEqual(Int8Array.from({ length: 10 }, (_, i) => i - 5));
    r.close();
    expect(() => new NpyRowReader(join(dir, 'f8.npy'))).toThrow(/f8\.npy: not a dataset-store array \(<f8/);
  });

  it('names a truncated store file', () => {
    const path = join(dir, 'b.npy');
    const w = new NpyStreamWriter(path, 'float32', 37, [3, 2]);
    w.append(values);
    w.finish();
    truncateSync(path, readFileSync(path).length - 100);
    const r = new NpyRowReader(path);
    expect(() => r.read(30, 7)).toThrow(/b\.npy: file ends before row 37 \(truncated store file\)/);
    r.close();
  });

  it('refuses wrong rows: the wrong dtype, more rows than announced, and fewer', () => {
    const w = new NpyStreamWriter(join(dir, 'c.npy'), 'int8', 4, []);
    expect(() => w.append(new Float32Array(2) as unknown as Int8Array)).toThrow(/expected int8 rows, got Float32Array/);
    w.append(new Int8Array(3));
    expect(() => w.append(new Int8Array(2))).toThrow(/more than the 4 rows announced/);
    expect(() => w.finish()).toThrow(/3 rows written, 4 announced/);
    w.close();
    expect(() => new NpyStreamWriter(join(dir, 'c.npy'), 'int8', 4, [])).toThrow(/EEXIST/);
  });
});

/** A source over arrays in memory: the contract's reference implementation for these tests. */
function arraySource(rows: number, badRow = -1): DatasetSource {
  const features = Float32Array.from({ length: rows * 2 }, (_, i) => (i === badRow * 2 ? NaN : i * 0.5));
  const labels = Int8Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? 1 : 0));
  return {
    path: '/in/memory.csv',
    format: 'csv',
    kind: 'table',
    rows,
    arrays: [
      { name: 'features', dtype: 'float32', rowShape: [2] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ],
    columns: ['a', 'b'],
    labelNames: { '0': 'background', '1': 'signal' },
    read: async (start, count): Promise<Record<string, StoredArray>> => {
      for (let r = start; r < start + count; r++) if (r === badRow) throw new Error(`/in/memory.csv: row ${r}, column a is NaN`);
      return { features: features.slice(start * 2, (start + count) * 2), labels: labels.slice(start, start + count) };
    },
    close: () => {},
  };
}

const options = (o: Partial<WriteOptions> = {}): WriteOptions => ({
  chunkRows: 7,
  split: { fractions: [0.5, 0.25, 0.25], seed: 1 },
  options: {},
  onProgress: () => {},
  shouldStop: () => false,
  ...o,
});

describe('writeDataset', () => {
  it('stores every array, counts labels per split, and hashes content independently of the chunking', async () => {
    const progress: number[] = [];
    const a = await writeDataset(arraySource(100), folder(), options({ onProgress: (done) => progress.push(done) }));
    const b = await writeDataset(arraySource(100), folder(), options({ chunkRows: 1000 }));
    expect(progress).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98, 100]);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a).toMatchObject({ kind: 'table', rows: 100, shapes: { features: [100, 2], labels: [100] }, countsByLabel: { signal: 25, background: 75 } });
    // Stratified: each class is cut at its own fractions (75 → 37.5/18.75/18.75, 25 → 12.5/6.25/6.25), within one row.
    const { train, validation, test } = a.splits.counts;
    for (const [label, n] of [['background', 75], ['signal', 25]] as const) {
      expect(train[label] + validation[label] + test[label]).toBe(n);
      expect(Math.abs(train[label] - n / 2)).toBeLessThanOrEqual(1);
      expect(Math.abs(validation[label] - n / 4)).toBeLessThanOrEqual(1);
    }
    const other = await writeDataset(arraySource(99), folder(), options());
    expect(other.contentHash).not.toBe(a.contentHash);
  });

  it('writes what it reports: arrays, split codes and meta.json', async () => {
    const f = folder();
    const staged = await writeDataset(arraySource(40), f, options({ limit: 30 }));
    expect(staged.rows).toBe(30);
    const feats = await readNpy(join(f, 'features.npy'));
    expect(feats.shape).toEqual([30, 2]);
    expect(Array.from(feats.data as Float32Array).slice(-2)).toEqual([29, 29.5]);
    const split = (await readNpy(join(f, 'split.npy'))).data as Int8Array;
    expect([0, 1, 2].map((c) => split.filter((s) => s === c).length)).toEqual([15, 8, 7]);
    expect(JSON.parse(readFileSync(join(f, 'meta.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(staged)));
  });

  it('passes on the reader’s error and stops when asked', async () => {
    await expect(writeDataset(arraySource(50, 33), folder(), options())).rejects.toThrow('/in/memory.csv: row 33, column a is NaN');
    let calls = 0;
    await expect(writeDataset(arraySource(50), folder(), options({ shouldStop: () => ++calls > 2 }))).rejects.toBeInstanceOf(ImportCancelled);
    await expect(writeDataset(arraySource(0), folder(), options())).rejects.toThrow('/in/memory.csv: holds no rows to import');
  });
});

describe('TaskRunner', () => {
  it('reports progress (throttled), the result, and a failure with its code', async () => {
    const events: JobEvent[] = [];
    const tasks = new TaskRunner((e) => events.push(e));
    const id = tasks.start('import', async (t) => {
      for (let i = 1; i <= 1000; i++) t.progress('read', i, 1000, 'rows');
      return { ok: 1 };
    });
    expect(await tasks.wait(id)).toEqual({ status: 'finished', error: null, errorCode: null, result: { ok: 1 } });
    const progress = events.filter((e) => e.type === 'task');
    expect(progress.length).toBeLessThan(10); // 1000 calls within 100 ms: the first and the last get through
    expect(progress.at(-1)).toMatchObject({ phase: 'read', done: 1000, total: 1000 });
    expect(events.at(-1)).toMatchObject({ type: 'task-end', taskId: id, status: 'finished' });
    const bad = tasks.start('import', async () => {
      throw new Error('file.h5: not an HDF5 file');
    });
    expect(await tasks.wait(bad)).toMatchObject({ status: 'failed', error: 'file.h5: not an HDF5 file', errorCode: 'bad-request' });
    expect(() => tasks.cancel(bad)).toThrow(/has already ended \(failed\)/);
    expect(() => tasks.cancel('t-nope')).toThrow(/no task t-nope/);
  });

  it('cancels: hooks run, the outcome is cancelled, close waits for running tasks', async () => {
    const tasks = new TaskRunner(() => {});
    let hooked = 0;
    const id = tasks.start('generate', (t) => new Promise((_, reject) => t.onCancel(() => (hooked++, reject(new Error('stopped'))))));
    tasks.cancel(id);
    expect(await tasks.wait(id)).toMatchObject({ status: 'cancelled', error: null });
    expect(hooked).toBe(1);
    let finished = false;
    tasks.start('generate', (t) => new Promise<void>((resolve) => t.onCancel(() => setTimeout(() => ((finished = true), resolve()), 20))));
    await tasks.close();
    expect(finished).toBe(true);
  });
});

describe('staging folders', () => {
  it('removes what a killed import left behind, and only that', () => {
    const home = folder();
    const mine = createStagingFolder(join(home, 'datasets'));
    // pid 2^22 + 1 is above Linux's pid_max limit, so no process can have it.
    const dead = join(home, 'datasets', `.staging-${2 ** 22 + 1}-s0`);
    const dataset = join(home, 'datasets', 'd0000');
    const deadRepr = join(dataset, 'repr', `.staging-${2 ** 22 + 1}-s1`);
    const repr = join(dataset, 'repr', 'jet-images-0123456789ab');
    for (const d of [dead, deadRepr, repr]) mkdirSync(d, { recursive: true });
    removeStaleStaging(home);
    expect([mine, dead, dataset, deadRepr, repr].map((d) => existsSync(d))).toEqual([true, false, true, false, true]);
  });
});
