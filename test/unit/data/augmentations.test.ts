import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@shared/random';
import {
  addObjectsToEvents,
  anomalousAugment,
  physicalAugment,
  rotateEvents,
  shiftMetOrPtInEvents,
  smearEtaPhi,
  smearJetEnergies,
  splitObjectsInEvents,
} from '../../../src/main/engine/data/augmentations';
import { eventObjects, fitEventObjectScaling, type EventObjectScaling } from '../../../src/main/engine/represent/event-objects';

const SLOTS = 19;
const W = 7;
// physics.md §1.2 / §5.4: slot ranges, types (1 MET, 2 e, 3 μ, 4 jet), |η| acceptance, pT floors
const CLASSES = [
  { type: 2, first: 1, slots: 4, etaMax: 3, ptMin: 3 },
  { type: 3, first: 5, slots: 4, etaMax: 2.1, ptMin: 3 },
  { type: 4, first: 9, slots: 10, etaMax: 4, ptMin: 15 },
];
const slotType = (s: number) => (s === 0 ? 1 : s < 5 ? 2 : s < 9 ? 3 : 4);

/** Toy ADC2021 particles (n, 19, 4) in GeV: MET, 0–4 leptons (leading ≥ 23 GeV), 0–10 jets ≥ 15 GeV, packed per class. */
function toyParticles(n: number, seed: number): Float32Array {
  const u = mulberry32(seed);
  const p = new Float32Array(n * SLOTS * 4);
  const put = (e: number, s: number, pt: number, eta: number, phi: number) => p.set([pt, eta, phi, slotType(s)], (e * SLOTS + s) * 4);
  for (let e = 0; e < n; e++) {
    put(e, 0, 5 + 100 * u(), 0, Math.PI * (2 * u() - 1));
    for (const c of CLASSES) {
      const count = Math.floor(u() * (c.slots + 1));
      for (let k = 0; k < count; k++) {
        const pt = c.type === 4 ? 15 + 300 * u() ** 2 : k === 0 ? 23 + 150 * u() : 3 + 40 * u();
        put(e, c.first + k, pt, 0.95 * c.etaMax * (2 * u() - 1), Math.PI * (2 * u() - 1));
      }
    }
  }
  return p;
}

function toyEvents(n: number, seed: number): { objects: Float32Array; s: EventObjectScaling } {
  const particles = toyParticles(n, seed);
  const s = fitEventObjectScaling(particles, n);
  return { objects: eventObjects(particles, n, s), s };
}

interface Obj {
  pt: number;
  eta: number;
  phi: number;
}
/** Physical (GeV, rad) object of a slot, or null when empty. */
function obj(objects: Float32Array, s: EventObjectScaling, e: number, slot: number): Obj | null {
  const o = (e * SLOTS + slot) * W;
  if (!(objects[o] > 0)) return null;
  return { pt: objects[o] * s.ptScale, eta: objects[o + 1] * s.etaScale, phi: objects[o + 2] * s.phiScale };
}
const wrap = (x: number) => x - 2 * Math.PI * Math.round(x / (2 * Math.PI));

/** Every slot is empty (all seven numbers 0) or holds pT > 0 with exactly its slot's one-hot type. */
function expectWellFormed(objects: Float32Array, n: number): void {
  for (let e = 0; e < n; e++) {
    for (let slot = 0; slot < SLOTS; slot++) {
      const v = Array.from(objects.subarray((e * SLOTS + slot) * W, (e * SLOTS + slot + 1) * W));
      if (v[0] > 0) expect(v.slice(3)).toEqual([1, 2, 3, 4].map((t) => (t === slotType(slot) ? 1 : 0)));
      else expect(v).toEqual([0, 0, 0, 0, 0, 0, 0]);
    }
  }
}

function mean(x: number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}
function std(x: number[]): number {
  const m = mean(x);
  return Math.sqrt(mean(x.map((v) => (v - m) ** 2)));
}

describe('physical augmentations', () => {
  const n = 400;
  const { objects, s } = toyEvents(n, 1);

  it('rotateEvents turns each whole event by one angle: pT, η, types, empty slots and relative φ are kept', () => {
    const out = rotateEvents(objects, n, s, mulberry32(2));
    expectWellFormed(out, n);
    const angles: number[] = [];
    for (let e = 0; e < n; e++) {
      const met0 = obj(objects, s, e, 0)!;
      const angle = wrap(obj(out, s, e, 0)!.phi - met0.phi);
      angles.push(angle);
      for (let slot = 0; slot < SLOTS; slot++) {
        const a = obj(objects, s, e, slot);
        const b = obj(out, s, e, slot);
        expect(b === null).toBe(a === null);
        if (!a || !b) continue;
        expect(b.pt).toBeCloseTo(a.pt, 4);
        expect(b.eta).toBeCloseTo(a.eta, 5);
        expect(Math.abs(wrap(b.phi - a.phi - angle))).toBeLessThan(1e-5);
        expect(Math.abs(b.phi)).toBeLessThanOrEqual(Math.PI + 1e-6);
      }
    }
    // one U(−π, π) angle per event
    expect(Math.abs(mean(angles))).toBeLessThan(0.3);
    expect(std(angles)).toBeCloseTo(Math.PI / Math.sqrt(3), 1);
    expect(rotateEvents(objects, n, s, mulberry32(2))).toEqual(out);
    expect(rotateEvents(objects, n, s, mulberry32(3))).not.toEqual(out);
  });

  it('smearJetEnergies moves only jet pT, by N(0,1)·√(0.052 pT² + 1.502 pT)', () => {
    const pulls: number[] = [];
    for (const seed of [4, 5, 6, 7, 8, 9]) {
      const out = smearJetEnergies(objects, n, s, mulberry32(seed));
      expectWellFormed(out, n);
      for (let e = 0; e < n; e++) {
        for (let slot = 0; slot < SLOTS; slot++) {
          const a = obj(objects, s, e, slot);
          const b = obj(out, s, e, slot);
          if (slot < 9) {
            expect(b).toEqual(a);
            continue;
          }
          if (!a) expect(b).toBeNull();
          if (!a || !b) continue;
          expect([b.eta, b.phi]).toEqual([a.eta, a.phi]);
          if (a.pt > 40) pulls.push((b.pt - a.pt) / Math.sqrt(0.052 * a.pt ** 2 + 1.502 * a.pt));
        }
      }
    }
    expect(pulls.length).toBeGreaterThan(5000);
    expect(Math.abs(mean(pulls))).toBeLessThan(0.05);
    expect(std(pulls)).toBeGreaterThan(0.97);
    expect(std(pulls)).toBeLessThan(1.03);
  });

  it('smearJetEnergies removes a jet pushed below zero, clearing the whole slot', () => {
    const out = smearJetEnergies(objects, n, s, mulberry32(5), 10);
    expectWellFormed(out, n);
    let removed = 0;
    for (let e = 0; e < n; e++) for (let slot = 9; slot < SLOTS; slot++) if (obj(objects, s, e, slot) && !obj(out, s, e, slot)) removed++;
    expect(removed).toBeGreaterThan(0);
  });

  it('smearEtaPhi smears soft non-MET objects by 0.028 and leaves hard ones and MET alone', () => {
    const out = smearEtaPhi(objects, n, s, mulberry32(6));
    expectWellFormed(out, n);
    const soft: number[] = [];
    for (let e = 0; e < n; e++) {
      expect(obj(out, s, e, 0)).toEqual(obj(objects, s, e, 0));
      for (let slot = 1; slot < SLOTS; slot++) {
        const a = obj(objects, s, e, slot);
        const b = obj(out, s, e, slot);
        if (!a || !b) continue;
        expect(b.pt).toBe(a.pt);
        if (a.pt > 26) {
          expect(Math.abs(b.eta - a.eta)).toBeLessThan(1e-4);
          expect(Math.abs(wrap(b.phi - a.phi))).toBeLessThan(1e-4);
        } else if (a.pt < 24) {
          soft.push(b.eta - a.eta, wrap(b.phi - a.phi));
        }
      }
    }
    expect(soft.length).toBeGreaterThan(500);
    expect(std(soft)).toBeGreaterThan(0.028 * 0.9);
    expect(std(soft)).toBeLessThan(0.028 * 1.1);
  });

  it('smearEtaPhi removes objects outside |η| < 3 (e), 2.1 (μ), 4 (jets)', () => {
    const p = new Float32Array(SLOTS * 4);
    const put = (slot: number, pt: number, eta: number) => p.set([pt, eta, 0.5, slotType(slot)], slot * 4);
    put(0, 50, 0);
    put(1, 100, 3.2); // e out
    put(2, 100, 2.9); // e in
    put(5, 100, 2.2); // μ out
    put(6, 100, 2.0); // μ in
    put(9, 100, 4.1); // jet out
    put(10, 100, 3.9); // jet in
    const s = { ptScale: 50, etaScale: 4.5, phiScale: Math.PI };
    const out = smearEtaPhi(eventObjects(p, 1, s), 1, s, mulberry32(1), 0);
    expect([0, 1, 2, 5, 6, 9, 10].map((slot) => obj(out, s, 0, slot) !== null)).toEqual([true, false, true, false, true, false, true]);
    expectWellFormed(out, 1);
  });

  it('physicalAugment keeps the event well formed, conserves what rotation and smearing conserve, and is seeded', () => {
    const out = physicalAugment(objects, n, s, mulberry32(7));
    expectWellFormed(out, n);
    for (let e = 0; e < n; e++) {
      for (let slot = 0; slot < 9; slot++) {
        const a = obj(objects, s, e, slot);
        const b = obj(out, s, e, slot);
        if (a && b) expect(b.pt).toBeCloseTo(a.pt, 4); // only jets change pT
        if (!a) expect(b).toBeNull(); // nothing appears
      }
    }
    expect(physicalAugment(objects, n, s, mulberry32(7))).toEqual(out);
    expect(objects).toEqual(toyEvents(n, 1).objects); // the input is untouched
  });
});

describe('anomalous augmentations', () => {
  const n = 400;
  const { objects, s } = toyEvents(n, 11);
  const count = (o: Float32Array, e: number, c: (typeof CLASSES)[number]) =>
    Array.from({ length: c.slots }, (_, k) => obj(o, s, e, c.first + k)).filter(Boolean).length;
  const vec = (o: Obj) => [o.pt * Math.cos(o.phi), o.pt * Math.sin(o.phi)];

  it('addObjectsToEvents adds objects in acceptance, keeps the old ones, and rebalances MET with their vector sum', () => {
    const out = addObjectsToEvents(objects, n, s, mulberry32(12));
    expectWellFormed(out, n);
    let added = 0;
    for (let e = 0; e < n; e++) {
      let maxPt = 0;
      for (let slot = 0; slot < SLOTS; slot++) maxPt = Math.max(maxPt, obj(objects, s, e, slot)?.pt ?? 0);
      const sum = [0, 0];
      for (const c of CLASSES) {
        expect(count(out, e, c)).toBeGreaterThanOrEqual(count(objects, e, c));
        for (let slot = c.first; slot < c.first + c.slots; slot++) {
          const a = obj(objects, s, e, slot);
          const b = obj(out, s, e, slot);
          if (a) {
            expect(b).toEqual(a);
          } else if (b) {
            added++;
            expect(b.pt).toBeGreaterThanOrEqual(c.ptMin * (1 - 1e-6));
            expect(b.pt).toBeLessThanOrEqual(Math.max(maxPt, c.ptMin) * (1 + 1e-6));
            expect(Math.abs(b.eta)).toBeLessThanOrEqual(c.etaMax * (1 + 1e-6));
            const [px, py] = vec(b);
            sum[0] += px;
            sum[1] += py;
          }
        }
      }
      const [mx, my] = vec(obj(objects, s, e, 0)!);
      const met = obj(out, s, e, 0);
      const [nx, ny] = met ? vec(met) : [0, 0];
      expect(Math.hypot(nx + sum[0] - mx, ny + sum[1] - my)).toBeLessThan(1e-3 * Math.max(1, Math.hypot(mx, my)));
    }
    expect(added).toBeGreaterThan(n);
  });

  it('splitObjectsInEvents splits objects collinearly, conserving each class pT and MET, with the pT floors', () => {
    const out = splitObjectsInEvents(objects, n, s, mulberry32(13));
    expectWellFormed(out, n);
    let splits = 0;
    for (let e = 0; e < n; e++) {
      expect(obj(out, s, e, 0)).toEqual(obj(objects, s, e, 0));
      for (const c of CLASSES) {
        const before = Array.from({ length: c.slots }, (_, k) => obj(objects, s, e, c.first + k)).filter((o): o is Obj => o !== null);
        const after = Array.from({ length: c.slots }, (_, k) => obj(out, s, e, c.first + k)).filter((o): o is Obj => o !== null);
        expect(after.length).toBeGreaterThanOrEqual(before.length);
        splits += after.length - before.length;
        const total = (l: Obj[]) => l.reduce((a, o) => a + o.pt, 0);
        expect(total(after)).toBeCloseTo(total(before), 3);
        // every object sits exactly where an original one was
        for (const o of after) expect(before.some((b) => b.eta === o.eta && b.phi === o.phi)).toBe(true);
        for (const o of after) if (!before.some((b) => b.pt === o.pt)) expect(o.pt).toBeGreaterThanOrEqual(c.ptMin * (1 - 1e-5));
        const lead = (l: Obj[]) => Math.max(0, ...l.map((o) => o.pt));
        if (c.type !== 4) expect(lead(after)).toBeGreaterThanOrEqual(Math.min(lead(before), 23) * (1 - 1e-5));
      }
    }
    expect(splits).toBeGreaterThan(n / 2);
  });

  it('shiftMetOrPtInEvents scales MET by U(0.5, 5), or all other pTs, or every pT by U(1, 5)', () => {
    const out = shiftMetOrPtInEvents(objects, n, s, mulberry32(14));
    expectWellFormed(out, n);
    const kinds = [0, 0, 0];
    for (let e = 0; e < n; e++) {
      const ratios = Array.from({ length: SLOTS }, (_, slot) => {
        const a = obj(objects, s, e, slot);
        const b = obj(out, s, e, slot);
        if (a) expect([b!.eta, b!.phi]).toEqual([a.eta, a.phi]);
        return a ? b!.pt / a.pt : null;
      }).filter((r): r is number => r !== null);
      const [met, ...rest] = ratios;
      if (rest.length === 0) continue;
      const same = (x: number, y: number) => Math.abs(x - y) < 1e-5 * y;
      if (rest.every((r) => same(r, 1))) {
        kinds[0]++;
        expect(met).toBeGreaterThanOrEqual(0.5 - 1e-5);
        expect(met).toBeLessThanOrEqual(5 + 1e-5);
      } else {
        expect(rest.every((r) => same(r, rest[0]))).toBe(true);
        expect(rest[0]).toBeGreaterThanOrEqual(1 - 1e-5);
        expect(rest[0]).toBeLessThanOrEqual(5 + 1e-5);
        kinds[same(met, rest[0]) ? 2 : 1]++;
      }
    }
    for (const k of kinds) expect(k).toBeGreaterThan(n / 6);
  });

  it('anomalousAugment gives each event one enabled augmentation, seeded, and needs at least one', () => {
    const out = anomalousAugment(objects, n, s, mulberry32(15));
    expectWellFormed(out, n);
    expect(anomalousAugment(objects, n, s, mulberry32(15))).toEqual(out);
    let grew = 0;
    for (let e = 0; e < n; e++) {
      const more = CLASSES.some((c) => count(out, e, c) > count(objects, e, c));
      if (more) grew++;
    }
    expect(grew).toBeGreaterThan(n / 2);
    // only the rescaling: multiplicities never change
    const shifted = anomalousAugment(objects, n, s, mulberry32(16), { addObjects: false, splitObjects: false, shiftMetOrPt: true });
    for (let e = 0; e < n; e++) for (const c of CLASSES) expect(count(shifted, e, c)).toBe(count(objects, e, c));
    expect(() => anomalousAugment(objects, n, s, mulberry32(1), { addObjects: false, splitObjects: false })).toThrow(/at least one/);
  });

  it('refuses a list of the wrong length, naming the augmentation and the sizes', () => {
    expect(() => rotateEvents(new Float32Array(10), 1, s, mulberry32(1))).toThrow(/rotate events: expected 1 events × 19 slots × 7 features = 133 numbers, got 10/);
  });
});
