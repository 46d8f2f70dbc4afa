// Mass sculpting: does a cut on the anomaly score distort the background mass spectrum? The
// decorrelation literature (DisCo, adversarial decorrelation; e.g. asogaard/adversarial's metrics)
// cuts at a fixed background efficiency and reports 1/JSD between the normalised background mass
// histograms of events passing and failing the cut, with the Jensen–Shannon divergence in base 2
// (so 0 ≤ JSD ≤ 1; larger 1/JSD = less sculpting), beside the rejection R50.
import { checkEdges, histogram } from './histogram';

/** Jensen–Shannon divergence, log base 2, of two histograms each normalised to unit sum (scipy's jensenshannon(p, q, 2)²). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jensenShannon: histograms of ${p.length} and ${q.length} bins`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && q[i] >= 0)) throw new Error(`jensenShannon: bin ${i} holds ${p[i]} and ${q[i]}; contents must be ≥ 0`);
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0 && sq > 0)) throw new Error('jensenShannon: an empty histogram has no distribution');
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = (pi + qi) / 2;
    if (pi > 0) d += pi * Math.log2(pi / mi);
    if (qi > 0) d += qi * Math.log2(qi / mi);
  }
  return Math.max(d / 2, 0);
}

/** The background events (label 0): their indices and their scores in ascending order. */
function background(scores: ArrayLike<number>, masses: ArrayLike<number>, labels: ArrayLike<number>) {
  const n = scores.length;
  if (masses.length !== n || labels.length !== n)
    throw new Error(`mass sculpting: ${n} scores, ${masses.length} masses and ${labels.length} labels`);
  const indices: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0) continue;
    if (Number.isNaN(scores[i])) throw new Error(`mass sculpting: the score of event ${i} is NaN`);
    if (Number.isNaN(masses[i])) throw new Error(`mass sculpting: the mass of event ${i} is NaN`);
    indices.push(i);
  }
  if (indices.length === 0) throw new Error('mass sculpting: no background events (label 0)');
  const sorted = Float64Array.from(indices, (i) => scores[i]).sort();
  return { indices: Uint32Array.from(indices), sorted };
}

/** numpy.quantile (linear interpolation) of ascending values. */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The score cut keeping a fraction `efficiency` of background: events pass when score > threshold,
 * threshold = numpy.quantile(background scores, 1 − efficiency); efficiency 1 keeps everything
 * (threshold −∞). Ties at the threshold make the kept fraction differ slightly; it is reported.
 */
function cutAt(sorted: Float64Array, efficiency: number): number {
  if (!(efficiency > 0 && efficiency <= 1)) throw new Error(`mass sculpting: the background efficiency must be within (0, 1], got ${efficiency}`);
  return efficiency === 1 ? -Infinity : quantile(sorted, 1 - efficiency);
}

function split(scores: ArrayLike<number>, indices: Uint32Array, threshold: number) {
  const passing: number[] = [];
  const failing: number[] = [];
  for (const i of indices) (scores[i] > threshold ? passing : failing).push(i);
  return { passing, failing };
}

export interface Sculpting {
  /** Requested and achieved background efficiency. */
  efficiency: number;
  achievedEfficiency: number;
  threshold: number;
  /** JSD (base 2) between the normalised passing and failing background mass histograms, and 1/JSD (Infinity at JSD = 0). */
  jsd: number;
  inverse: number;
  /** Raw background counts per mass bin (events outside the edges are left out). */
  passing: Float64Array;
  failing: Float64Array;
  edges: Float64Array;
}

/** 1/JSD at one background efficiency: the sculpting number of the R50-vs-1/JSD plot (labels: 0 = background). */
export function jsdAtEfficiency(
  scores: ArrayLike<number>,
  masses: ArrayLike<number>,
  labels: ArrayLike<number>,
  efficiency: number,
  binEdges: ArrayLike<number>,
): Sculpting {
  checkEdges(binEdges);
  const bkg = background(scores, masses, labels);
  const threshold = cutAt(bkg.sorted, efficiency);
  const { passing, failing } = split(scores, bkg.indices, threshold);
  const hPass = histogram(masses, binEdges, passing);
  const hFail = histogram(masses, binEdges, failing);
  const inRange = (h: Float64Array) => h.reduce((a, b) => a + b, 0) > 0;
  if (!inRange(hPass) || !inRange(hFail))
    throw new Error(`mass sculpting: at background efficiency ${efficiency} no ${inRange(hPass) ? 'failing' : 'passing'} background event has a mass inside the bin edges`);
  const jsd = jensenShannon(hPass, hFail);
  return {
    efficiency,
    achievedEfficiency: passing.length / bkg.indices.length,
    threshold,
    jsd,
    inverse: 1 / jsd,
    passing: hPass,
    failing: hFail,
    edges: Float64Array.from(binEdges),
  };
}

export interface MassSpectrum {
  efficiency: number;
  achievedEfficiency: number;
  threshold: number;
  /** Background events passing, per bin; Poisson errors √counts; fractions = counts / Σ counts (the plotted shape). */
  counts: Float64Array;
  errors: Float64Array;
  fractions: Float64Array;
}

/**
 * The background mass spectra after score cuts at several background efficiencies (e.g. 1, 0.1, 0.01,
 * 0.001): the data of the sculpting plot, normalised shapes overlaid. Labels: 0 = background.
 */
export function massSpectraAfterCuts(
  scores: ArrayLike<number>,
  masses: ArrayLike<number>,
  labels: ArrayLike<number>,
  efficiencies: readonly number[],
  binEdges: ArrayLike<number>,
): { edges: Float64Array; spectra: MassSpectrum[] } {
  checkEdges(binEdges);
  const bkg = background(scores, masses, labels);
  const spectra = efficiencies.map((efficiency) => {
    const threshold = cutAt(bkg.sorted, efficiency);
    const { passing } = split(scores, bkg.indices, threshold);
    const counts = histogram(masses, binEdges, passing);
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      efficiency,
      achievedEfficiency: passing.length / bkg.indices.length,
      threshold,
      counts,
      errors: counts.map(Math.sqrt),
      fractions: counts.map((c) => (total > 0 ? c / total : 0)),
    };
  });
  return { edges: Float64Array.from(binEdges), spectra };
}
