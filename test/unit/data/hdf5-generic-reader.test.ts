// The generic HDF5 reader against files written by Debian's h5py and pandas (write_hdf5_generic.py), with the
// expected values dumped by numpy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeHdf5, openHdf5Source } from '../../../src/main/engine/data/readers/hdf5-generic';
import type { DatasetSource, ImportOptions, StoredArray } from '../../../src/main/engine/data/source';
import { fileBuffer } from '../../helpers/files';

const ROWS = 40;

let dir: string;
const file = (name: string) => join(dir, name);
const raw = (name: string) => fileBuffer(file(`${name}.bin`));
const f32 = (name: string) => new Float32Array(raw(name));
const i8 = (name: string) => new Int8Array(raw(name));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-hdf5-'));
  execFileSync('/usr/bin/python3', [join(__dirname, 'write_hdf5_generic.py'), dir, String(ROWS)], { stdio: 'pipe' });
  copyFileSync(file('a-features.h5'), file('truncated.h5'));
  truncateSync(file('truncated.h5'), Math.floor(statSync(file('a-features.h5')).size * 0.6));
  await h5wasm.ready;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row, read in uneven slices and joined. */
async function readAll(source: DatasetSource): Promise<Record<string, StoredArray>> {
  const parts: Record<string, StoredArray>[] = [];
  let start = 0;
  for (const size of [3, 0, 17, 1, 19]) {
    parts.push(await source.read(start, size));
    start += size;
  }
  expect(start).toBe(ROWS);
  const out: Record<string, StoredArray> = {};
  for (const name of Object.keys(parts[0])) {
    const Type = parts[0][name].constructor as Float32ArrayConstructor | Int8ArrayConstructor;
    const joined = new Type(parts.reduce((n, p) => n + p[name].length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p[name] as never, at);
      at += p[name].length;
    }
    out[name] = joined;
  }
  return out;
}

const BINARY = { '0': 'background', '1': 'signal' };
const MULTI = { '-1': 'unlabelled', '0': 'class 0', '1': 'class 1', '2': 'class 2' };
/** file, options, layout, key, columns, expected values (.bin), expected labels (.bin, null: unlabelled), label names */
type Case = [string, ImportOptions, string, string, string[], string, string | null, Record<string, string> | null];

describe('openHdf5Source, table layouts', () => {
  it.each<Case>([
    ['a-features.h5', {}, 'matrix', 'features', ['pt', 'eta', 'phi', 'm', 'tau21'], 'a-features', 'labels01', BINARY],
    ['a-only.h5', {}, 'matrix', 'data/x', ['f0', 'f1', 'f2'], 'a-only', null, { '-1': 'unlabelled' }],
    ['a-colsds.h5', { columns: ['b', 'a'], labelColumn: 'cls' }, 'matrix', 'X', ['b', 'a'], 'a-colsds-ba', 'a-colsds-labels', null],
    ['b-vectors.h5', {}, 'columns', '', ['eta', 'n', 'pt'], 'b-vectors', 'b-labels', MULTI],
    ['b-group.h5', { key: 'cols', columns: ['x2', 'x1'], labelColumn: 'y' }, 'columns', 'cols', ['x2', 'x1'], 'b-group', 'labels01', null],
    ['c-fixed.h5', {}, 'pandas', 'frame', ['f32', 'f64', 'i32', 'flag', 'i64', 'u8'], 'c-frame', 'labels01', null],
    ['c-table.h5', {}, 'pandas', 'frame', ['f32', 'f64', 'i32', 'flag', 'i64', 'u8'], 'c-frame', 'labels01', null],
  ])('%s %j reads every value written', async (name, opts, layout, key, columns, values, labels, labelNames) => {
    const source = await openHdf5Source(file(name), opts);
    expect(source).toMatchObject({ path: file(name), format: 'hdf5', kind: 'table', rows: ROWS, columns });
    expect(source.arrays.slice(0, 2)).toEqual([
      { name: 'features', dtype: 'float32', rowShape: [columns.length] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ]);
    expect(source.meta).toMatchObject({ layout, key });
    if (labelNames) expect(source.labelNames).toEqual(labelNames);
    const all = await readAll(source);
    expect(all.features).toEqual(f32(values));
    expect(all.labels).toEqual(labels ? i8(labels) : new Int8Array(ROWS).fill(-1));
    await expect(source.read(ROWS - 1, 2)).rejects.toThrow(/rows 39\.\.41 are outside 0\.\.40/);
    source.close();
    await expect(source.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('keeps numeric datasets with one entry per row beside the matrix, under their own names', async () => {
    const source = await openHdf5Source(file('a-features.h5'), {});
    expect(source.arrays.slice(2)).toEqual([
      { name: 'aux', dtype: 'float32', rowShape: [2] },
      { name: 'mass', dtype: 'float32', rowShape: [] },
    ]);
    const all = await readAll(source);
    expect(all.aux).toEqual(f32('a-aux'));
    expect(all.mass).toEqual(f32('a-mass'));
    source.close();
  });

  it('has a fixture with unlabelled rows and three classes, so the class names above are tested', () => {
    expect(new Set(i8('b-labels'))).toEqual(new Set([-1, 0, 1, 2]));
  });
});

describe('openHdf5Source, whole-file label', () => {
  it('gives every row the label the user names, over the label dataset', async () => {
    const source = await openHdf5Source(file('a-features.h5'), { label: 'background' });
    expect(source.labelNames).toEqual({ '0': 'background' });
    expect(source.meta).toMatchObject({ label: 'background' });
    const all = await readAll(source);
    expect(all.labels).toEqual(new Int8Array(ROWS));
    expect(all.features).toEqual(f32('a-features'));
    source.close();
  });
});

describe('openHdf5Source, jets', () => {
  it('reads (N, C, 4) as p4, pT-ordered, with the label names of the generator stamp', async () => {
    const source = await openHdf5Source(file('d-jets.h5'), {});
    expect(source).toMatchObject({ kind: 'jets', rows: ROWS, labelNames: { '0': 'qcd', '1': 'w' } });
    expect(source.columns).toBeUndefined();
    expect(source.arrays[0]).toEqual({ name: 'p4', dtype: 'float32', rowShape: [30, 4] });
    expect(source.meta).toMatchObject({ layout: 'jets', key: 'jets', generator: { generator: 'dijet', spec: { n: ROWS, seed: 1 } } });
    const all = await readAll(source);
    expect(all.p4).toEqual(f32('d-jets'));
    expect(all.labels).toEqual(i8('labels01'));
    source.close();
  });
});

describe('describeHdf5', () => {
  it('lists datasets and suggests the default layout', async () => {
    const d = await describeHdf5(file('a-features.h5'));
    expect(d.datasets).toEqual([
      { path: 'aux', shape: [ROWS, 2], dtype: 'float64' },
      { path: 'features', shape: [ROWS, 5], dtype: 'float32' },
      { path: 'labels', shape: [ROWS], dtype: 'int64' },
      { path: 'mass', shape: [ROWS], dtype: 'float64' },
      { path: 'short', shape: [ROWS - 1], dtype: 'float64' },
    ]);
    expect(d.pandasKeys).toEqual([]);
    expect(d.suggested).toEqual({ key: 'features', columns: ['pt', 'eta', 'phi', 'm', 'tau21'], labelColumn: 'labels' });
  });

  it('shows pandas frames by key, not their internals', async () => {
    const d = await describeHdf5(file('c-table.h5'));
    expect(d.datasets).toEqual([]);
    expect(d.pandasKeys).toEqual(['frame']);
    expect(d.suggested).toEqual({ key: 'frame', columns: ['f32', 'f64', 'i32', 'flag', 'i64', 'u8'], labelColumn: 'label' });
  });

  it('suggests nothing where a key must be chosen', async () => {
    const d = await describeHdf5(file('two.h5'));
    expect(d.datasets.map((x) => x.path)).toEqual(['a', 'b']);
    expect(d.suggested).toEqual({ columns: [] });
  });
});

describe('openHdf5Source on bad input', () => {
  const expectError = async (name: string, pattern: RegExp, opts: ImportOptions = {}) => {
    const attempt = async () => {
      const source = await openHdf5Source(file(name), opts);
      try {
        await source.read(0, source.rows);
      } finally {
        source.close();
      }
    };
    await expect(attempt()).rejects.toThrow(pattern);
    await expect(attempt()).rejects.toThrow(file(name));
  };

  it('rejects a truncated file', () => expectError('truncated.h5', /truncated or corrupt/));
  it('reports the row and column of a NaN', () => expectError('nan.h5', /row 17, column eta is NaN/));
  it('reports the row and column of an Inf in a 1-d dataset', () => expectError('inf.h5', /row 9, column eta is -Infinity/));
  it('reports the jet, constituent and component of a NaN', () => expectError('jet-nan.h5', /row 2, column jets\[5\]\.py is NaN/));
  it('rejects labels that are not integers', () =>
    expectError('half-label.h5', /row 4, label column labels is 0\.5, expected an integer in −1…127/));
  it('rejects labels outside −1…127', () => expectError('big-label.h5', /row 6, label column labels is 200/));
  it('rejects a label dataset of another length', () => expectError('short-label.h5', /label dataset 'labels' has 39 rows, the data 40/));
  it('rejects column names that do not match the columns', () =>
    expectError('wrong-names.h5', /'columns' names \(4.*do not match the 5 columns/));
  it('rejects an empty dataset', () => expectError('empty.h5', /dataset 'features' holds no rows/));
  it('names what was found for a missing key', () =>
    expectError('a-features.h5', /no dataset, group or pandas key 'nope' \(found: aux, features, labels, mass, short\)/, { key: 'nope' }));
  it('asks for a key when several 2-d datasets qualify', () =>
    expectError('two.h5', /several 2-d numeric datasets \(a, b\); choose one with the key option/));
  // 'y' is one of the default label names, so the shorter dataset is read as the labels.
  it('rejects 1-d datasets of different lengths', () => expectError('uneven.h5', /differ in length \(x: 40, z: 37\)/));
  it('rejects a file with nothing numeric', () => expectError('nothing.h5', /nothing to import/));
  it('rejects unknown columns', () => expectError('b-vectors.h5', /no column 'phi' among the 1-d numeric datasets/, { columns: ['pt', 'phi'] }));
  it('rejects a text column of a pandas frame', () =>
    expectError('c-fixed.h5', /column 'text' of pandas key 'frame' is not numeric/, { columns: ['f32', 'text'] }));
  it('explains a blosc-compressed pandas frame', () => expectError('c-blosc.h5', /filter 'blosc' \(id 32001\).*complib='zlib'/));
});
