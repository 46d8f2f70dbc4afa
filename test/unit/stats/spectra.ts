// Dijet spectra for the tests: Poisson counts around the dijet function (optionally plus a Gaussian bump).
import { linearEdges } from '@shared/metrics/histogram';
import { mulberry32, normalSampler } from '@shared/random';
import { dijetBinning, dijetExpected, type DijetParams } from '@shared/stats/dijet-function';
import { poissonSampler } from '@shared/stats/bump-hunt';

export const SQRT_S = 13000;

/** Shape parameters typical of a 13 TeV dijet spectrum; p0 scaled so that the spectrum holds `events`. */
export function truth(edges: Float64Array, events: number, shape: [number, number, number] = [10, 5, 0.2]): DijetParams {
  const unit = dijetExpected(dijetBinning(edges, SQRT_S), [1, ...shape]);
  return [events / unit.reduce((a, b) => a + b, 0), ...shape];
}

export interface Spectrum {
  edges: Float64Array;
  params: DijetParams;
  expected: Float64Array;
  counts: Float64Array;
}

export function spectrum(bins: number, events: number, seed: number, bump?: { mass: number; width: number; events: number }): Spectrum {
  const edges = linearEdges(1500, 6000, bins);
  const params = truth(edges, events);
  const expected = dijetExpected(dijetBinning(edges, SQRT_S), params);
  const poisson = poissonSampler(mulberry32(seed));
  const counts = Float64Array.from(expected, (m) => poisson(m));
  if (bump) {
    const g = normalSampler(mulberry32(seed + 1));
    for (let k = 0; k < bump.events; k++) {
      const m = bump.mass + bump.width * g();
      const i = Math.floor(((m - 1500) / 4500) * bins);
      if (i >= 0 && i < bins) counts[i]++;
    }
  }
  return { edges, params, expected, counts };
}
