import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, readNpy, writeNpy, type NpyArray, type NpyDtype } from '../../../src/main/engine/data/npy';

const PY = '/usr/bin/python3';
const DTYPES: NpyDtype[] = ['<f4', '<f8', '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '|b1'];
const SHAPES: number[][] = [[], [0], [5], [3, 4], [2, 0, 3], [2, 3, 2, 2]];

let dir: string;

/** Values NumPy computes for each (dtype, shape): a pattern with negatives, fractions and, for int64, > 2^53. */
const MAKE = `
import numpy as np, json, sys
out = sys.argv[1]
dtypes = ${JSON.stringify(DTYPES)}
shapes = ${JSON.stringify(SHAPES)}
manifest = []
for d in dtypes:
    for s in shapes:
        n = int(np.prod(s))
        base = np.arange(n, dtype=np.float64)
        if d in ('<f4', '<f8'): v = (base - 3.3) * 1.7
        elif d == '<i8': v = (np.arange(n, dtype=np.int64) - 2) * (2**55 + 3)
        elif d in ('|i1', '<i2', '<i4'): v = base * 37 - 100
        elif d == '|b1': v = (base % 3) == 1
        else: v = base * 41 + 7
        a = np.asarray(v).astype(np.dtype(d)).reshape(s)
        name = f"np_{d[1:]}_{len(s)}_{n}.npy"
        np.save(f"{out}/{name}", a)
        manifest.append({"file": name, "dtype": d, "shape": list(s), "values": [str(x) for x in a.astype(object).ravel().tolist()]})
a = (np.arange(6, dtype='<f8') / 4).reshape(2, 3)
for ver in [(2, 0), (3, 0)]:
    with open(f"{out}/v{ver[0]}.npy", "wb") as f: np.lib.format.write_array(f, a, version=ver)
np.save(f"{out}/fortran.npy", np.asfortranarray(a))
np.save(f"{out}/big.npy", a.astype('>f8'))
np.save(f"{out}/complex.npy", a.astype(np.complex128))
np.save(f"{out}/record.npy", np.zeros(3, dtype=[('a', '<f4'), ('b', '<i4')]))
json.dump(manifest, open(f"{out}/manifest.json", "w"))
`;

function valuesOf(a: NpyArray): string[] {
  return Array.from(a.data as ArrayLike<number | bigint>, (x) => {
    if (a.dtype === '|b1') return x ? 'True' : 'False';
    if (typeof x === 'bigint') return x.toString();
    // Python prints floats as the shortest round-trip repr, integers without a decimal point.
    return Number.isInteger(x) && (a.dtype[1] !== 'f') ? String(x) : pyFloat(x as number);
  });
}

function pyFloat(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s.replace(/e([+-])(\d)$/, 'e$10$2') : `${s}.0`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npy-test-'));
  execFileSync(PY, ['-c', MAKE, dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading files written by NumPy', () => {
  it('reads every dtype and rank, including 0-d and empty arrays, with exact values', async () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      file: string;
      dtype: NpyDtype;
      shape: number[];
      values: string[];
    }[];
    expect(manifest).toHaveLength(DTYPES.length * SHAPES.length);
    for (const m of manifest) {
      const a = await readNpy(join(dir, m.file));
      expect(a.dtype, m.file).toBe(m.dtype);
      expect(a.shape, m.file).toEqual(m.shape);
      expect(valuesOf(a), m.file).toEqual(m.values);
    }
  });

  it('keeps int64 values beyond 2^53 exact (BigInt64Array)', async () => {
    const a = await readNpy(join(dir, 'np_i8_1_5.npy'));
    expect(a.data).toBeInstanceOf(BigInt64Array);
    expect((a.data as BigInt64Array)[4]).toBe(2n * (2n ** 55n + 3n));
  });

  it('reads format versions 2.0 and 3.0', async () => {
    for (const v of ['v2.npy', 'v3.npy']) {
      const a = await readNpy(join(dir, v));
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data as Float64Array)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    }
  });
});

describe('bad input', () => {
  it('names the file and the problem', async () => {
    const at = (f: string) => join(dir, f);
    await expect(readNpy(at('fortran.npy'))).rejects.toThrow(/fortran\.npy: Fortran-order arrays are not supported/);
    await expect(readNpy(at('big.npy'))).rejects.toThrow(/big\.npy: big-endian dtype '>f8'/);
    await expect(readNpy(at('complex.npy'))).rejects.toThrow(/complex\.npy: unsupported dtype '<c16'/);
    await expect(readNpy(at('record.npy'))).rejects.toThrow(/record\.npy: structured \(record\) dtypes/);
    writeFileSync(at('text.npy'), 'hello, world, this is a csv\n');
    await expect(readNpy(at('text.npy'))).rejects.toThrow(/text\.npy: not a \.npy file \(bad magic string\)/);
    await expect(readNpy(at('missing.npy'))).rejects.toThrow(/missing\.npy/);
  });

  it('detects truncated headers and truncated or overlong data', () => {
    const good = new Uint8Array(readFileSync(join(dir, 'np_f8_2_12.npy')));
    expect(() => parseNpy(good.subarray(0, good.length - 1), 'cut.npy')).toThrow(
      /cut\.npy: truncated data: shape \(3, 4\) of <f8 needs 96 bytes, file has 95/,
    );
    expect(() => parseNpy(good.subarray(0, 40), 'head.npy')).toThrow(/head\.npy: truncated \.npy header/);
    expect(() => parseNpy(good.subarray(0, 8), 'tiny.npy')).toThrow(/tiny\.npy: not a \.npy file/);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(() => parseNpy(longer, 'long.npy')).toThrow(/long\.npy: 3 unexpected bytes after the array data/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => parseNpy(v9, 'v9.npy')).toThrow(/v9\.npy: unsupported \.npy format version 9\.0/);
  });

  it('refuses to write data that does not match its shape or dtype', () => {
    expect(() => encodeNpy({ shape: [2, 2], data: new Float32Array(3) }, 'x.npy')).toThrow(/x\.npy: shape \(2, 2\) holds 4 values, data has 3/);
    expect(() => encodeNpy({ shape: [2], data: new Float32Array(2), dtype: '<f8' }, 'y.npy')).toThrow(/y\.npy: dtype '<f8' does not match/);
  });
});

describe('writing', () => {
  const arrays: NpyArray[] = [
    { dtype: '<f4', shape: [2, 3], data: Float32Array.from([1.5, -2.25, 3.1, 0, 1e-30, -7]) },
    { dtype: '<f8', shape: [], data: Float64Array.from([Math.PI]) },
    { dtype: '<f8', shape: [0, 4], data: new Float64Array(0) },
    { dtype: '|i1', shape: [3], data: Int8Array.from([-128, 0, 127]) },
    { dtype: '<i2', shape: [2], data: Int16Array.from([-32768, 32767]) },
    { dtype: '<i4', shape: [2, 1, 2], data: Int32Array.from([-5, 6, 2147483647, -2147483648]) },
    { dtype: '<i8', shape: [2], data: BigInt64Array.from([-(2n ** 62n) - 1n, 2n ** 60n + 7n]) },
    { dtype: '|u1', shape: [4], data: Uint8Array.from([0, 1, 200, 255]) },
    { dtype: '<u2', shape: [1], data: Uint16Array.from([65535]) },
    { dtype: '<u4', shape: [2, 2], data: Uint32Array.from([0, 1, 4294967295, 123456789]) },
    { dtype: '|b1', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  ];

  it('round-trips through our reader, with the data on a 64-byte boundary', () => {
    for (const a of arrays) {
      const bytes = encodeNpy(a);
      expect((bytes.length - a.data.byteLength) % 64).toBe(0);
      const b = parseNpy(bytes, 'mem');
      expect(b.dtype).toBe(a.dtype);
      expect(b.shape).toEqual(a.shape);
      expect(b.data).toEqual(a.data);
    }
  });

  it('writes files that NumPy reads with equal values', async () => {
    const files = arrays.map((_, i) => join(dir, `ours_${i}.npy`));
    for (let i = 0; i < arrays.length; i++) await writeNpy(files[i], arrays[i]);
    const read = `
import numpy as np, json, sys
res = []
for f in sys.argv[1:]:
    a = np.load(f)
    res.append({"dtype": a.dtype.str, "shape": list(a.shape), "values": [str(x) for x in a.astype(object).ravel().tolist()]})
print(json.dumps(res))
`;
    const res = JSON.parse(execFileSync(PY, ['-c', read, ...files], { encoding: 'utf8' })) as {
      dtype: string;
      shape: number[];
      values: string[];
    }[];
    res.forEach((r, i) => {
      expect(r.dtype).toBe(arrays[i].dtype);
      expect(r.shape).toEqual(arrays[i].shape);
      expect(r.values).toEqual(valuesOf(arrays[i]));
    });
  });

  it('switches to format 2.0 when the header does not fit 65535 bytes', () => {
    // 25000 dimensions of size 1 make a ~75 kB header.
    const shape = [...Array.from({ length: 25000 }, () => 1), 2];
    const bytes = encodeNpy({ shape, data: Float32Array.from([1, 2]) });
    expect(bytes[6]).toBe(2);
    const b = parseNpy(bytes, 'wide');
    expect(b.shape).toEqual(shape);
    expect(Array.from(b.data as Float32Array)).toEqual([1, 2]);
    const file = join(dir, 'wide.npy');
    writeFileSync(file, bytes);
    // NumPy caps ndim at 64, so it cannot load this array; it can confirm the format version.
    const check = 'import numpy as np, sys\nprint(np.lib.format.read_magic(open(sys.argv[1], "rb")))';
    expect(execFileSync(PY, ['-c', check, file], { encoding: 'utf8' }).trim()).toBe('(2, 0)');
  });
});
