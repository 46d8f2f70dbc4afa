// The plots an export draws, named for files: a study's plots exactly as its results screen shows them,
// or a training run's loss curve and performance plots (as its run page shows them).
import { formatNumber } from '@shared/format';
import { lossPlot, rocPlot, scoreHistogramPlot, sicPlot } from '@shared/plots/hep-plots';
import type { PlotSpec } from '@shared/plots/plot-spec';
import { studyPlots } from '@shared/plots/study-plots';

export interface NamedPlot {
  /** File-name-safe and unique within one export, e.g. 'roc', 'scores-qcd-tags-top'. */
  name: string;
  title: string;
  spec: PlotSpec;
}

export interface RunCurveData {
  auc: number;
  roc: { tpr: number[]; rejection: number[] };
  sic: { tpr: number[]; sic: number[] };
  scores: { edges: number[]; background: number[]; signal: number[] };
}

/** The jet-image half-width the study screen uses when the study's representation names none. */
const DEFAULT_IMAGE_RANGE = 0.8;

const fileSafe = (s: string): string => s.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'plot';

/** Names made file-safe, and unique by a -2, -3, … suffix in order of appearance. */
function named(plots: { name: string; spec: PlotSpec }[]): NamedPlot[] {
  const taken = new Set<string>();
  return plots.map(({ name, spec }) => {
    const base = fileSafe(name);
    let unique = base;
    for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${base}-${n}`;
    // Case-insensitive file systems (macOS, Windows) would merge names differing only in case.
    taken.add(unique.toLowerCase());
    return { name: unique, title: spec.title, spec };
  });
}

/** Every drawable plot of a study's results.json `plots`, in display order. Plots the data cannot make are listed by studyPlotProblems. */
export function studyPlotSpecs(kind: string, plots: Record<string, unknown>, opts: { imageRange?: number } = {}): NamedPlot[] {
  const all = studyPlots(kind, plots, { imageRange: opts.imageRange ?? DEFAULT_IMAGE_RANGE });
  return named(all.flatMap((p) => (p.spec ? [{ name: p.name, spec: p.spec }] : [])));
}

/** Why some of a study's plots could not be drawn (the message the results screen shows in their place). */
export function studyPlotProblems(kind: string, plots: Record<string, unknown>, opts: { imageRange?: number } = {}): string[] {
  return studyPlots(kind, plots, { imageRange: opts.imageRange ?? DEFAULT_IMAGE_RANGE }).flatMap((p) => (p.problem ? [p.problem] : []));
}

/** A training run: its loss per epoch (log y when every loss is positive), then ROC, SIC and score densities when it was scored. */
export function runPlotSpecs(curves: RunCurveData | null, losses: { label: string; points: [number, number][] }[]): NamedPlot[] {
  const drawn = losses.filter((c) => c.points.length > 0);
  const plots: { name: string; spec: PlotSpec }[] = [];
  if (drawn.length > 0) {
    const logY = drawn.every((c) => c.points.every(([, v]) => v > 0));
    plots.push({ name: 'loss', spec: lossPlot(drawn, { logY }) });
  }
  if (curves) {
    const label = `AUC = ${formatNumber(curves.auc)}`;
    plots.push(
      { name: 'roc', spec: rocPlot([{ label, ...curves.roc }]) },
      { name: 'sic', spec: sicPlot([{ label, ...curves.sic }]) },
      {
        name: 'scores',
        spec: scoreHistogramPlot(
          { edges: curves.scores.edges, series: [{ label: 'background', density: curves.scores.background }, { label: 'signal', density: curves.scores.signal }] },
          { logY: true, xLabel: 'Anomaly score' },
        ),
      },
    );
  }
  return named(plots);
}
