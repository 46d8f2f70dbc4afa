// Constituent lists against the NumPy reference (reference.py `constituents`) on toy jets stored out of pT order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constituentList } from '../../../src/main/engine/represent/constituents';
import { maxScaledDiff, multiplicity, numpyReference, toyJets } from './toy-data';

const N_JETS = 300;
const N_CONST = 50;
let dir = '';
let p4: Float32Array = new Float32Array(0);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-constituents-'));
  p4 = toyJets(31, N_JETS, N_CONST);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('constituent lists against NumPy', () => {
  it('the toy jets need re-sorting and padding, and straddle φ = ±π', () => {
    let unordered = 0;
    let below = 0;
    let above = 0;
    for (let j = 0; j < N_JETS; j++) {
      const m = multiplicity(p4, N_CONST, j);
      if (m < 20) below++;
      if (m > 20) above++;
      const k = j * N_CONST * 4;
      if (Math.hypot(p4[k + 1], p4[k + 2]) < Math.hypot(p4[k + 5], p4[k + 6])) unordered++;
    }
    expect(below).toBeGreaterThan(50);
    expect(above).toBeGreaterThan(50);
    expect(unordered).toBeGreaterThan(50);
  });

  for (const n of [20, 7]) {
    it(`matches for the ${n} hardest in both coordinate systems`, () => {
      const ref = numpyReference(dir, 'constituents', p4, [N_JETS, N_CONST, n]);
      const p4Size = N_JETS * n * 4;
      expect(ref.length).toBe(p4Size + N_JETS * n * 3);
      const list = constituentList(p4, N_JETS, N_CONST, { n });
      expect(list.length).toBe(p4Size);
      // Values are copied from the float32 input, so they must be identical.
      expect(maxScaledDiff(list, ref.subarray(0, p4Size))).toBe(0);
      const rel = constituentList(p4, N_JETS, N_CONST, { n, coords: 'pt-deta-dphi' });
      expect(maxScaledDiff(rel, ref.subarray(p4Size))).toBeLessThan(2e-6);
    });
  }

  it('wraps Δφ into (−π, π] and keeps it small for the seam jets', () => {
    const rel = constituentList(p4, N_JETS, N_CONST, { coords: 'pt-deta-dphi' });
    let maxAbs = 0;
    for (let k = 2; k < rel.length; k += 3) maxAbs = Math.max(maxAbs, Math.abs(rel[k]));
    expect(maxAbs).toBeGreaterThan(0.5);
    expect(maxAbs).toBeLessThan(2.5); // unwrapped, the seam jets would give |Δφ| near 2π
  });
});

describe('constituent lists by hand', () => {
  it('sorts by pT, keeps the stored order on equal pT and pads short jets with zeros', () => {
    // Slots: pT 3, padding, pT 5 (+y), pT 5 (−y), pT 4.
    const jet = new Float32Array([3, 3, 0, 0, 0, 0, 0, 0, 5, 0, 5, 0, 5, 0, -5, 0, 4, 4, 0, 0]);
    const list = constituentList(jet, 1, 5, { n: 5 });
    expect(Array.from(list)).toEqual([5, 0, 5, 0, 5, 0, -5, 0, 4, 4, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0]);
    // The axis is the sum (17, 7, 0, 0): φ_jet = 0, η_jet = 0.
    const rel = constituentList(jet, 1, 5, { n: 2, coords: 'pt-deta-dphi' });
    expect(Array.from(rel)).toEqual([5, 0, Math.fround(Math.PI / 2), 5, 0, Math.fround(-Math.PI / 2)]);
  });

  it('rejects bad options and shapes', () => {
    const one = new Float32Array(8);
    expect(() => constituentList(one, 1, 2, { n: 0 })).toThrow(/n must be a positive integer/);
    expect(() => constituentList(one, 1, 2, { coords: 'xyz' as never })).toThrow(/unknown coordinates 'xyz'/);
    expect(() => constituentList(one, 2, 2)).toThrow(/expected 2 jets × 2 constituents × 4 = 16 numbers, got 8/);
  });
});
