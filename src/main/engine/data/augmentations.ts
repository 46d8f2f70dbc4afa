// AnomalyCLR's event augmentations (physics.md §5.4, `EventLevelAnomalyAugmentations.py`) on the (N, 19, 7) object
// lists of represent/event-objects.ts: per slot (pT', η', φ', one-hot MET/e/μ/jet), slot 0 MET, 1–4 electrons, 5–8
// muons, 9–18 jets, empty slots all zero. The formulas are in GeV and radians, so every function takes the
// EventObjectScaling the lists were made with and converts. All functions are pure (they return a new array) and
// draw only from the uniform generator they are given (mulberry32), so a seed fixes the result.
//
// Physical augmentations (positive views): a global φ rotation, jet-energy smearing, η-φ smearing with the
// acceptance cuts. Anomalous ones (negative views): adding objects (MET rebalanced), collinear splitting of
// objects (each class's pT and MET conserved), rescaling MET or pTs.
//
// Where the reference code slips, the physics it describes wins: the jet-pT resolution uses pT in GeV in both
// terms; φ wraps by 2π; new or split objects go into the class's free slots (not after the last occupied one,
// which would overwrite objects once smearing has emptied a slot); a cleared slot is zeroed entirely; a new MET
// gets its one-hot flag. Splitting is the two-way collinear split of the 2023 code with the 2024 floors
// (3 GeV e/μ, 15 GeV jets, leading lepton kept ≥ 23 GeV), so each parent's pT is conserved exactly.
import { normalSampler } from '@shared/random';
import { ADC2021_SLOTS, ADC2021_SLOT_CLASSES } from './readers/adc2021';
import type { EventObjectScaling } from '../represent/event-objects';

const WIDTH = 7;
const EVENT = ADC2021_SLOTS * WIDTH;
const JET = 4;

interface ObjectClass {
  type: number;
  slots: number[];
  /** |η| acceptance. */
  etaMax: number;
  /** Lowest pT of an added or split-off object (GeV). */
  ptMin: number;
  /** The leading object of the class keeps at least this pT when split (GeV). */
  ptLeading: number;
}

const slotsOf = (type: number) => ADC2021_SLOT_CLASSES.flatMap((c, s) => (c === type ? [s] : []));
const CLASSES: readonly ObjectClass[] = [
  { type: 2, slots: slotsOf(2), etaMax: 3, ptMin: 3, ptLeading: 23 },
  { type: 3, slots: slotsOf(3), etaMax: 2.1, ptMin: 3, ptLeading: 23 },
  { type: JET, slots: slotsOf(JET), etaMax: 4, ptMin: 15, ptLeading: 0 },
];
const CLASS_OF_TYPE = new Map(CLASSES.map((c) => [c.type, c]));

/** Jet pT resolution σ(pT) = √(0.052 pT² + 1.502 pT), GeV. */
export const jetPtResolution = (pt: number): number => Math.sqrt(0.052 * pt * pt + 1.502 * pt);
/** The "Rivet" η-φ resolution σ = 0.028 / (1 + exp((pT − 25)/0.1)): 0.028 below 25 GeV, ≈ 0 above. */
export const etaPhiResolution = (pt: number): number => 0.028 / (1 + Math.exp((pt - 25) / 0.1));

const wrapPhi = (phi: number): number => phi - 2 * Math.PI * Math.round(phi / (2 * Math.PI));

/** One event's slots in physical units, read from and written back to the scaled list. */
class EventView {
  constructor(
    readonly ev: Float32Array,
    readonly s: EventObjectScaling,
  ) {}
  present(slot: number): boolean {
    return this.ev[slot * WIDTH] > 0;
  }
  pt(slot: number): number {
    return this.ev[slot * WIDTH] * this.s.ptScale;
  }
  eta(slot: number): number {
    return this.ev[slot * WIDTH + 1] * this.s.etaScale;
  }
  phi(slot: number): number {
    return this.ev[slot * WIDTH + 2] * this.s.phiScale;
  }
  setPt(slot: number, pt: number): void {
    if (pt > 0) this.ev[slot * WIDTH] = pt / this.s.ptScale;
    else this.clear(slot);
  }
  setEta(slot: number, eta: number): void {
    this.ev[slot * WIDTH + 1] = eta / this.s.etaScale;
  }
  setPhi(slot: number, phi: number): void {
    this.ev[slot * WIDTH + 2] = wrapPhi(phi) / this.s.phiScale;
  }
  /** Writes a whole object of the slot's type; pT ≤ 0 leaves the slot empty. */
  set(slot: number, pt: number, eta: number, phi: number): void {
    this.clear(slot);
    if (!(pt > 0)) return;
    this.setPt(slot, pt);
    this.setEta(slot, eta);
    this.setPhi(slot, phi);
    this.ev[slot * WIDTH + 2 + ADC2021_SLOT_CLASSES[slot]] = 1;
  }
  clear(slot: number): void {
    this.ev.fill(0, slot * WIDTH, (slot + 1) * WIDTH);
  }
  freeSlots(c: ObjectClass): number[] {
    return c.slots.filter((s) => !this.present(s));
  }
  presentSlots(c: ObjectClass): number[] {
    return c.slots.filter((s) => this.present(s));
  }
}

type EventAugmentation = (v: EventView, uniform: () => number) => void;

function checkObjects(objects: Float32Array, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what}: the event count must be a non-negative integer, got ${n}`);
  if (objects.length !== n * EVENT) {
    throw new Error(`${what}: expected ${n} events × ${ADC2021_SLOTS} slots × ${WIDTH} features = ${n * EVENT} numbers, got ${objects.length}`);
  }
}

/** A copy of `objects` with the per-event augmentations applied in order to each event. */
function perEvent(
  what: string,
  objects: Float32Array,
  n: number,
  s: EventObjectScaling,
  uniform: () => number,
  steps: EventAugmentation[],
): Float32Array {
  checkObjects(objects, n, what);
  const out = objects.slice();
  for (let e = 0; e < n; e++) {
    const view = new EventView(out.subarray(e * EVENT, (e + 1) * EVENT), s);
    for (const step of steps) step(view, uniform);
  }
  return out;
}

// ---- physical augmentations ------------------------------------------------------------------------------------

const rotate: EventAugmentation = (v, uniform) => {
  const angle = Math.PI * (2 * uniform() - 1);
  for (let slot = 0; slot < ADC2021_SLOTS; slot++) if (v.present(slot)) v.setPhi(slot, v.phi(slot) + angle);
};

const smearJets =
  (strength: number): EventAugmentation =>
  (v, uniform) => {
    const normal = normalSampler(uniform);
    for (const slot of CLASS_OF_TYPE.get(JET)!.slots) {
      if (v.present(slot)) v.setPt(slot, v.pt(slot) + strength * jetPtResolution(v.pt(slot)) * normal());
    }
  };

const etaPhiSmearStep =
  (strength: number): EventAugmentation =>
  (v, uniform) => {
    const normal = normalSampler(uniform);
    for (let slot = 1; slot < ADC2021_SLOTS; slot++) {
      if (!v.present(slot)) continue;
      const sigma = strength * etaPhiResolution(v.pt(slot));
      const eta = v.eta(slot) + sigma * normal();
      v.setEta(slot, eta);
      v.setPhi(slot, v.phi(slot) + sigma * normal());
      if (Math.abs(eta) > CLASS_OF_TYPE.get(ADC2021_SLOT_CLASSES[slot])!.etaMax) v.clear(slot);
    }
  };

/** One global azimuthal rotation φ → φ + U(−π, π) per event (MET included), wrapped to (−π, π]. */
export function rotateEvents(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number): Float32Array {
  return perEvent('rotate events', objects, n, s, uniform, [rotate]);
}

/** Jet pT += strength · N(0,1) · σ(pT) (jetPtResolution); a jet pushed to pT ≤ 0 is removed. */
export function smearJetEnergies(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number, strength = 1): Float32Array {
  return perEvent('smear jet energies', objects, n, s, uniform, [smearJets(strength)]);
}

/** η and φ of every non-MET object += strength · N(0,1) · etaPhiResolution(pT); objects leaving |η| < 3 (e), 2.1 (μ), 4 (jets) are removed. */
export function smearEtaPhi(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number, strength = 1): Float32Array {
  return perEvent('smear eta-phi', objects, n, s, uniform, [etaPhiSmearStep(strength)]);
}

export interface PhysicalAugmentOptions {
  rotate?: boolean;
  /** Strength of the jet-energy smearing; 0 turns it off. Default 1. */
  jetEnergySmear?: number;
  /** Strength of the η-φ smearing; 0 turns it off. Default 1. */
  etaPhiSmear?: number;
}

/** The positive view: rotation, then jet-energy smearing, then η-φ smearing (each on by default). */
export function physicalAugment(
  objects: Float32Array,
  n: number,
  s: EventObjectScaling,
  uniform: () => number,
  opts: PhysicalAugmentOptions = {},
): Float32Array {
  const steps: EventAugmentation[] = [];
  if (opts.rotate ?? true) steps.push(rotate);
  if ((opts.jetEnergySmear ?? 1) > 0) steps.push(smearJets(opts.jetEnergySmear ?? 1));
  if ((opts.etaPhiSmear ?? 1) > 0) steps.push(etaPhiSmearStep(opts.etaPhiSmear ?? 1));
  return perEvent('physical augmentation', objects, n, s, uniform, steps);
}

// ---- anomalous augmentations -----------------------------------------------------------------------------------

/** MET (px, py) − Σ (px, py) of the given objects, written to the MET slot. */
function rebalanceMet(v: EventView, added: [number, number][]): void {
  let px = v.present(0) ? v.pt(0) * Math.cos(v.phi(0)) : 0;
  let py = v.present(0) ? v.pt(0) * Math.sin(v.phi(0)) : 0;
  for (const [pt, phi] of added) {
    px -= pt * Math.cos(phi);
    py -= pt * Math.sin(phi);
  }
  v.set(0, Math.hypot(px, py), 0, Math.atan2(py, px));
}

const addObjects: EventAugmentation = (v, uniform) => {
  let maxPt = 0;
  for (let slot = 0; slot < ADC2021_SLOTS; slot++) if (v.present(slot)) maxPt = Math.max(maxPt, v.pt(slot));
  const added: [number, number][] = [];
  for (const c of CLASSES) {
    const free = v.freeSlots(c);
    const count = Math.floor(uniform() * (free.length + 1));
    for (const slot of free.slice(0, count)) {
      const pt = c.ptMin + Math.max(0, maxPt - c.ptMin) * uniform();
      const phi = Math.PI * (2 * uniform() - 1);
      v.set(slot, pt, c.etaMax * (2 * uniform() - 1), phi);
      added.push([pt, phi]);
    }
  }
  if (added.length > 0) rebalanceMet(v, added);
};

/** Splits some objects of class c in two at the same (η, φ), each parent's pT shared between the two. */
function splitClass(v: EventView, c: ObjectClass, uniform: () => number): void {
  const present = v.presentSlots(c);
  const free = v.freeSlots(c);
  const leading = present.reduce((best, s) => (best < 0 || v.pt(s) > v.pt(best) ? s : best), -1);
  const keep = (slot: number) => (slot === leading ? Math.max(c.ptLeading, c.ptMin) : c.ptMin);
  const parents = present.filter((s) => v.pt(s) >= keep(s) + c.ptMin);
  const count = Math.floor(uniform() * (Math.min(parents.length, free.length) + 1));
  for (let i = 0; i < count; i++) {
    // partial Fisher–Yates: a random parent among those not yet split
    const j = i + Math.floor(uniform() * (parents.length - i));
    [parents[i], parents[j]] = [parents[j], parents[i]];
    const parent = parents[i];
    const pt = v.pt(parent);
    const daughter = c.ptMin + (pt - keep(parent) - c.ptMin) * uniform();
    v.set(free[i], daughter, v.eta(parent), v.phi(parent));
    v.setPt(parent, pt - daughter);
  }
}

const splitObjects: EventAugmentation = (v, uniform) => {
  for (const c of [...CLASSES].reverse()) splitClass(v, c, uniform); // jets, then muons, then electrons, as the reference
};

const shiftMetOrPt: EventAugmentation = (v, uniform) => {
  const choice = Math.floor(3 * uniform());
  const factor = choice === 0 ? 0.5 + 4.5 * uniform() : 1 + 4 * uniform();
  const first = choice === 1 ? 1 : 0;
  const last = choice === 0 ? 1 : ADC2021_SLOTS;
  for (let slot = first; slot < last; slot++) if (v.present(slot)) v.setPt(slot, v.pt(slot) * factor);
};

/**
 * add_objects: per class, a uniform number (0 … free slots) of new objects with pT uniform in [3 GeV (e, μ) or
 * 15 GeV (jets), the event's highest pT], φ uniform, η uniform within the acceptance; MET rebalanced by their
 * vector sum.
 */
export function addObjectsToEvents(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number): Float32Array {
  return perEvent('add objects', objects, n, s, uniform, [addObjects]);
}

/** Collinear splitting: per class a uniform number of objects split in two at the same (η, φ); class pT and MET unchanged. */
export function splitObjectsInEvents(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number): Float32Array {
  return perEvent('split objects', objects, n, s, uniform, [splitObjects]);
}

/** shift_met_or_pt: with equal odds MET × U(0.5, 5), every other object's pT × U(1, 5), or all pTs × U(1, 5). */
export function shiftMetOrPtInEvents(objects: Float32Array, n: number, s: EventObjectScaling, uniform: () => number): Float32Array {
  return perEvent('shift MET or pT', objects, n, s, uniform, [shiftMetOrPt]);
}

export interface AnomalousAugmentOptions {
  /** "ao": add objects, then η-φ smearing. Default on. */
  addObjects?: boolean;
  /** "aowcpm": collinear splitting, then η-φ smearing. Default on. */
  splitObjects?: boolean;
  /** "spm": rescale MET or pTs. Default off, as in the reference. */
  shiftMetOrPt?: boolean;
  /** Strength of the η-φ smearing after adding or splitting. Default 1. */
  etaPhiSmear?: number;
}

/** The negative view: each event gets one of the enabled anomalous augmentations, chosen uniformly. */
export function anomalousAugment(
  objects: Float32Array,
  n: number,
  s: EventObjectScaling,
  uniform: () => number,
  opts: AnomalousAugmentOptions = {},
): Float32Array {
  const smear = etaPhiSmearStep(opts.etaPhiSmear ?? 1);
  const choices: EventAugmentation[][] = [];
  if (opts.addObjects ?? true) choices.push([addObjects, smear]);
  if (opts.splitObjects ?? true) choices.push([splitObjects, smear]);
  if (opts.shiftMetOrPt ?? false) choices.push([shiftMetOrPt]);
  if (choices.length === 0) throw new Error('anomalous augmentation: enable at least one of addObjects, splitObjects, shiftMetOrPt');
  const pick: EventAugmentation = (v, u) => {
    for (const step of choices[Math.floor(u() * choices.length)]) step(v, u);
  };
  return perEvent('anomalous augmentation', objects, n, s, uniform, [pick]);
}
