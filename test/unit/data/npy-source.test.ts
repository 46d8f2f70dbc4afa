import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNpySource } from '../../../src/main/engine/data/readers/npy-source';
import type { DatasetSource, ImportOptions } from '../../../src/main/engine/data/source';
import { fileBuffer } from '../../helpers/files';

// Fixtures are written by NumPy; every reference is NumPy's own float32 (or int8) of the array, written
// as raw little-endian bytes.
const MAKE = String.raw`
import sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(11)
def ref(name, a, dtype=np.float32):
    np.ascontiguousarray(a).astype(dtype).tofile(f'{d}/{name}')

table = rng.normal(size=(3001, 7)) * 100
np.save(f'{d}/table_f8.npy', table)
ref('table_f8.f32', table)
for dt in ['<f4', '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4']:
    info = np.finfo(dt) if dt[1] == 'f' else np.iinfo(dt)
    a = rng.uniform(max(info.min, -1e6), min(info.max, 1e6), size=(50, 3)).astype(dt)
    if dt == '<i8':
        a[0, 0] = -(2**40) - 7
    np.save(f'{d}/dtype_{dt[1:]}.npy', a)
    ref(f'dtype_{dt[1:]}.f32', a)

jets = rng.normal(size=(500, 30, 4)).astype('<f4')
np.save(f'{d}/jets.npy', jets)
ref('jets.f32', jets)

# ADC2021 slot layout: class 1 MET, 2 electrons, 3 muons, 4 jets; empty slots all zero.
classes = np.array([1] + [2] * 4 + [3] * 4 + [4] * 10, dtype=np.float32)
ev = rng.normal(size=(200, 19, 4)).astype('<f4')
full = rng.random(size=(200, 19)) < 0.6
full[:, 0] = True
ev[:, :, 3] = classes
ev[~full] = 0
np.save(f'{d}/events.npy', ev)
ref('events.f32', ev)
bad_ev = np.concatenate([ev] * 8)  # the bad row lies beyond the rows looked at to recognise the layout
bad_ev[1500, 7, 3] = 4
np.save(f'{d}/events_bad.npy', bad_ev)
np.save(f'{d}/not_events.npy', rng.normal(size=(20, 19, 4)).astype('<f4'))

x = rng.normal(size=(4000, 5)).astype('<f4')
y = rng.integers(0, 3, size=4000)
ref('x.f32', x)
ref('y.i8', y, np.int8)
np.savez(f'{d}/stored.npz', x=x, y=y, other=np.arange(12.0).reshape(3, 4))
np.savez_compressed(f'{d}/deflated.npz', x=x, y=y)
np.savez(f'{d}/named.npz', data=x, truth=y.astype(np.float64), Y=np.zeros(4000))
np.savez(f'{d}/nolabels.npz', features=x)
np.savez(f'{d}/float_labels.npz', x=x, y=y + 0.5)
np.savez(f'{d}/short_labels.npz', x=x, y=y[:10])
np.savez(f'{d}/nothing.npz', a=x, b=y)
with_label = np.concatenate([x, y[:, None].astype(np.float32)], axis=1)
np.save(f'{d}/with_label.npy', with_label)

t = rng.normal(size=(10, 3))
np.save(f'{d}/fortran.npy', np.asfortranarray(t))
np.save(f'{d}/big.npy', t.astype('>f8'))
np.save(f'{d}/object.npy', np.array([[1, 'a'], [2, 'b']], dtype=object), allow_pickle=True)
np.save(f'{d}/vector.npy', np.arange(10.0))
np.save(f'{d}/four_d.npy', np.zeros((2, 3, 4, 5)))
np.save(f'{d}/three_fields.npy', np.zeros((2, 3, 3)))
np.save(f'{d}/empty.npy', np.zeros((0, 4)))
nan = t.copy()
nan[6, 2] = np.nan
np.save(f'{d}/nan.npy', nan)
huge = t.copy()
huge[4, 1] = 1e300
np.save(f'{d}/huge.npy', huge)
jets_inf = jets[:10].copy()
jets_inf[8, 2, 3] = -np.inf
np.save(f'{d}/jets_inf.npy', jets_inf)
`;

let dir: string;
const at = (name: string) => join(dir, name);
const opened: DatasetSource[] = [];
async function source(name: string, opts: ImportOptions = {}) {
  const s = await openNpySource(at(name), opts);
  opened.push(s);
  return s;
}
const bytes = (name: string) => fileBuffer(at(name));
const f32 = (name: string) => new Float32Array(bytes(name));
const i8 = (name: string) => new Int8Array(bytes(name));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npy-source-'));
  execFileSync('/usr/bin/python3', ['-c', MAKE, dir]);
});
afterAll(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('NumPy source: .npy', () => {
  it('reads a 2-d float64 array as a table, in slices, as NumPy converts it to float32', async () => {
    const ref = f32('table_f8.f32');
    const s = await source('table_f8.npy');
    expect(s.format).toBe('npy');
    expect(s.kind).toBe('table');
    expect(s.rows).toBe(3001);
    expect(s.columns).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(s.labelNames).toEqual({ '-1': 'unlabelled' });
    for (const [start, count] of [[0, 3001], [1, 1], [1500, 777], [3000, 1], [42, 0]]) {
      const got = await s.read(start, count);
      expect(got.features).toEqual(ref.subarray(start * 7, (start + count) * 7));
      expect(got.labels).toEqual(new Int8Array(count).fill(-1));
    }
  });

  it('converts every supported dtype to float32 as NumPy does', async () => {
    for (const dt of ['f4', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4']) {
      const s = await source(`dtype_${dt}.npy`, { columns: ['p', 'q', 'r'], label: 'signal' });
      expect(s.columns).toEqual(['p', 'q', 'r']);
      expect(s.labelNames).toEqual({ '1': 'signal' });
      const got = await s.read(0, 50);
      expect(got.features).toEqual(f32(`dtype_${dt}.f32`));
      expect(Array.from(got.labels).every((l) => l === 1)).toBe(true);
    }
  });

  it('reads (N, C, 4) as jets and the ADC2021 layout (N, 19, 4) as events', async () => {
    const jets = await source('jets.npy', { label: 'qcd' });
    expect(jets.kind).toBe('jets');
    expect(jets.arrays).toEqual([
      { name: 'p4', dtype: 'float32', rowShape: [30, 4] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ]);
    expect(jets.labelNames).toEqual({ '0': 'qcd' });
    expect((await jets.read(123, 45)).p4).toEqual(f32('jets.f32').subarray(123 * 120, 168 * 120));
    const events = await source('events.npy');
    expect(events.kind).toBe('events');
    expect(events.arrays[0]).toEqual({ name: 'particles', dtype: 'float32', rowShape: [19, 4] });
    expect((await events.read(10, 100)).particles).toEqual(f32('events.f32').subarray(10 * 76, 110 * 76));
    expect((await source('not_events.npy')).kind).toBe('jets');
  });

  it('takes labels from a named column of a table, leaving it out of the features', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'truth'];
    const s = await source('with_label.npy', { columns: names, labelColumn: 'truth' });
    expect(s.columns).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.labelNames).toEqual({ '0': 'class 0', '1': 'class 1', '2': 'class 2' });
    const got = await s.read(3990, 10);
    expect(got.features).toEqual(f32('x.f32').subarray(3990 * 5, 4000 * 5));
    expect(got.labels).toEqual(i8('y.i8').subarray(3990));
  });
});

describe('NumPy source: .npz', () => {
  for (const file of ['stored.npz', 'deflated.npz']) {
    it(`reads features 'x' and labels 'y' from ${file}`, async () => {
      const s = await source(file);
      expect(s.kind).toBe('table');
      expect(s.rows).toBe(4000);
      expect(s.labelNames).toEqual({ '0': 'class 0', '1': 'class 1', '2': 'class 2' });
      expect(s.meta).toMatchObject({ key: 'x', labelKey: 'y' });
      for (const [start, count] of [[0, 4000], [2047, 3], [3999, 1]]) {
        const got = await s.read(start, count);
        expect(got.features).toEqual(f32('x.f32').subarray(start * 5, (start + count) * 5));
        expect(got.labels).toEqual(i8('y.i8').subarray(start, start + count));
      }
    });
  }

  it('reads rows of a stored member from the file at their offsets, not from a copy made at open', async () => {
    copyFileSync(at('stored.npz'), at('live.npz'));
    const s = await source('live.npz');
    const file = readFileSync(at('live.npz'));
    const firstRow = Buffer.from(f32('x.f32').buffer, 0, 20);
    const offset = file.indexOf(firstRow);
    expect(offset).toBeGreaterThan(0);
    const patched = Buffer.from(new Float32Array([1234.5]).buffer);
    const fd = openSync(at('live.npz'), 'r+');
    writeSync(fd, patched, 0, 4, offset);
    closeSync(fd);
    expect((await s.read(0, 1)).features[0]).toBe(1234.5);
  });

  it('takes the members the options name, and a whole-file label over found labels', async () => {
    const named = await source('named.npz', { labelColumn: 'truth' });
    expect(named.meta).toMatchObject({ key: 'data', labelKey: 'truth' });
    expect((await named.read(100, 50)).labels).toEqual(i8('y.i8').subarray(100, 150));
    const other = await source('stored.npz', { key: 'other', label: 'sm' });
    expect(other.rows).toBe(3);
    expect(other.columns).toEqual(['f0', 'f1', 'f2', 'f3']);
    await expect(source('stored.npz', { key: 'other', labelColumn: 'y' })).rejects.toThrow(
      /stored\.npz\[y\.npy\]: labels of shape \(4000,\); expected \(3,\) like the features/,
    );
    const whole = await source('stored.npz', { label: 'background' });
    expect(whole.labelNames).toEqual({ '0': 'background' });
    expect(whole.meta).not.toHaveProperty('labelKey');
    expect(Array.from((await whole.read(0, 3)).labels)).toEqual([0, 0, 0]);
    const none = await source('nolabels.npz');
    expect(none.labelNames).toEqual({ '-1': 'unlabelled' });
  });
});

describe('NumPy source: bad input', () => {
  it('names the file and the problem for unsupported layouts', async () => {
    await expect(source('fortran.npy')).rejects.toThrow(/fortran\.npy: Fortran-order arrays are not supported/);
    await expect(source('big.npy')).rejects.toThrow(/big\.npy: big-endian dtype '>f8'/);
    await expect(source('object.npy')).rejects.toThrow(/object\.npy: unsupported dtype '\|O'/);
    await expect(source('vector.npy')).rejects.toThrow(/vector\.npy: array of shape \(10,\); expected \(N, F\) for a table or \(N, C, 4\)/);
    await expect(source('four_d.npy')).rejects.toThrow(/four_d\.npy: array of shape \(2, 3, 4, 5\)/);
    await expect(source('three_fields.npy')).rejects.toThrow(/three_fields\.npy: array of shape \(2, 3, 3\)/);
    await expect(source('empty.npy')).rejects.toThrow(/empty\.npy: the array holds no rows/);
    await expect(source('table_f8.npy', { columns: ['a', 'b'] })).rejects.toThrow(/table_f8\.npy: 2 column names given for 7 columns/);
    await expect(source('jets.npy', { columns: ['a'] })).rejects.toThrow(/jets\.npy: column names apply to 2-d/);
    await expect(source('table_f8.npy', { labelColumn: 'label' })).rejects.toThrow(/table_f8\.npy: no array or column named 'label'/);
    await expect(source('table_f8.npy', { key: 'x' })).rejects.toThrow(/table_f8\.npy: the key option names a \.npz member/);
    await expect(source('missing.npy')).rejects.toThrow(/missing\.npy: cannot open/);
  });

  it('rejects truncated and garbage files', async () => {
    copyFileSync(at('table_f8.npy'), at('cut.npy'));
    truncateSync(at('cut.npy'), 1000);
    await expect(source('cut.npy')).rejects.toThrow(/cut\.npy: truncated data: shape \(3001, 7\) of <f8 needs 168056 bytes, file has 872/);
    truncateSync(at('cut.npy'), 60);
    await expect(source('cut.npy')).rejects.toThrow(/cut\.npy: truncated \.npy header/);
    truncateSync(at('cut.npy'), 5);
    await expect(source('cut.npy')).rejects.toThrow(/cut\.npy: not a \.npy file/);
    await expect(source('x.f32')).rejects.toThrow(/x\.f32: not a \.npy file \(bad magic string\)/);
    copyFileSync(at('stored.npz'), at('cut.npz'));
    truncateSync(at('cut.npz'), 30000);
    await expect(source('cut.npz')).rejects.toThrow(/cut\.npz: not a \.npz file/);
  });

  it('rejects bad label arrays and archives without features', async () => {
    await expect(source('float_labels.npz')).rejects.toThrow(/float_labels\.npz\[y\.npy\]: row 0 holds [0-9.]+, not an integer label in -1\.\.127/);
    await expect(source('short_labels.npz')).rejects.toThrow(/short_labels\.npz\[y\.npy\]: labels of shape \(10,\); expected \(4000,\)/);
    await expect(source('nothing.npz')).rejects.toThrow(
      /nothing\.npz: no features array 'features', 'x', 'X', 'data' \(the archive holds: a, b\); name one with the key option/,
    );
    await expect(source('stored.npz', { labelColumn: 'y', label: 'sm' })).rejects.toThrow(/stored\.npz: give either/);
  });

  it('rejects values that are not finite float32 at read, naming the row and column', async () => {
    const nan = await source('nan.npy');
    expect((await nan.read(0, 6)).features.length).toBe(18);
    await expect(nan.read(5, 3)).rejects.toThrow(/nan\.npy: row 6, column 'f2' is NaN, not a finite float32/);
    const huge = await source('huge.npy');
    await expect(huge.read(0, 10)).rejects.toThrow(/huge\.npy: row 4, column 'f1' is 1e\+300, not a finite float32/);
    const jets = await source('jets_inf.npy');
    await expect(jets.read(0, 10)).rejects.toThrow(/jets_inf\.npy: row 8, constituent 2, pz is -Infinity/);
    const events = await source('events_bad.npy');
    expect(events.kind).toBe('events');
    await expect(events.read(1400, 200)).rejects.toThrow(/events_bad\.npy: row 1500, slot 7 has class 4, expected 3 or 0/);
    await expect(events.read(0, 1601)).rejects.toThrow(/events_bad\.npy: rows 0\.\.1601 are outside 0\.\.1600/);
  });
});
