// Seeded toy inputs for the representation tests, and the bridge to the NumPy reference (reference.py).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32, normalSampler } from '@shared/random';
import { fileBuffer } from '../../helpers/files';

/**
 * Toy jets (nJets × nConst × 4, (E, px, py, pz)): massless constituents scattered around a jet axis (|η| < 2, every
 * fifth jet at the φ = ±π seam) in 1–3 prongs plus soft radiation, multiplicities from 0 to nConst with zero padding,
 * and the real constituents stored in RANDOM order (not pT-ordered) at random slots, padding interleaved, so
 * nothing may rely on the stored order. Jet 0 is empty, jets 1, 2, 3 have 1, 2, 3 constituents, jet 4 is full.
 */
export function toyJets(seed: number, nJets: number, nConst: number): Float32Array {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const p4 = new Float32Array(nJets * nConst * 4);
  for (let j = 1; j < nJets; j++) {
    const mult = j <= 3 ? j : j === 4 ? nConst : 1 + Math.floor(u() * nConst);
    const eta0 = -2 + 4 * u();
    const phi0 = j % 5 === 0 ? Math.PI - 0.2 * u() : Math.PI * (2 * u() - 1);
    const prongs = Array.from({ length: 1 + Math.floor(3 * u()) }, () => [0.3 * g(), 0.3 * g()]);
    const slots = Array.from({ length: nConst }, (_, c) => c);
    for (let c = nConst - 1; c > 0; c--) {
      const k = Math.floor(u() * (c + 1));
      [slots[c], slots[k]] = [slots[k], slots[c]];
    }
    for (let c = 0; c < mult; c++) {
      const soft = c >= 2 * prongs.length && u() < 0.6;
      const [de, dp] = soft ? [0.4 * g(), 0.4 * g()] : prongs[c % prongs.length].map((x) => x + 0.03 * g());
      const pt = soft ? 0.5 + 10 * u() : 20 + 200 * u();
      const eta = eta0 + de;
      const phi = phi0 + dp;
      p4.set([pt * Math.cosh(eta), pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta)], (j * nConst + slots[c]) * 4);
    }
  }
  return p4;
}

/** A jet's real constituent count (E > 0). */
export function multiplicity(p4: Float32Array, nConst: number, j: number): number {
  let m = 0;
  for (let c = 0; c < nConst; c++) if (p4[(j * nConst + c) * 4] > 0) m++;
  return m;
}

/**
 * Toy ADC2021 events (n × 19 × 4, (pT, η, φ, class)): MET in slot 0 (η = 0, absent in every 17th event), 0–4
 * electrons, 0–4 muons, 0–10 jets, empty slots all zero. Objects are packed to the front of their class block but
 * NOT pT-ordered in every third event, so the observables must pick the hardest themselves.
 */
export function toyEvents(seed: number, n: number): Float32Array {
  const u = mulberry32(seed);
  const p = new Float32Array(n * 19 * 4);
  for (let e = 0; e < n; e++) {
    const base = e * 19 * 4;
    if (e % 17 !== 0) p.set([5 + 150 * u(), 0, Math.PI * (2 * u() - 1), 1], base);
    for (const [first, size, cls, etaMax, ptMin] of [[1, 4, 2, 3, 3], [5, 4, 3, 2.1, 3], [9, 10, 4, 4, 15]]) {
      const k = Math.floor(u() * (size + 1));
      const pts = Array.from({ length: k }, () => ptMin + 300 * u() ** 2);
      if (e % 3 !== 0) pts.sort((a, b) => b - a);
      pts.forEach((pt, i) => p.set([pt, etaMax * (2 * u() - 1), Math.PI * (2 * u() - 1), cls], base + (first + i) * 4));
    }
  }
  return p;
}

/** Runs reference.py `command` on float32 `input` (plus integer args) and returns its float64 output. */
export function numpyReference(dir: string, command: string, input: Float32Array, args: number[]): Float64Array {
  const inFile = join(dir, `${command}-in.f32`);
  const outFile = join(dir, `${command}-out.f64`);
  writeFileSync(inFile, Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  execFileSync('/usr/bin/python3', [join(__dirname, 'reference.py'), command, inFile, outFile, ...args.map(String)]);
  return new Float64Array(fileBuffer(outFile));
}

/** Largest |a[i] − b[i]| / max(1, |b[i]|) (absolute below 1, relative above). */
export function maxScaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs reference ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
}
