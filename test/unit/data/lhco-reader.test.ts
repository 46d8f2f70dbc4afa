// The LHC Olympics 2020 reader against stores written by Debian's pandas/PyTables (write_lhco.py), with the expected
// four-momenta computed from (pT, η, φ) in numpy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHdf5File } from '../../../src/main/engine/data/readers/hdf5-file';
import { looksLikeLhco, openLhcoSource } from '../../../src/main/engine/data/readers/lhco';
import type { DatasetSource, ImportOptions } from '../../../src/main/engine/data/source';
import { fileBuffer } from '../../helpers/files';

const ROWS = 25;
const H = 700;

let dir: string;
const file = (name: string) => join(dir, name);
const raw = (name: string) => fileBuffer(file(name));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-lhco-'));
  execFileSync('/usr/bin/python3', [join(__dirname, 'write_lhco.py'), dir, String(ROWS)], { stdio: 'pipe' });
  copyFileSync(file('rd-fixed.h5'), file('truncated.h5'));
  truncateSync(file('truncated.h5'), Math.floor(statSync(file('rd-fixed.h5')).size / 2));
  await h5wasm.ready;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads every row in uneven slices and checks p4 against numpy within float32 rounding of the transcendental functions. */
async function readAll(source: DatasetSource): Promise<{ p4: Float32Array; labels: Int8Array }> {
  const p4 = new Float32Array(source.rows * H * 4);
  const labels = new Int8Array(source.rows);
  let start = 0;
  for (const size of [1, 7, 0, 11, 6]) {
    const s = await source.read(start, size);
    expect(s.p4.length).toBe(size * H * 4);
    p4.set(s.p4, start * H * 4);
    labels.set(s.labels, start);
    start += size;
  }
  expect(start).toBe(ROWS);
  return { p4, labels };
}

function expectP4(actual: Float32Array): void {
  const expected = new Float32Array(raw('p4.bin'));
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    // Zero padding must be exactly zero; everything else within a few float32 ulps.
    if (expected[i] === 0) expect(actual[i]).toBe(0);
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-3));
  }
  expect(worst).toBeLessThan(1e-6);
  // The fixture must exercise a full row, padding, and reordering, or the comparison proves little.
  expect(expected[(H - 1) * 4]).not.toBe(0);
  expect(expected[(2 * H - 1) * 4]).toBe(0);
}

describe('openLhcoSource on valid stores', () => {
  it.each([
    ['rd-fixed.h5', 'fixed', {}],
    ['rd-table.h5', 'table', {}],
    ['rd-zlib.h5', 'fixed', {}],
    ['rd-intlabel.h5', 'fixed', {}],
    ['rd-strnames.h5', 'fixed', {}],
    ['twokeys.h5', 'fixed', { key: 'b' }],
  ] as const)('%s (R&D layout) gives the four-momenta and labels numpy computed', async (name, format, opts: ImportOptions) => {
    const source = await openLhcoSource(file(name), opts);
    expect(source).toMatchObject({ format: 'lhco', kind: 'jets', rows: ROWS, labelNames: { '0': 'background', '1': 'signal' } });
    expect(source.arrays).toEqual([
      { name: 'p4', dtype: 'float32', rowShape: [700, 4] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ]);
    expect(source.meta).toMatchObject({ pandasFormat: format, labelSource: 'label column' });
    const { p4, labels } = await readAll(source);
    expectP4(p4);
    const expected = new Int8Array(raw('labels.bin'));
    expect(labels).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set([0, 1]));
    await expect(source.read(ROWS - 1, 2)).rejects.toThrow(/rows 24\.\.26 are outside 0\.\.25/);
    source.close();
    await expect(source.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('reads a black box as unlabelled', async () => {
    const source = await openLhcoSource(file('bb.h5'), {});
    expect(source.labelNames).toEqual({ '-1': 'unlabelled' });
    const { p4, labels } = await readAll(source);
    expectP4(p4);
    expect(labels).toEqual(new Int8Array(ROWS).fill(-1));
    source.close();
  });

  it('takes a black box labels from its masterkey, naming the second signal', async () => {
    const source = await openLhcoSource(file('bb.h5'), { masterkey: file('bb.masterkey') });
    const master = new Int8Array(raw('master.bin'));
    expect(new Set(master)).toEqual(new Set([0, 1, 2]));
    expect(source.labelNames).toEqual({ '0': 'background', '1': 'signal', '2': 'signal 2' });
    expect(source.meta).toMatchObject({ labelSource: 'masterkey', masterkey: file('bb.masterkey') });
    const { labels } = await readAll(source);
    expect(labels).toEqual(master);
    source.close();
  });

  it('gives every row the label the user names', async () => {
    const source = await openLhcoSource(file('bb.h5'), { label: 'signal', masterkey: file('bb.masterkey') });
    expect(source.labelNames).toEqual({ '1': 'signal' });
    expect(source.meta).toMatchObject({ labelSource: 'user' });
    expect((await source.read(3, 5)).labels).toEqual(new Int8Array(5).fill(1));
    source.close();
  });

  it('recognises the layout from dataset shapes, even when compressed with blosc', () => {
    const check = (name: string) => {
      const f = openHdf5File(file(name), name);
      try {
        return looksLikeLhco(f);
      } finally {
        f.close();
      }
    };
    for (const name of ['rd-fixed.h5', 'rd-table.h5', 'bb.h5', 'rd-blosc.h5', 'twokeys.h5']) expect(check(name), name).toBe(true);
    expect(check('narrow.h5')).toBe(false);
  });
});

describe('openLhcoSource on bad input', () => {
  const expectError = async (name: string, pattern: RegExp, opts: ImportOptions = {}, named = file(name)) => {
    const attempt = async () => {
      const source = await openLhcoSource(file(name), opts);
      try {
        await source.read(0, source.rows);
      } finally {
        source.close();
      }
    };
    await expect(attempt()).rejects.toThrow(pattern);
    await expect(attempt()).rejects.toThrow(named);
  };

  it('explains blosc compression and how to re-save', () =>
    expectError('rd-blosc.h5', /compressed with the HDF5 filter 'blosc' \(id 32001\).*complib='zlib'/));
  it('rejects a truncated file', () => expectError('truncated.h5', /truncated or corrupt/));
  it('asks for a key when there are several', () => expectError('twokeys.h5', /several pandas keys \(a, b\); choose one with the key option/));
  it('names the keys when the key is missing', () => expectError('rd-fixed.h5', /no pandas key 'nope' \(keys found: df\)/, { key: 'nope' }));
  it('reports the row and column of a NaN', () => expectError('nan.h5', /row 7, column 301 is NaN/));
  it('reports the row and column of an Inf (table format)', () => expectError('inf.h5', /row 4, column 2 is Infinity/));
  it('rejects a label that is not 0 or 1', () => expectError('halflabel.h5', /row 3, column 2100 \(the label\) is 0\.5, expected 0 or 1/));
  it('rejects the wrong number of columns', () => expectError('narrow.h5', /2099 numeric columns, expected 2100 .* or 2101/));
  it('rejects a frame without events', () => expectError('empty.h5', /holds no events/));
  it('rejects a masterkey with too few lines', () =>
    expectError('bb.h5', /24 labels for 25 events/, { masterkey: file('short.masterkey') }, file('short.masterkey')));
  it('rejects a masterkey line that is not 0, 1 or 2', () =>
    expectError('bb.h5', /line 5 is '0\.5', expected 0, 1 or 2/, { masterkey: file('bad.masterkey') }, file('bad.masterkey')));
  it('rejects a missing masterkey', () =>
    expectError('bb.h5', /cannot be read/, { masterkey: file('absent.masterkey') }, file('absent.masterkey')));
});
