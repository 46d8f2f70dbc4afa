// Jet and event observables against the NumPy reference (reference.py `jet-observables`, `event-observables`): jet
// mass, pT, η and multiplicity of the summed four-vector, τ21 and τ32 from a brute-force exclusive-kT reclustering,
// and HT, MET, mjj, mll and object counts of ADC2021-like events built from four-vectors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventObservables, jetObservables } from '../../../src/main/engine/represent/observables';
import { maxScaledDiff, numpyReference, toyEvents, toyJets } from './toy-data';

const N_JETS = 300;
const N_CONST = 50;
const N_EVENTS = 400;
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-observables-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jet observables', () => {
  it('match NumPy: mass, pT, η, multiplicity and the τ ratios with their zero conventions', () => {
    const p4 = toyJets(77, N_JETS, N_CONST);
    const ref = numpyReference(dir, 'jet-observables', p4, [N_JETS, N_CONST]);
    expect(ref.length).toBe(6 * N_JETS);
    const obs = jetObservables(p4, N_JETS, N_CONST);
    const names = ['mass', 'pt', 'eta', 'multiplicity', 'tau21', 'tau32'] as const;
    names.forEach((name, k) => {
      const expected = ref.subarray(k * N_JETS, (k + 1) * N_JETS);
      expect(maxScaledDiff(obs[name], expected), name).toBeLessThan(name === 'multiplicity' ? 1e-12 : 1e-5);
    });
    // The comparison covers real values: many jets with non-zero ratios, and the fixed small jets follow the rules.
    expect(obs.tau21.filter((t) => t > 0).length).toBeGreaterThan(250);
    expect(obs.tau32.filter((t) => t > 0).length).toBeGreaterThan(250);
    expect(Array.from(obs.multiplicity.subarray(0, 5))).toEqual([0, 1, 2, 3, N_CONST]);
    expect([obs.mass[0], obs.pt[0], obs.tau21[0], obs.tau32[0]]).toEqual([0, 0, 0, 0]); // empty jet
    expect([obs.tau21[1], obs.tau32[1], obs.tau21[2], obs.tau32[2]]).toEqual([0, 0, 0, 0]); // 1 and 2 constituents
    expect(obs.tau21[3]).toBeGreaterThan(0); // 3 constituents: τ3 = 0 only
    expect(obs.tau32[3]).toBe(0);
  });
});

describe('event observables', () => {
  it('match NumPy: HT (jets only), MET, mjj and mll of the hardest pairs, object counts', () => {
    const particles = toyEvents(5, N_EVENTS);
    const ref = numpyReference(dir, 'event-observables', particles, [N_EVENTS]);
    expect(ref.length).toBe(6 * N_EVENTS);
    const obs = eventObservables(particles, N_EVENTS);
    const names = ['ht', 'met', 'mjj', 'mll', 'nJets', 'nLeptons'] as const;
    names.forEach((name, k) => {
      const expected = ref.subarray(k * N_EVENTS, (k + 1) * N_EVENTS);
      expect(maxScaledDiff(obs[name], expected), name).toBeLessThan(1e-5);
    });
    // Enough events with pairs, without, and without MET for every branch to be exercised.
    for (const name of ['mjj', 'mll'] as const) {
      const zero = obs[name].filter((m) => m === 0).length;
      expect(zero, name).toBeGreaterThan(20);
      expect(N_EVENTS - zero, name).toBeGreaterThan(150);
    }
    expect(obs.met.filter((m) => m === 0).length).toBeGreaterThan(10);
  });

  it('picks the hardest pair whatever the slot order, from massless (pT, η, φ)', () => {
    const p = new Float32Array(19 * 4);
    p.set([40, 0, 1, 1], 0); // MET
    p.set([20, 0.5, 0, 2], 4); // electron
    p.set([30, -0.5, 0, 3], 5 * 4); // muon
    p.set([10, 0, 2, 3], 6 * 4); // softer muon: not in mll
    p.set([50, 1, 0.3, 4], 9 * 4);
    p.set([100, -1, 0.3, 4], 10 * 4);
    p.set([60, 0, -2, 4], 11 * 4);
    const obs = eventObservables(p, 1);
    expect(obs.ht[0]).toBe(210);
    expect(obs.met[0]).toBe(40);
    expect(obs.nJets[0]).toBe(3);
    expect(obs.nLeptons[0]).toBe(3);
    // m² = 2 pT₁ pT₂ (cosh Δη − cos Δφ): the leptons 20 & 30 (Δη = 1, Δφ = 0), the jets 100 & 60 (Δη = 1, Δφ = 2.3).
    expect(obs.mll[0]).toBeCloseTo(Math.sqrt(2 * 20 * 30 * (Math.cosh(1) - 1)), 4);
    expect(obs.mjj[0]).toBeCloseTo(Math.sqrt(2 * 100 * 60 * (Math.cosh(1) - Math.cos(2.3))), 3);
  });

  it('rejects a batch of the wrong shape', () => {
    expect(() => eventObservables(new Float32Array(76), 2)).toThrow(/expected 2 events × 19 slots × 4 = 152 numbers, got 76/);
  });
});
