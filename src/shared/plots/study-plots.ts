// The plots of a finished study, from the data its results.json holds under `plots` (per kind, see
// src/main/engine/studies/*.ts). Keys a study does not have, or that an older engine did not write, give
// no plot; data a plot builder refuses gives a message in place of that plot, never a broken screen.
import type { PlotSpec } from './plot-spec';
import { barPlot, bumpFitPlot, errorVsPositionPlot, jetImagePlot, massSpectraPlot, r50JsdPlot, rocPlot, scatterPlot, scoreHistogramPlot, sicPlot } from './hep-plots';

export interface StudyPlot {
  /** A file-name-safe key (downloads) and the section the plot belongs to. */
  name: string;
  section: string;
  spec: PlotSpec | null;
  /** Why the plot could not be drawn. */
  problem: string | null;
  /** Jet images are drawn small, side by side. */
  small?: boolean;
}

export interface PlotContext {
  /** Half-width of the jet images' η′/φ′ window (the study's representation `range`). */
  imageRange: number;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Obj[] => (Array.isArray(x) ? x.filter(isObj) : []);
const str = (x: unknown): string => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');

/** Numbers from JSON: an array, or a typed array serialised as {"0": …, "1": …}. */
export function nums(x: unknown): number[] | null {
  if (Array.isArray(x)) return x.every((v) => typeof v === 'number' || v === null) ? x.map((v) => (v === null ? NaN : (v as number))) : null;
  if (isObj(x)) {
    const keys = Object.keys(x);
    if (keys.length > 0 && keys.every((k, i) => k === String(i) && typeof x[k] === 'number')) return keys.map((k) => x[k] as number);
  }
  return null;
}

/** A rows × columns image as its row-major pixels and size, or null. */
function image(x: unknown): { pixels: number[]; size: number } | null {
  if (!Array.isArray(x) || x.length === 0) return null;
  const rows = x.map(nums);
  if (rows.some((r) => r === null || r.length !== x.length)) return null;
  return { pixels: rows.flatMap((r) => r!), size: x.length };
}

function plot(section: string, name: string, build: () => PlotSpec | null, small = false): StudyPlot | null {
  try {
    const spec = build();
    return spec ? { section, name, spec, problem: null, small } : null;
  } catch (e) {
    return { section, name, spec: null, problem: `${name}: ${(e as Error).message}`, small };
  }
}

const safeName = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '');
const titled = (spec: PlotSpec, title: string): PlotSpec => ({ ...spec, title });

function rocCurves(x: unknown, label: (c: Obj) => string) {
  return list(x).flatMap((c) => {
    const tpr = nums(c.tpr);
    const rejection = nums(c.rejection);
    return tpr && rejection ? [{ label: label(c), tpr, rejection }] : [];
  });
}

function trainEvaluate(p: Obj): (StudyPlot | null)[] {
  const seed = (c: Obj) => `seed ${str(c.seed)}`;
  const roc = rocCurves(p.roc, seed);
  const sic = list(p.sic).flatMap((c) => {
    const tpr = nums(c.tpr);
    const s = nums(c.sic);
    return tpr && s ? [{ label: seed(c), tpr, sic: s }] : [];
  });
  const h = isObj(p.scores) ? p.scores : null;
  return [
    plot('Curves', 'roc', () => (roc.length ? rocPlot(roc) : null)),
    plot('Curves', 'sic', () => (sic.length ? sicPlot(sic) : null)),
    plot('Scores', 'score-histograms', () => {
      const edges = nums(h?.edges);
      const bg = nums(h?.background);
      const sg = nums(h?.signal);
      if (!edges || !bg || !sg) return null;
      return titled(scoreHistogramPlot({ edges, series: [{ label: 'background', density: bg }, { label: 'signal', density: sg }] }, { logY: true, xLabel: 'Anomaly score' }), `Score histograms (seed ${str(h?.seed)})`);
    }),
  ];
}

/** A multiplicity profile {low, meanScore} as contiguous bins; bins without jets are gaps (NaN). */
function profileBins(x: unknown): { edges: number[]; meanError: number[] } | null {
  if (!isObj(x)) return null;
  const low = nums(x.low);
  const mean = nums(x.meanScore);
  if (!low || !mean || low.length === 0 || low.length !== mean.length) return null;
  const width = low.length > 1 ? Math.min(...low.slice(1).map((l, i) => l - low[i])) : 1;
  const bins = Math.round((low[low.length - 1] - low[0]) / width) + 1;
  const edges = Array.from({ length: bins + 1 }, (_, k) => low[0] + k * width);
  const meanError = new Array<number>(bins).fill(NaN);
  low.forEach((l, i) => (meanError[Math.round((l - low[0]) / width)] = mean[i]));
  return { edges, meanError };
}

function invertedTask(p: Obj, ctx: PlotContext): (StudyPlot | null)[] {
  const direction = (c: Obj) => `${str(c.train)}-trained, tagging ${str(c.tagged)}`;
  const roc = rocCurves(p.roc, direction);
  const out: (StudyPlot | null)[] = [plot('Curves', 'roc', () => (roc.length ? titled(rocPlot(roc), 'ROC per direction') : null))];
  for (const d of list(p.scores)) {
    out.push(
      plot('Scores', `scores-${safeName(str(d.train))}-trained`, () => {
        const edges = nums(d.edges);
        const bg = nums(d.background);
        const sg = nums(d.signal);
        if (!edges || !bg || !sg) return null;
        const series = [{ label: `${str(d.train)} (trained on)`, density: bg }, { label: `${str(d.tagged)} (tagged)`, density: sg }];
        return titled(scoreHistogramPlot({ edges, series }, { logY: true, xLabel: 'Anomaly score' }), `Scores, ${direction(d)}`);
      }),
    );
  }
  for (const d of list(p.scoreVsMultiplicity)) {
    out.push(
      plot('Complexity bias', `score-vs-multiplicity-${safeName(str(d.train))}-trained`, () => {
        const profiles = [
          { label: str(d.train), bins: profileBins(d.trained) },
          { label: str(d.tagged), bins: profileBins(d.taggedClass) },
        ].flatMap((x) => (x.bins ? [{ label: x.label, ...x.bins }] : []));
        return profiles.length ? titled(errorVsPositionPlot(profiles, 'Constituent multiplicity'), `Mean score versus multiplicity, ${direction(d)}`) : null;
      }),
    );
  }
  const images = (section: string, entries: [string, unknown][]) =>
    entries.map(([title, x]) =>
      plot(
        section,
        `image-${safeName(title)}`,
        () => {
          const img = image(x);
          return img ? jetImagePlot(img.pixels, img.size, { range: ctx.imageRange, title }) : null;
        },
        true,
      ),
    );
  if (isObj(p.meanImages)) out.push(...images('Mean images', Object.entries(p.meanImages).map(([cls, img]) => [`Mean ${cls} image`, img])));
  for (const r of list(p.meanReconstructions)) {
    out.push(
      ...images('Mean reconstructions', [
        [`${str(r.train)}-trained AE: mean ${str(r.train)} reconstruction`, r.trained],
        [`${str(r.train)}-trained AE: mean ${str(r.tagged)} reconstruction`, r.taggedClass],
      ]),
    );
  }
  return out;
}

function massDecorrelation(p: Obj): (StudyPlot | null)[] {
  const r = isObj(p.r50VsInverseJsd) ? p.r50VsInverseJsd : null;
  const out: (StudyPlot | null)[] = [
    plot('Sculpting', 'r50-vs-inverse-jsd', () => {
      const points = list(r?.points).map((x) => ({ configuration: str(x.configuration), signal: str(x.signal), r50: Number(x.r50), inverseJsd: Number(x.inverseJsd) }));
      return points.length && typeof r?.efficiency === 'number' ? r50JsdPlot(points, r.efficiency) : null;
    }),
  ];
  for (const c of list(p.massSpectra)) {
    out.push(
      plot('Mass spectra after cuts', `mass-spectra-${safeName(str(c.configuration))}`, () => {
        const edges = nums(c.edges);
        const series = list(c.spectra).flatMap((s) => {
          const counts = nums(s.counts);
          return counts ? [{ label: s.efficiency === 1 ? 'inclusive' : `ε_B = ${str(s.efficiency)}`, counts }] : [];
        });
        return edges && series.length ? titled(massSpectraPlot({ edges, series }, { normalise: true, xLabel: 'Jet mass m [GeV]' }), `Background mass after cuts: ${str(c.configuration)}`) : null;
      }),
    );
  }
  return out;
}

function bumpHunt(p: Obj): (StudyPlot | null)[] {
  return list(p.spectra).map((s) =>
    plot('Fits', `bump-hunt-eff-${str(s.efficiency)}`, () => {
      const edges = nums(s.edges);
      const counts = nums(s.counts);
      if (!edges || !counts) return null;
      const title = `Score cut keeping ${str(s.efficiency)} of the events`;
      const expected = nums(s.expected);
      const pulls = nums(s.pulls);
      const window = nums(s.window);
      if (!expected || !pulls) return titled(massSpectraPlot({ edges, series: [{ label: 'data (not fitted)', counts }] }, { xLabel: 'm_jj [GeV]' }), `${title} (too few events to fit)`);
      const curve = isObj(s.curve) && nums(s.curve.mass) && nums(s.curve.events) ? { mass: nums(s.curve.mass)!, events: nums(s.curve.events)! } : null;
      return bumpFitPlot({ edges, counts, expected, pulls, window: window && window.length === 2 ? [window[0], window[1]] : null, curve }, { title });
    }),
  );
}

function topology(p: Obj): (StudyPlot | null)[] {
  const profiles = list(p.errorVsPosition);
  const manifolds = [...new Set(profiles.map((x) => str(x.manifold)))];
  const out: (StudyPlot | null)[] = manifolds.map((m) =>
    plot('Error versus position', `error-vs-position-${safeName(m)}`, () => {
      const curves = profiles
        .filter((x) => str(x.manifold) === m)
        .flatMap((x) => {
          const edges = nums(x.edges);
          const meanError = nums(x.meanError);
          return edges && meanError ? [{ label: `latent ${str(x.latent)}`, edges, meanError }] : [];
        });
      return curves.length ? titled(errorVsPositionPlot(curves, 'Position on the manifold (first intrinsic coordinate)'), `Background reconstruction error on the ${m}`) : null;
    }),
  );
  for (const e of list(p.latentEmbedding)) {
    out.push(
      plot('Latent embedding', `latent-${safeName(str(e.manifold))}-${str(e.latent)}`, () => {
        // The last snapshot: the embedding after training, each point coloured by its position.
        const snapshots = Array.isArray(e.points) ? e.points : [];
        const last = snapshots[snapshots.length - 1];
        if (!Array.isArray(last) || last.length === 0) return null;
        const coords = last.map(nums);
        if (coords.some((c) => c === null)) return null;
        const x = coords.map((c) => c![0]);
        const y = coords.map((c) => (c!.length > 1 ? c![1] : 0));
        const colour = nums(e.position) ?? undefined;
        const epoch = nums(e.epochs)?.at(-1);
        const spec = scatterPlot({ x, y, colour }, { x: 'z₁', y: coords[0]!.length > 1 ? 'z₂' : '—', colour: colour ? 'position' : undefined });
        return titled(spec, `Latent embedding, ${str(e.manifold)}, latent ${str(e.latent)}${epoch !== undefined ? ` (epoch ${epoch})` : ''}`);
      }),
    );
  }
  return out;
}

function representation(p: Obj): (StudyPlot | null)[] {
  const groups = list(p.aucBySignal).map((g) => ({
    group: str(g.signal),
    bars: list(g.auc).map((b) => ({ label: str(b.setup), value: Number(b.auc), error: typeof b.aucStd === 'number' ? b.aucStd : undefined })),
  }));
  return [plot('AUC per signal', 'auc-by-signal', () => (groups.length ? titled(barPlot(groups, 'AUC'), 'AUC per signal and setup') : null))];
}

/** Every plot of a finished study of `kind`, in display order. */
export function studyPlots(kind: string, plots: Record<string, unknown> | null, ctx: PlotContext): StudyPlot[] {
  if (!plots) return [];
  const byKind: Record<string, (p: Obj) => (StudyPlot | null)[]> = {
    'train-evaluate': trainEvaluate,
    'inverted-task': (p) => invertedTask(p, ctx),
    'mass-decorrelation': massDecorrelation,
    'bump-hunt': bumpHunt,
    topology,
    representation,
  };
  return (byKind[kind]?.(plots) ?? []).filter((x): x is StudyPlot => x !== null);
}
