// High-level observables, one value per jet or per event, for histograms, cuts and simple baselines.
//
// Jets (flat (nJets, nConst, 4) batches of (E, px, py, pz), real where E > 0): mass, pT and η of the constituent
// four-vector sum, the real-constituent multiplicity, and the N-subjettiness ratios of nsubjettiness.ts (β = 1,
// exclusive-kT axes, R0 = 0.8). τ_N is 0 when the jet has ≤ N constituents, and a ratio with a zero denominator is 0,
// so: an empty or one-constituent jet has τ21 = τ32 = 0; a two-constituent jet has τ21 = 0 (τ2 = 0) and τ32 = 0.
//
// Events (ADC2021 slots, event-objects.ts; an object is present when pT > 0):
//   HT   scalar sum of jet pT (jets only, the usual hadronic definition: MET and leptons excluded)
//   MET  pT of slot 0
//   mjj  invariant mass of the two hardest jets, 0 with fewer than two
//   mll  invariant mass of the two hardest leptons, electrons and muons together, 0 with fewer than two
// "Hardest" is chosen by pT here (stored order is not trusted; ties keep the slot order). Objects are massless:
// m² = 2 pT₁ pT₂ (cosh Δη − cos Δφ).

import { jetKinematics, type FloatArray } from '@shared/physics/kinematics';
import { nsubjettinessRatios } from '@shared/physics/nsubjettiness';
import { ADC2021_SLOTS, ADC2021_SLOT_CLASSES } from '../data/readers/adc2021';
import { checkParticles } from './event-objects';

export interface JetObservables {
  mass: Float32Array;
  pt: Float32Array;
  eta: Float32Array;
  multiplicity: Float32Array;
  tau21: Float32Array;
  tau32: Float32Array;
}

export interface EventObservables {
  ht: Float32Array;
  met: Float32Array;
  mjj: Float32Array;
  mll: Float32Array;
  nJets: Float32Array;
  nLeptons: Float32Array;
}

/** Jet observables of a batch (see the header for the conventions). */
export function jetObservables(p4: FloatArray, nJets: number, nConst: number): JetObservables {
  const kin = jetKinematics(p4, nJets, nConst);
  const tau21 = new Float32Array(nJets);
  const tau32 = new Float32Array(nJets);
  const e = new Float64Array(nConst);
  const px = new Float64Array(nConst);
  const py = new Float64Array(nConst);
  const pz = new Float64Array(nConst);
  for (let j = 0; j < nJets; j++) {
    let m = 0;
    for (let c = 0, k = j * nConst * 4; c < nConst; c++, k += 4) {
      if (!(p4[k] > 0)) continue;
      e[m] = p4[k];
      px[m] = p4[k + 1];
      py[m] = p4[k + 2];
      pz[m] = p4[k + 3];
      m++;
    }
    const r = nsubjettinessRatios({ e: e.subarray(0, m), px: px.subarray(0, m), py: py.subarray(0, m), pz: pz.subarray(0, m) });
    tau21[j] = r.tau21;
    tau32[j] = r.tau32;
  }
  return {
    mass: Float32Array.from(kin.mass),
    pt: Float32Array.from(kin.pt),
    eta: Float32Array.from(kin.eta),
    multiplicity: Float32Array.from(kin.multiplicity),
    tau21,
    tau32,
  };
}

// ADC2021 object classes (ADC2021_SLOT_CLASSES).
const ELECTRON = 2;
const MUON = 3;
const JET = 4;

/** Slots of the two hardest accepted objects (largest pT; −1 where there are fewer) and how many were accepted. */
function twoHardest(particles: ArrayLike<number>, base: number, accept: (cls: number) => boolean): [number, number, number] {
  let first = -1;
  let second = -1;
  let count = 0;
  for (let s = 0; s < ADC2021_SLOTS; s++) {
    const pt = particles[base + s * 4];
    if (!(pt > 0) || !accept(ADC2021_SLOT_CLASSES[s])) continue;
    count++;
    if (first < 0 || pt > particles[base + first * 4]) {
      second = first;
      first = s;
    } else if (second < 0 || pt > particles[base + second * 4]) {
      second = s;
    }
  }
  return [first, second, count];
}

/** Invariant mass of two massless objects given by slot, 0 when either is missing. */
function pairMass(particles: ArrayLike<number>, base: number, a: number, b: number): number {
  if (a < 0 || b < 0) return 0;
  const [pa, pb] = [base + a * 4, base + b * 4];
  const m2 =
    2 * particles[pa] * particles[pb] * (Math.cosh(particles[pa + 1] - particles[pb + 1]) - Math.cos(particles[pa + 2] - particles[pb + 2]));
  return m2 > 0 ? Math.sqrt(m2) : 0;
}

/** Event observables of n ADC2021 events (see the header for the conventions). */
export function eventObservables(particles: ArrayLike<number>, n: number): EventObservables {
  checkParticles(particles, n, 'event observables');
  const res: EventObservables = {
    ht: new Float32Array(n),
    met: new Float32Array(n),
    mjj: new Float32Array(n),
    mll: new Float32Array(n),
    nJets: new Float32Array(n),
    nLeptons: new Float32Array(n),
  };
  const isJet = (cls: number): boolean => cls === JET;
  const isLepton = (cls: number): boolean => cls === ELECTRON || cls === MUON;
  for (let i = 0; i < n; i++) {
    const base = i * ADC2021_SLOTS * 4;
    let ht = 0;
    for (let s = 0; s < ADC2021_SLOTS; s++) {
      const pt = particles[base + s * 4];
      if (pt > 0 && ADC2021_SLOT_CLASSES[s] === JET) ht += pt;
    }
    const [j1, j2, nJets] = twoHardest(particles, base, isJet);
    const [l1, l2, nLeptons] = twoHardest(particles, base, isLepton);
    res.ht[i] = ht;
    res.met[i] = Math.max(particles[base], 0);
    res.mjj[i] = pairMass(particles, base, j1, j2);
    res.mll[i] = pairMass(particles, base, l1, l2);
    res.nJets[i] = nJets;
    res.nLeptons[i] = nLeptons;
  }
  return res;
}
