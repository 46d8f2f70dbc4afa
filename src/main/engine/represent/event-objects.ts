// Event representations of CMS ADC2021 events (physics.md §1.2, §5.1): 19 fixed slots of (pT, η, φ, class), slot 0
// MET, 1–4 electrons, 5–8 muons, 9–18 jets. A slot holds an object exactly when its pT > 0 (the mask AnomalyCLR's
// transformer uses).
//
// - flatEventFeatures: the 57 = 19 × (pT, η, φ) inputs of the ADC2021 example code, copied as stored (empty slots are
//   stored as zeros), class dropped.
// - eventObjects: AnomalyCLR's (N, 19, 7) = (pT', η', φ', one-hot MET/e/μ/jet) with the tutorial's scalings
//   pT' = pT / ptScale, η' = η / etaScale, φ' = φ / phiScale (EventObjectScaling, fitted on training events). The
//   object type comes from the slot (the reader has checked that the class column agrees with it); empty slots are
//   all zero, one-hot included. With `sinCos`, φ' is replaced by (sin φ, cos φ) of the unscaled φ: 8 features,
//   (pT', η', sin φ, cos φ, one-hot).

import { ADC2021_SLOTS, ADC2021_SLOT_CLASSES } from '../data/readers/adc2021';

export interface EventObjectScaling {
  ptScale: number;
  etaScale: number;
  phiScale: number;
}

export interface EventObjectOptions {
  /** Replace φ' by (sin φ, cos φ): 8 features per object instead of 7. */
  sinCos?: boolean;
}

const FIELDS = 4;
/** The (pT, η, φ) features of each slot in flatEventFeatures. */
export const FLAT_EVENT_WIDTH = ADC2021_SLOTS * 3;

/** Checks a flat (n, 19, 4) particles array. */
export function checkParticles(particles: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what}: the event count must be a non-negative integer, got ${n}`);
  const expected = n * ADC2021_SLOTS * FIELDS;
  if (particles.length !== expected) {
    throw new Error(`${what}: expected ${n} events × ${ADC2021_SLOTS} slots × ${FIELDS} = ${expected} numbers, got ${particles.length}`);
  }
}

/** Features per object of eventObjects: 7, or 8 with sinCos. */
export function eventObjectWidth(opts: EventObjectOptions = {}): number {
  return opts.sinCos ? 8 : 7;
}

/**
 * The tutorial's scalings over the given (training) events: ptScale = mean of all non-zero pT values (MET
 * included), etaScale = max |η| and phiScale = max |φ| over the objects present. A maximum of 0 (say, only MET, whose
 * η is stored as 0) gives scale 1 so the feature stays 0 instead of dividing by zero.
 */
export function fitEventObjectScaling(particles: ArrayLike<number>, n: number): EventObjectScaling {
  checkParticles(particles, n, 'event object scaling');
  let ptSum = 0;
  let objects = 0;
  let etaMax = 0;
  let phiMax = 0;
  for (let k = 0; k < particles.length; k += FIELDS) {
    if (!(particles[k] > 0)) continue;
    ptSum += particles[k];
    objects++;
    etaMax = Math.max(etaMax, Math.abs(particles[k + 1]));
    phiMax = Math.max(phiMax, Math.abs(particles[k + 2]));
  }
  if (objects === 0) throw new Error(`event object scaling: none of the ${n} training events holds an object with pT > 0`);
  return { ptScale: ptSum / objects, etaScale: etaMax > 0 ? etaMax : 1, phiScale: phiMax > 0 ? phiMax : 1 };
}

function checkScaling(s: EventObjectScaling): void {
  for (const [name, v] of Object.entries(s)) {
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`event objects: scaling ${name} must be a positive number, got ${v}`);
  }
}

/** AnomalyCLR's object list, flat (n, 19, 7 | 8) float32 (see the header). */
export function eventObjects(
  particles: ArrayLike<number>,
  n: number,
  s: EventObjectScaling,
  opts: EventObjectOptions = {},
): Float32Array {
  checkParticles(particles, n, 'event objects');
  checkScaling(s);
  const sinCos = opts.sinCos ?? false;
  const width = eventObjectWidth(opts);
  const angles = sinCos ? 2 : 1;
  const out = new Float32Array(n * ADC2021_SLOTS * width);
  for (let i = 0; i < n * ADC2021_SLOTS; i++) {
    const k = i * FIELDS;
    if (!(particles[k] > 0)) continue;
    const o = i * width;
    const phi = particles[k + 2];
    out[o] = particles[k] / s.ptScale;
    out[o + 1] = particles[k + 1] / s.etaScale;
    if (sinCos) {
      out[o + 2] = Math.sin(phi);
      out[o + 3] = Math.cos(phi);
    } else {
      out[o + 2] = phi / s.phiScale;
    }
    out[o + 2 + angles + ADC2021_SLOT_CLASSES[i % ADC2021_SLOTS] - 1] = 1;
  }
  return out;
}

/** The ADC2021 example code's flat inputs: (n, 57) float32, (pT, η, φ) per slot in slot order, unscaled. */
export function flatEventFeatures(particles: ArrayLike<number>, n: number): Float32Array {
  checkParticles(particles, n, 'flat event features');
  const out = new Float32Array(n * FLAT_EVENT_WIDTH);
  for (let i = 0; i < n * ADC2021_SLOTS; i++) {
    for (let f = 0; f < 3; f++) out[i * 3 + f] = particles[i * FIELDS + f];
  }
  return out;
}
