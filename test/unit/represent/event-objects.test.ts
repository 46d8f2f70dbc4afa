// ADC2021 event representations against the NumPy reference (reference.py `event-objects`): the AnomalyCLR tutorial
// scalings, the 7- and 8-feature object lists, and the 57 flat features of the ADC2021 example code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventObjects,
  fitEventObjectScaling,
  flatEventFeatures,
  type EventObjectScaling,
} from '../../../src/main/engine/represent/event-objects';
import { maxScaledDiff, numpyReference, toyEvents } from './toy-data';

const N = 400;
const OBJECTS = N * 19;
let dir = '';
let particles: Float32Array = new Float32Array(0);
let ref: Float64Array = new Float64Array(0);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-event-objects-'));
  particles = toyEvents(9, N);
  ref = numpyReference(dir, 'event-objects', particles, [N]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('event objects against NumPy', () => {
  it('has the expected reference layout', () => {
    expect(ref.length).toBe(3 + OBJECTS * 7 + OBJECTS * 8 + N * 57);
  });

  it('fits the tutorial scalings: mean non-zero pT, max |η|, max |φ|', () => {
    const s = fitEventObjectScaling(particles, N);
    expect(maxScaledDiff([s.ptScale, s.etaScale, s.phiScale], ref.subarray(0, 3))).toBeLessThan(1e-12);
    expect(s.phiScale).toBeGreaterThan(3.1);
    expect(s.etaScale).toBeGreaterThan(3.9); // jets reach |η| = 4
  });

  it('builds the 7- and 8-feature object lists with one-hot types and all-zero empty slots', () => {
    const s = fitEventObjectScaling(particles, N);
    const seven = eventObjects(particles, N, s);
    expect(maxScaledDiff(seven, ref.subarray(3, 3 + OBJECTS * 7))).toBeLessThan(1e-6);
    const eight = eventObjects(particles, N, s, { sinCos: true });
    expect(maxScaledDiff(eight, ref.subarray(3 + OBJECTS * 7, 3 + OBJECTS * 15))).toBeLessThan(1e-6);
    let empty = 0;
    for (let i = 0; i < OBJECTS; i++) if (!(particles[i * 4] > 0)) empty++;
    expect(empty).toBeGreaterThan(OBJECTS / 4);
    expect(empty).toBeLessThan((OBJECTS * 3) / 4);
  });

  it('flattens to the 57 (pT, η, φ) features of the example code', () => {
    expect(maxScaledDiff(flatEventFeatures(particles, N), ref.subarray(3 + OBJECTS * 15))).toBe(0);
  });
});

describe('event objects by hand', () => {
  it('scales one electron and uses the slot for its type', () => {
    const p = new Float32Array(19 * 4);
    p.set([20, 0.5, -1, 2], 4);
    const s: EventObjectScaling = { ptScale: 40, etaScale: 2.5, phiScale: Math.PI };
    const seven = eventObjects(p, 1, s);
    expect(Array.from(seven.subarray(7, 14))).toEqual([0.5, 0.2, Math.fround(-1 / Math.PI), 0, 1, 0, 0].map(Math.fround));
    expect(seven.filter((v) => v !== 0).length).toBe(4);
  });

  it('gives scale 1 to a coordinate that is 0 everywhere and rejects events without objects', () => {
    const p = new Float32Array(2 * 19 * 4);
    p.set([30, 0, 0, 1], 0); // MET only, η = φ = 0
    expect(fitEventObjectScaling(p, 2)).toEqual({ ptScale: 30, etaScale: 1, phiScale: 1 });
    expect(() => fitEventObjectScaling(new Float32Array(76), 1)).toThrow(/none of the 1 training events holds an object/);
  });

  it('rejects bad scalings and shapes', () => {
    const p = new Float32Array(76);
    expect(() => eventObjects(p, 1, { ptScale: 0, etaScale: 1, phiScale: 1 })).toThrow(/scaling ptScale must be a positive number/);
    expect(() => flatEventFeatures(p, 2)).toThrow(/flat event features: expected 2 events × 19 slots × 4 = 152 numbers, got 76/);
  });
});
