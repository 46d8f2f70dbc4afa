// The Top Tagging reader against stores written by Debian's pandas/PyTables, in both pandas formats.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTopTagging, openTopTaggingSource } from '../../../src/main/engine/data/readers/toptag';
import { fileBuffer } from '../../helpers/files';

const ROWS = 300;

// Seeded jets with 1..200 constituents, zero-padded, in the exact 806-column layout; Python also dumps the
// expected arrays as raw little-endian binaries so every value read back can be compared.
const WRITER = String.raw`
import sys, json, h5py, numpy as np, pandas as pd
out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
p4 = np.zeros((n, 200, 4), np.float32)
for r in range(n):
    k = rng.integers(1, 201)
    mom = rng.normal(0, 60, (k, 3)).astype(np.float32)
    p4[r, :k, 1:] = mom
    p4[r, :k, 0] = np.sqrt((mom.astype(np.float64) ** 2).sum(1) + rng.uniform(0, 1, k)).astype(np.float32)
truth = rng.normal(300, 100, (n, 4)).astype(np.float32)
ttv = rng.integers(0, 3, n).astype(np.int64)
labels = rng.integers(0, 2, n).astype(np.int64)
cols = [f"{c}_{i}" for i in range(200) for c in ("E", "PX", "PY", "PZ")]
df = pd.DataFrame(p4.reshape(n, 800), columns=cols)
for j, c in enumerate(("truthE", "truthPX", "truthPY", "truthPZ")):
    df[c] = truth[:, j]
df["ttv"] = ttv
df["is_signal_new"] = labels
df.to_hdf(f"{out}/fixed.h5", "table")
df.to_hdf(f"{out}/table.h5", "table", format="table")
# Columns of several dtypes land in several pandas blocks, in an order other than the documented one.
df.astype({c: np.float64 for c in ("truthE", "truthPX", "truthPY", "truthPZ")}).to_hdf(f"{out}/mixed.h5", "table")
p4.tofile(f"{out}/p4.bin"); truth.tofile(f"{out}/truth.bin")
labels.astype(np.uint8).tofile(f"{out}/labels.bin"); ttv.astype(np.int32).tofile(f"{out}/ttv.bin")
small = df.iloc[:20].copy()
small.to_hdf(f"{out}/otherkey.h5", "jets")
small.drop(columns=["is_signal_new"]).to_hdf(f"{out}/nolabel.h5", "table")
nan = small.copy(); nan.loc[13, "PX_3"] = np.nan; nan.to_hdf(f"{out}/nan.h5", "table")
nan.to_hdf(f"{out}/nan-table.h5", "table", format="table")
inf = small.copy(); inf.loc[5, "truthPZ"] = np.inf; inf.to_hdf(f"{out}/inf.h5", "table")
bad = small.copy(); bad.loc[9, "is_signal_new"] = 2; bad.to_hdf(f"{out}/label2.h5", "table", format="table")
# What awb generate leaves on its files: a JSON stamp on the root whose label names the reader must use.
stamp = {"generator": "jets", "spec": {"process": "w", "n": 20, "seed": 3}, "labelNames": {"0": "qcd", "1": "w"}}
for name, text in (("stamped", json.dumps(stamp)), ("badstamp", "{not json")):
    small.to_hdf(f"{out}/{name}.h5", "table")
    with h5py.File(f"{out}/{name}.h5", "a") as f:
        f.attrs["awb_generator"] = text
`;

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-toptag-'));
  writeFileSync(file('writer.py'), WRITER);
  execFileSync('/usr/bin/python3', [file('writer.py'), dir, String(ROWS)], { stdio: 'pipe' });
  writeFileSync(file('notes.txt'), 'E_0,PX_0\n1,2\n');
  writeFileSync(file('empty.h5'), '');
  for (const name of ['fixed', 'table']) {
    copyFileSync(file(`${name}.h5`), file(`${name}-truncated.h5`));
    truncateSync(file(`${name}-truncated.h5`), Math.floor(statSync(file(`${name}.h5`)).size / 2));
  }
  await h5wasm.ready;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const raw = (name: string) => fileBuffer(file(name));

describe('openTopTagging on valid stores', () => {
  it.each([
    ['fixed.h5', 'fixed'],
    ['table.h5', 'table'],
    ['mixed.h5', 'fixed'],
  ] as const)('%s reads back every value pandas wrote, in odd-sized slices', (name, format) => {
    const p4 = new Float32Array(raw('p4.bin'));
    const truth = new Float32Array(raw('truth.bin'));
    const labels = new Uint8Array(raw('labels.bin'));
    const ttv = new Int32Array(raw('ttv.bin'));
    const reader = openTopTagging(file(name));
    expect(reader.format).toBe(format);
    expect(reader.rows).toBe(ROWS);
    expect(reader.constituents).toBe(200);
    let start = 0;
    for (const size of [1, 37, 101, 0, 3, 97, 61]) {
      const s = reader.read(start, size);
      expect(s.p4).toEqual(p4.subarray(start * 800, (start + size) * 800));
      expect(s.truth).toEqual(truth.subarray(start * 4, (start + size) * 4));
      expect(s.labels).toEqual(labels.subarray(start, start + size));
      expect(s.ttv).toEqual(ttv.subarray(start, start + size));
      start += size;
    }
    expect(start).toBe(ROWS);
    // The fixture must exercise padding and both classes, or the comparison above proves little.
    expect(p4.some((v, i) => i % 800 === 799 && v === 0)).toBe(true);
    expect(new Set(labels)).toEqual(new Set([0, 1]));
    expect(() => reader.read(ROWS - 2, 3)).toThrow(/rows 298\.\.301 are outside 0\.\.300/);
    reader.close();
    expect(() => reader.read(0, 1)).toThrow(/closed/);
  });
});

describe('openTopTagging on bad input', () => {
  const expectError = (name: string, pattern: RegExp) => {
    const attempt = () => {
      const reader = openTopTagging(file(name));
      try {
        reader.read(0, reader.rows);
      } finally {
        reader.close();
      }
    };
    expect(attempt).toThrow(pattern);
    expect(attempt).toThrow(file(name));
  };

  it('rejects a text file as not HDF5', () => expectError('notes.txt', /not an HDF5 file/));
  it('rejects an empty file', () => expectError('empty.h5', /file is empty/));
  it('rejects a missing file', () => expectError('absent.h5', /cannot be read/));
  it.each(['fixed-truncated.h5', 'table-truncated.h5'])('rejects %s as truncated or corrupt', (name) =>
    expectError(name, /truncated or corrupt \(truncated file: eof = \d+, .*stored_eof = \d+\)/),
  );
  it('names the keys of a store without the table key', () => expectError('otherkey.h5', /no pandas key 'table' \(keys found: jets\)/));
  it('lists missing columns', () =>
    expectError('nolabel.h5', /wrong columns .*805 found, 806 expected; missing is_signal_new\)/));
  it('reports the row and column of a NaN (fixed format)', () => expectError('nan.h5', /row 13, column PX_3 is NaN/));
  it('reports the row and column of a NaN (table format)', () => expectError('nan-table.h5', /row 13, column PX_3 is NaN/));
  it('reports the row and column of an Inf', () => expectError('inf.h5', /row 5, column truthPZ is Infinity/));
  it('rejects labels outside {0, 1}', () => expectError('label2.h5', /row 9, column is_signal_new is 2, expected 0 or 1/));
});

describe('openTopTaggingSource', () => {
  it('delivers jets with int8 labels named qcd/top, and the truth momenta', async () => {
    const source = await openTopTaggingSource(file('table.h5'), {});
    expect(source).toMatchObject({ path: file('table.h5'), format: 'toptag', kind: 'jets', rows: ROWS, labelNames: { '0': 'qcd', '1': 'top' } });
    expect(source.arrays).toEqual([
      { name: 'p4', dtype: 'float32', rowShape: [200, 4] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
      { name: 'truth', dtype: 'float32', rowShape: [4] },
    ]);
    expect(source.meta).toEqual({ pandasFormat: 'table', key: 'table' });
    const s = await source.read(11, 40);
    expect(s.p4).toEqual(new Float32Array(raw('p4.bin')).subarray(11 * 800, 51 * 800));
    expect(s.truth).toEqual(new Float32Array(raw('truth.bin')).subarray(11 * 4, 51 * 4));
    expect(s.labels).toEqual(Int8Array.from(new Uint8Array(raw('labels.bin')).subarray(11, 51)));
    source.close();
    await expect(source.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('reads another pandas key when asked', async () => {
    const source = await openTopTaggingSource(file('otherkey.h5'), { key: 'jets' });
    expect(source.rows).toBe(20);
    expect(source.meta).toMatchObject({ key: 'jets', pandasFormat: 'fixed' });
    expect((await source.read(0, 20)).labels).toEqual(Int8Array.from(new Uint8Array(raw('labels.bin')).subarray(0, 20)));
    source.close();
  });

  it("takes the label names of a generator stamp and keeps the stamp", async () => {
    const source = await openTopTaggingSource(file('stamped.h5'), {});
    expect(source.labelNames).toEqual({ '0': 'qcd', '1': 'w' });
    expect(source.meta).toEqual({
      pandasFormat: 'fixed',
      key: 'table',
      generator: { generator: 'jets', spec: { process: 'w', n: 20, seed: 3 }, labelNames: { '0': 'qcd', '1': 'w' } },
    });
    source.close();
  });

  it.each([
    ['badstamp.h5', /awb_generator is not a valid generator stamp/],
    ['otherkey.h5', /no pandas key 'table' \(keys found: jets\)/],
  ])('rejects %s naming the file', async (name, pattern) => {
    await expect(openTopTaggingSource(file(name), {})).rejects.toThrow(pattern);
    await expect(openTopTaggingSource(file(name), {})).rejects.toThrow(file(name));
  });
});
