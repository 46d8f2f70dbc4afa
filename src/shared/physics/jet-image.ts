// Jet images (issue 3; physics.md §2, the Oleksiyuk / Finke et al. preprocessing) from a flat
// (nJets, nConst, 4) batch of (E, px, py, pz) constituents, real where E > 0.
//
// Conventions, per jet, on the real constituents with weights w = pT:
// 1. Translate: η ← η − η_h, φ ← wrap(φ − φ_h) into (−π, π], with h the hardest constituent
//    (largest pT; the first one on a tie).
// 2. Centre: subtract the pT-weighted centroid (η̄, φ̄) (no re-wrap: after step 1 the coordinates
//    are relative to the jet and far from ±π).
// 3. Rotate: the major principal axis of the pT-weighted second-moment ("inertia") tensor
//    [[Σwη², Σwηφ], [Σwηφ, Σwφ²]] is turned onto the φ axis, the "vertical" one (images drawn with η
//    horizontal and φ vertical). With the axis at angle θ = ½·atan2(2Σwηφ, Σwη² − Σwφ²) from the η
//    axis, v = (cos θ, sin θ) and (η, φ) ← (η·v_φ − φ·v_η, η·v_η + φ·v_φ), a proper rotation taking v
//    to +φ. The sign of v is arbitrary; step 4 removes it. Rotated coordinates with |x| < 1e-9
//    (AXIS_SNAP) are set to exactly 0, so that rounding noise of collinear constituents (any
//    two-constituent jet lies on its axis) neither decides a flip nor moves them across the bin
//    edge at 0.
// 4. Flip: η ← −η when Σ_{η<0} w > Σ_{η>0} w, and likewise for φ, over all real constituents
//    (inside the image window or not). Strict comparison: on a tie nothing is flipped.
// 5. Histogram weighted by pT on nEta × nPhi equal bins, each bin [lo, hi) (the upper edge of the
//    last bin is excluded too); constituents outside the window are dropped.
// 6. Normalise: divide by the image sum; an image with nothing inside the window stays all zero.
// 7. Intensity transform (after normalisation, no re-normalisation): see IntensityTransform.
//
// Storage: image[row = η bin][col = φ bin], row-major, bin 0 at the lowest η and φ, so one jet's
// image is nEta × nPhi numbers at offset j × nEta × nPhi and pixel (iη, iφ) at iη × nPhi + iφ. This is
// the layout of numpy.histogram2d(eta, phi); to draw η horizontally and φ upward, transpose and
// flip the rows.

import { checkBatchShape, pseudorapidity, wrapDeltaPhi, type FloatArray } from './kinematics';

const AXIS_SNAP = 1e-9;

/** Pixel intensity transforms: √x, x^¼, log(1 + 1000x), and occupancy (1 where x > 0). */
export const INTENSITY_TRANSFORMS = ['none', 'sqrt', 'fourth-root', 'log1p-1000', 'occupancy'] as const;
export type IntensityTransform = (typeof INTENSITY_TRANSFORMS)[number];

export interface JetImageOptions {
  /** Bins along η (image rows); default 40. */
  nEta?: number;
  /** Bins along φ (image columns); default 40. */
  nPhi?: number;
  /** Window [lo, hi) in η after preprocessing; default [−0.8, 0.8]. */
  etaRange?: readonly [number, number];
  /** Window [lo, hi) in φ after preprocessing; default [−0.8, 0.8]. */
  phiRange?: readonly [number, number];
  /** Applied after normalisation; default 'none'. */
  transform?: IntensityTransform;
}

interface ResolvedOptions {
  nEta: number;
  nPhi: number;
  etaLo: number;
  etaHi: number;
  phiLo: number;
  phiHi: number;
  transform: IntensityTransform;
}

function resolveOptions(options: JetImageOptions): ResolvedOptions {
  const nEta = options.nEta ?? 40;
  const nPhi = options.nPhi ?? 40;
  const [etaLo, etaHi] = options.etaRange ?? [-0.8, 0.8];
  const [phiLo, phiHi] = options.phiRange ?? [-0.8, 0.8];
  const transform = options.transform ?? 'none';
  for (const [name, n] of [['nEta', nEta], ['nPhi', nPhi]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`jet image: ${name} must be a positive integer, got ${n}`);
  }
  for (const [name, lo, hi] of [['etaRange', etaLo, etaHi], ['phiRange', phiLo, phiHi]] as const) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new Error(`jet image: ${name} must be finite with lo < hi, got [${lo}, ${hi}]`);
    }
  }
  if (!INTENSITY_TRANSFORMS.includes(transform)) {
    throw new Error(`jet image: unknown intensity transform '${transform}' (expected one of ${INTENSITY_TRANSFORMS.join(', ')})`);
  }
  return { nEta, nPhi, etaLo, etaHi, phiLo, phiHi, transform };
}

/** Applies an intensity transform in place to normalised images (any layout) and returns them. */
export function applyIntensityTransform<T extends FloatArray>(images: T, transform: IntensityTransform): T {
  switch (transform) {
    case 'none':
      return images;
    case 'sqrt':
      for (let i = 0; i < images.length; i++) images[i] = Math.sqrt(images[i]);
      return images;
    case 'fourth-root':
      for (let i = 0; i < images.length; i++) images[i] = Math.sqrt(Math.sqrt(images[i]));
      return images;
    case 'log1p-1000':
      for (let i = 0; i < images.length; i++) images[i] = Math.log1p(1000 * images[i]);
      return images;
    case 'occupancy':
      for (let i = 0; i < images.length; i++) images[i] = images[i] > 0 ? 1 : 0;
      return images;
    default:
      throw new Error(`jet image: unknown intensity transform '${transform as string}'`);
  }
}

/**
 * Jet images of a batch, flat (nJets, nEta, nPhi) float32 in the layout described at the top of
 * this file. Work buffers are per call (nConst long), so memory does not grow with nJets beyond
 * the output.
 */
export function jetImages(p4: FloatArray, nJets: number, nConst: number, options: JetImageOptions = {}): Float32Array {
  checkBatchShape(p4, nJets, nConst, 'jet image input');
  const o = resolveOptions(options);
  const pixels = o.nEta * o.nPhi;
  const out = new Float32Array(nJets * pixels);
  const pt = new Float64Array(nConst);
  const eta = new Float64Array(nConst);
  const phi = new Float64Array(nConst);
  const image = new Float64Array(pixels);
  const etaScale = o.nEta / (o.etaHi - o.etaLo);
  const phiScale = o.nPhi / (o.phiHi - o.phiLo);

  for (let j = 0; j < nJets; j++) {
    // Real constituents, packed to the front of the work buffers; h = the hardest.
    let n = 0;
    let h = -1;
    for (let c = 0, k = j * nConst * 4; c < nConst; c++, k += 4) {
      if (!(p4[k] > 0)) continue;
      const px = p4[k + 1];
      const py = p4[k + 2];
      pt[n] = Math.hypot(px, py);
      eta[n] = pseudorapidity(px, py, p4[k + 3]);
      phi[n] = Math.atan2(py, px);
      if (h < 0 || pt[n] > pt[h]) h = n;
      n++;
    }
    if (n === 0) continue;

    const etaH = eta[h];
    const phiH = phi[h];
    let sumW = 0;
    let sumEta = 0;
    let sumPhi = 0;
    for (let i = 0; i < n; i++) {
      eta[i] -= etaH;
      phi[i] = wrapDeltaPhi(phi[i] - phiH);
      sumW += pt[i];
      sumEta += pt[i] * eta[i];
      sumPhi += pt[i] * phi[i];
    }
    if (!(sumW > 0)) continue;
    const etaC = sumEta / sumW;
    const phiC = sumPhi / sumW;

    let iee = 0;
    let iep = 0;
    let ipp = 0;
    for (let i = 0; i < n; i++) {
      eta[i] -= etaC;
      phi[i] -= phiC;
      iee += pt[i] * eta[i] * eta[i];
      iep += pt[i] * eta[i] * phi[i];
      ipp += pt[i] * phi[i] * phi[i];
    }
    const theta = 0.5 * Math.atan2(2 * iep, iee - ipp);
    const vEta = Math.cos(theta);
    const vPhi = Math.sin(theta);

    let etaPos = 0;
    let etaNeg = 0;
    let phiPos = 0;
    let phiNeg = 0;
    for (let i = 0; i < n; i++) {
      let e = eta[i] * vPhi - phi[i] * vEta;
      let f = eta[i] * vEta + phi[i] * vPhi;
      if (Math.abs(e) < AXIS_SNAP) e = 0;
      if (Math.abs(f) < AXIS_SNAP) f = 0;
      eta[i] = e;
      phi[i] = f;
      if (e > 0) etaPos += pt[i];
      else if (e < 0) etaNeg += pt[i];
      if (f > 0) phiPos += pt[i];
      else if (f < 0) phiNeg += pt[i];
    }
    const etaSign = etaNeg > etaPos ? -1 : 1;
    const phiSign = phiNeg > phiPos ? -1 : 1;

    image.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const e = etaSign * eta[i];
      const f = phiSign * phi[i];
      if (!(e >= o.etaLo && e < o.etaHi && f >= o.phiLo && f < o.phiHi)) continue;
      // min() guards the rounding of (hi − ε − lo)·scale up to n.
      const ie = Math.min(Math.floor((e - o.etaLo) * etaScale), o.nEta - 1);
      const ip = Math.min(Math.floor((f - o.phiLo) * phiScale), o.nPhi - 1);
      image[ie * o.nPhi + ip] += pt[i];
      total += pt[i];
    }
    if (!(total > 0)) continue;
    const base = j * pixels;
    for (let p = 0; p < pixels; p++) out[base + p] = image[p] / total;
  }
  return applyIntensityTransform(out, o.transform);
}
