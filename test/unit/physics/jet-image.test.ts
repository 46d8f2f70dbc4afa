import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENSITY_TRANSFORMS, applyIntensityTransform, jetImages } from '@shared/physics/jet-image';
import { mulberry32, normalSampler } from '@shared/random';
import { fileBuffer } from '../../helpers/files';

const N_JETS = 300;
const N_CONST = 60;

/**
 * Seeded toy jets in the Top Tagging layout: 2–3 hard prongs (each split into a few collinear
 * particles) plus soft particles, jet pT 550–650 GeV, |η| < 2; every fourth jet sits within 0.3 of
 * φ = ±π so its constituents straddle the seam. Jet 0 is all padding, jet 1 has one constituent,
 * jet 2 fills all N_CONST slots; the rest have varying multiplicity with zero padding.
 */
function toyJets(seed: number): Float32Array {
  const u = mulberry32(seed);
  const g = normalSampler(u);
  const p4 = new Float32Array(N_JETS * N_CONST * 4);
  for (let j = 1; j < N_JETS; j++) {
    const etaJ = -2 + 4 * u();
    const phiJ = j % 4 === 0 ? (u() < 0.5 ? -1 : 1) * (Math.PI - 0.3 * u()) : Math.PI * (2 * u() - 1);
    const ptJ = 550 + 100 * u();
    const parts: [number, number, number][] = [];
    if (j === 1) {
      parts.push([ptJ, etaJ, phiJ]);
    } else {
      const nProng = u() < 0.5 ? 2 : 3;
      const softFraction = 0.05 + 0.15 * u();
      const weights = Array.from({ length: nProng }, () => 0.2 + u());
      const wSum = weights.reduce((a, b) => a + b, 0);
      for (const w of weights) {
        const de = 0.25 * g();
        const dp = 0.25 * g();
        const nSplit = 1 + Math.floor(4 * u());
        for (let s = 0; s < nSplit; s++) {
          parts.push([((1 - softFraction) * ptJ * w) / wSum / nSplit * (0.5 + u()), etaJ + de + 0.03 * g(), phiJ + dp + 0.03 * g()]);
        }
      }
      const nSoft = j === 2 ? N_CONST - parts.length + 5 : Math.floor(u() * (N_CONST - parts.length));
      for (let s = 0; s < nSoft; s++) {
        parts.push([(softFraction * ptJ * 2 * u()) / Math.max(nSoft, 1), etaJ + 0.4 * g(), phiJ + 0.4 * g()]);
      }
    }
    parts.sort((a, b) => b[0] - a[0]);
    parts.slice(0, N_CONST).forEach(([pt, eta, phi], c) => {
      p4.set([pt * Math.cosh(eta), pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta)], (j * N_CONST + c) * 4);
    });
  }
  return p4;
}

// Independent reference: jet_image_reference.py (NumPy), run by Debian's python3.
const JET_IMAGE_REFERENCE = join(__dirname, 'jet_image_reference.py');

let dir = '';
let p4: Float32Array = new Float32Array(0);

function numpyImages(nEta: number, nPhi: number, etaRange: [number, number], phiRange: [number, number]): Float64Array {
  const inFile = join(dir, 'jets.f32');
  const outFile = join(dir, `images-${nEta}x${nPhi}.f64`);
  writeFileSync(inFile, Buffer.from(p4.buffer, p4.byteOffset, p4.byteLength));
  execFileSync('/usr/bin/python3', [
    JET_IMAGE_REFERENCE, inFile, outFile,
    ...[N_JETS, N_CONST, nEta, nPhi, ...etaRange, ...phiRange].map(String),
  ]);
  return new Float64Array(fileBuffer(outFile));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, offset: number): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[offset + i]));
  return m;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-jet-image-'));
  p4 = toyJets(20240603);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jet images against an independent NumPy reference', () => {
  it('the toy sample exercises the φ = ±π seam, padding, two-constituent jets and full multiplicity', () => {
    let straddling = 0;
    let twoConstituent = 0;
    for (let j = 0; j < N_JETS; j++) {
      if (p4[(j * N_CONST + 1) * 4] > 0 && !(p4[(j * N_CONST + 2) * 4] > 0)) twoConstituent++;
      let pos = false;
      let neg = false;
      for (let c = 0; c < N_CONST; c++) {
        const k = (j * N_CONST + c) * 4;
        if (!(p4[k] > 0) || p4[k + 1] > -Math.cos(0.8) * Math.hypot(p4[k + 1], p4[k + 2])) continue;
        if (p4[k + 2] > 0) pos = true;
        else neg = true;
      }
      if (pos && neg) straddling++;
    }
    expect(straddling).toBeGreaterThan(30);
    expect(twoConstituent).toBeGreaterThan(0); // collinear by construction: the axis-snap rule matters
    expect(p4[(2 * N_CONST - 1) * 4 + 4 * N_CONST]).toBeGreaterThan(0); // jet 2's last slot is filled
  });

  it('matches NumPy for every intensity transform on the default 40×40, [−0.8, 0.8] grid', () => {
    const ref = numpyImages(40, 40, [-0.8, 0.8], [-0.8, 0.8]);
    const size = N_JETS * 40 * 40;
    expect(ref.length).toBe(INTENSITY_TRANSFORMS.length * size);
    INTENSITY_TRANSFORMS.forEach((transform, t) => {
      const img = jetImages(p4, N_JETS, N_CONST, { transform });
      expect(img.length).toBe(size);
      expect(maxAbsDiff(img, ref, t * size), transform).toBeLessThan(1e-5);
    });
  });

  it('matches NumPy on a non-square, asymmetric grid', () => {
    const ref = numpyImages(25, 32, [-0.6, 1.0], [-1.1, 0.5]);
    const img = jetImages(p4, N_JETS, N_CONST, { nEta: 25, nPhi: 32, etaRange: [-0.6, 1.0], phiRange: [-1.1, 0.5] });
    expect(maxAbsDiff(img, ref, 0)).toBeLessThan(1e-5);
  });

  it('normalises every non-empty image to unit sum and leaves an empty jet all zero', () => {
    const img = jetImages(p4, N_JETS, N_CONST);
    for (let j = 0; j < N_JETS; j++) {
      let s = 0;
      for (let p = 0; p < 1600; p++) s += img[j * 1600 + p];
      if (j === 0) expect(s).toBe(0);
      else expect(Math.abs(s - 1), `jet ${j}`).toBeLessThan(1e-5);
    }
    expect(img[1 * 1600 + 20 * 40 + 20]).toBe(1); // a lone constituent lands at the origin pixel [0, 0.04)²
  });

  it('puts the larger pT sum at positive η and φ and the major axis along φ', () => {
    // A window wide enough to hold every constituent, with bin 20 starting at 0 on both axes.
    const n = 40;
    const img = jetImages(p4, N_JETS, N_CONST, { etaRange: [-4, 4], phiRange: [-4, 4] });
    const centre = (i: number) => -4 + (i + 0.5) * 0.2;
    for (let j = 1; j < N_JETS; j++) {
      let etaPos = 0;
      let etaNeg = 0;
      let phiPos = 0;
      let phiNeg = 0;
      let varEta = 0;
      let varPhi = 0;
      for (let ie = 0; ie < n; ie++) {
        for (let ip = 0; ip < n; ip++) {
          const v = img[j * n * n + ie * n + ip];
          if (ie >= 20) etaPos += v;
          else etaNeg += v;
          if (ip >= 20) phiPos += v;
          else phiNeg += v;
          varEta += v * centre(ie) ** 2;
          varPhi += v * centre(ip) ** 2;
        }
      }
      expect(etaPos, `jet ${j} η halves`).toBeGreaterThanOrEqual(etaNeg);
      expect(phiPos, `jet ${j} φ halves`).toBeGreaterThanOrEqual(phiNeg);
      expect(varPhi + 0.01, `jet ${j} axis`).toBeGreaterThanOrEqual(varEta);
    }
  });

  it('is unchanged by a global azimuthal rotation, across the ±π seam', () => {
    const alpha = 2.0;
    const rotated = new Float32Array(p4.length);
    for (let k = 0; k < p4.length; k += 4) {
      rotated[k] = p4[k];
      rotated[k + 1] = p4[k + 1] * Math.cos(alpha) - p4[k + 2] * Math.sin(alpha);
      rotated[k + 2] = p4[k + 1] * Math.sin(alpha) + p4[k + 2] * Math.cos(alpha);
      rotated[k + 3] = p4[k + 3];
    }
    expect(maxAbsDiff(jetImages(rotated, N_JETS, N_CONST), jetImages(p4, N_JETS, N_CONST), 0)).toBeLessThan(1e-5);
  });
});

describe('jet image options and transforms', () => {
  it('applies the intensity transforms elementwise', () => {
    const x = new Float64Array([0, 0.01, 0.25, 1]);
    expect(Array.from(applyIntensityTransform(x.slice(), 'sqrt'))).toEqual([0, 0.1, 0.5, 1]);
    expect(applyIntensityTransform(x.slice(), 'fourth-root')[2]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(applyIntensityTransform(x.slice(), 'log1p-1000')[1]).toBeCloseTo(Math.log(11), 15);
    expect(Array.from(applyIntensityTransform(x.slice(), 'occupancy'))).toEqual([0, 1, 1, 1]);
  });

  it('rejects bad options and bad shapes with clear messages', () => {
    const one = new Float32Array(8);
    expect(() => jetImages(one, 1, 2, { nEta: 0 })).toThrow(/nEta must be a positive integer/);
    expect(() => jetImages(one, 1, 2, { phiRange: [0.5, -0.5] })).toThrow(/phiRange must be finite with lo < hi/);
    expect(() => jetImages(one, 1, 2, { transform: 'cube' as never })).toThrow(/unknown intensity transform 'cube'/);
    expect(() => jetImages(one, 2, 2)).toThrow(/jet image input: expected 2 jets × 2 constituents × 4 = 16 numbers, got 8/);
  });
});
