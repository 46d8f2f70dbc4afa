import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpz, readNpz } from '../../../src/main/engine/data/npz';

let dir: string;

const MAKE = `
import numpy as np, sys
d = sys.argv[1]
x = (np.arange(24, dtype='<f4') * 0.5 - 3).reshape(2, 3, 4)
y = np.array([1, -2, 2**60], dtype='<i8')
z = np.array(7.25)
np.savez(f"{d}/stored.npz", x=x, y=y, z=z)
np.savez_compressed(f"{d}/deflated.npz", x=x, y=y, z=z)
np.savez(f"{d}/bad_member.npz", c=np.zeros(2, dtype=np.complex64))
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npz-test-'));
  execFileSync('/usr/bin/python3', ['-c', MAKE, dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npz', () => {
  for (const file of ['stored.npz', 'deflated.npz']) {
    it(`reads every member of ${file} written by NumPy`, async () => {
      const a = await readNpz(join(dir, file));
      expect(Object.keys(a).sort()).toEqual(['x', 'y', 'z']);
      expect(a.x.shape).toEqual([2, 3, 4]);
      expect(Array.from(a.x.data as Float32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i * 0.5 - 3));
      expect(a.y.data).toEqual(BigInt64Array.from([1n, -2n, 2n ** 60n]));
      expect(a.z.shape).toEqual([]);
      expect(Array.from(a.z.data as Float64Array)).toEqual([7.25]);
    });
  }

  it('names the archive, the member and the problem on bad input', async () => {
    await expect(readNpz(join(dir, 'bad_member.npz'))).rejects.toThrow(/bad_member\.npz\[c\.npy\]: unsupported dtype '<c8'/);
    writeFileSync(join(dir, 'plain.npz'), 'not a zip at all, just some text that is long enough to scan');
    await expect(readNpz(join(dir, 'plain.npz'))).rejects.toThrow(/plain\.npz: not a \.npz file/);
    const good = new Uint8Array(readFileSync(join(dir, 'deflated.npz')));
    // Dropping the first 100 bytes leaves the directory intact but its offsets pointing at the wrong place.
    expect(() => parseNpz(good.subarray(100), 'shifted.npz')).toThrow(/shifted\.npz: corrupt zip/);
    const garbled = good.slice();
    // Flip bytes inside the first member's deflate stream (it starts after a 55-byte local header).
    for (let i = 80; i < 120; i++) garbled[i] ^= 0xa5;
    expect(() => parseNpz(garbled, 'garbled.npz')).toThrow(/garbled\.npz: cannot inflate 'x\.npy'/);
  });
});
