// The workbench's physics plots as pure functions, data → PlotSpec (ECharts option + CSV), following
// the HEP conventions of mplhep/puma: ROC as 1/ε_B (log) versus ε_S with the random-guess line, step
// histograms, data as points with √n error bars, ratio and pull panels below the main panel.
import type { EChartsOption } from 'echarts';
import { formatNumber } from '@shared/format';
import type { PlotSpec } from './plot-spec';
import { binBarRenderer, errorBarRenderer, groupedBarRenderer, heatCellRenderer } from './plot-series';
import {
  baseOption,
  checkBins,
  checkSameLength,
  histogramCsv,
  positive,
  SEQUENTIAL,
  seriesColour,
  stepPoints,
  toCsv,
  token,
  unitOf,
  valueAxis,
  withUnit,
} from './plot-style';

type Row = (string | number | null)[];
type XY = [number, number];

const EFF_S = 'Signal efficiency ε_S';
const REJ_B = 'Background rejection 1/ε_B';
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin'];

function line(name: string, data: unknown[], i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'line', name, data, color: seriesColour(i), symbol: 'none', itemStyle: { opacity: 0 }, connectNulls: false, lineStyle: { width: 2 }, emphasis: { focus: 'series' }, ...extra };
}

/** A dashed reference line in the muted text colour (random guess, unity). */
function guide(name: string, data: XY[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'line', name, data, color: token('text-muted'), symbol: 'none', itemStyle: { opacity: 0 }, silent: true, lineStyle: { width: 1.5, type: 'dashed' }, ...extra };
}

/** (ε_S, y) pairs of one curve that a plot can draw: ε_S in (0, 1] and y accepted by `keep`. */
function curvePoints(what: string, label: string, tpr: readonly number[], y: readonly number[], keep: (v: number) => boolean): XY[] {
  checkSameLength(`${what} curve "${label}"`, { tpr, [what === 'ROC' ? 'rejection' : 'sic']: y });
  return tpr.map((t, i): XY => [t, y[i]]).filter(([t, v]) => t > 0 && t <= 1 && keep(v));
}

/** ε_S of the random-guess line: 1 % steps. */
const GUESS_EFFICIENCIES = Array.from({ length: 100 }, (_, k) => (k + 1) / 100);

/**
 * Rejection of the reference at ε_S = t. Interpolated linearly in ln(1/ε_B) between the reference's
 * neighbouring points (a straight segment on the log axis); where the reference has several points at
 * one ε_S, the highest rejection (the best operating point) counts. null outside the reference's ε_S range.
 */
export function referenceRejection(reference: readonly XY[], t: number): number | null {
  const best = new Map<number, number>();
  for (const [x, r] of reference) best.set(x, Math.max(r, best.get(x) ?? 0));
  const pts = [...best].sort((a, b) => a[0] - b[0]);
  if (pts.length === 0 || t < pts[0][0] || t > pts[pts.length - 1][0]) return null;
  const hi = pts.findIndex(([x]) => x >= t);
  if (pts[hi][0] === t) return pts[hi][1];
  const [[x0, r0], [x1, r1]] = [pts[hi - 1], pts[hi]];
  return Math.exp(Math.log(r0) + ((t - x0) / (x1 - x0)) * (Math.log(r1) - Math.log(r0)));
}

function ratioPoints(curve: readonly XY[], reference: readonly XY[]): XY[] {
  return curve.flatMap(([t, r]): XY[] => {
    const ref = referenceRejection(reference, t);
    return ref === null ? [] : [[t, r / ref]];
  });
}

function efficiencyCsv(column: string, curves: { label: string; points: XY[] }[]): string {
  return toCsv(['curve', 'signal_efficiency', column], curves.flatMap((c) => c.points.map(([t, v]): Row => [c.label, t, v])));
}

/**
 * ROC curves: ε_S (linear, 0–1) against 1/ε_B (log), with the random-guess line 1/ε_S. Points with
 * 1/ε_B ≤ 0 or infinite are not drawable and left out. With `ratioTo`, a panel below shows each curve
 * divided by that curve's rejection at the same ε_S (interpolated, see referenceRejection).
 */
export function rocPlot(curves: { label: string; tpr: number[]; rejection: number[] }[], opts: { ratioTo?: string } = {}): PlotSpec {
  const drawn = curves.map((c) => ({ label: c.label, points: curvePoints('ROC', c.label, c.tpr, c.rejection, positive) }));
  const reference = opts.ratioTo === undefined ? undefined : drawn.find((c) => c.label === opts.ratioTo);
  if (opts.ratioTo !== undefined && !reference) {
    throw new Error(`ROC plot: ratio reference "${opts.ratioTo}" is not one of the curves (${curves.map((c) => c.label).join(', ')})`);
  }
  const panels = reference ? 2 : 1;
  const series: unknown[] = [
    ...drawn.map((c, i) => line(c.label, c.points, i, { dimensions: ['ε_S', '1/ε_B'] })),
    guide('Random guess', GUESS_EFFICIENCIES.map((t): XY => [t, 1 / t]), { dimensions: ['ε_S', '1/ε_B'] }),
  ];
  const xAxis = [valueAxis({ name: EFF_S, min: 0, max: 1, shared: panels === 2 }, 'x')];
  const yAxis = [valueAxis({ name: REJ_B, log: true }, 'y')];
  if (reference) {
    xAxis.push(valueAxis({ name: EFF_S, min: 0, max: 1, gridIndex: 1 }, 'x'));
    yAxis.push(valueAxis({ name: 'Ratio', gridIndex: 1, extra: { scale: true, splitNumber: 3 } }, 'y'));
    series.push(...drawn.map((c, i) => line(c.label, ratioPoints(c.points, reference.points), i, { xAxisIndex: 1, yAxisIndex: 1, dimensions: ['ε_S', `ratio to ${reference.label}`] })));
  }
  return {
    title: `ROC: background rejection versus signal efficiency${reference ? ` (ratio to ${reference.label})` : ''}`,
    option: { ...baseOption(panels, 'axis'), xAxis, yAxis, series } as EChartsOption,
    csv: efficiencyCsv('background_rejection', drawn),
  };
}

/** Significance improvement ε_S/√ε_B against ε_S, with the random-guess line √ε_S. */
export function sicPlot(curves: { label: string; tpr: number[]; sic: number[] }[]): PlotSpec {
  const drawn = curves.map((c) => ({ label: c.label, points: curvePoints('SIC', c.label, c.tpr, c.sic, Number.isFinite) }));
  return {
    title: 'Significance improvement versus signal efficiency',
    option: {
      ...baseOption(1, 'axis'),
      xAxis: valueAxis({ name: EFF_S, min: 0, max: 1 }, 'x'),
      yAxis: valueAxis({ name: 'Significance improvement ε_S/√ε_B', min: 0 }, 'y'),
      series: [
        ...drawn.map((c, i) => line(c.label, c.points, i, { dimensions: ['ε_S', 'ε_S/√ε_B'] })),
        guide('Random guess', GUESS_EFFICIENCIES.map((t): XY => [t, Math.sqrt(t)]), { dimensions: ['ε_S', 'ε_S/√ε_B'] }),
      ],
    } as EChartsOption,
    csv: efficiencyCsv('sic', drawn),
  };
}

interface Histograms {
  edges: number[];
  series: { label: string; values: number[] }[];
}

/** Step outlines of histograms sharing edges; on a log axis empty bins leave a gap. */
function histogramPlot(what: string, h: Histograms, x: string, y: string, logY: boolean, yUnit: string): Pick<PlotSpec, 'option' | 'csv'> {
  for (const s of h.series) checkBins(h.edges, s.values.length, `${what} "${s.label}"`);
  return {
    option: {
      ...baseOption(1, 'axis'),
      xAxis: valueAxis({ name: x, min: h.edges[0], max: h.edges[h.edges.length - 1] }, 'x'),
      yAxis: valueAxis({ name: y, log: logY, min: logY ? undefined : 0 }, 'y'),
      series: h.series.map((s, i) => line(s.label, stepPoints(h.edges, s.values, logY ? positive : Number.isFinite), i, { dimensions: [x, y] })),
    } as EChartsOption,
    csv: histogramCsv(h.edges, unitOf(x), h.series.map((s) => ({ column: withUnit(s.label, yUnit), values: s.values }))),
  };
}

/** Normalised score distributions per class as step histograms; log y by default. */
export function scoreHistogramPlot(h: { edges: number[]; series: { label: string; density: number[] }[] }, opts: { logY?: boolean; xLabel?: string } = {}): PlotSpec {
  const x = opts.xLabel ?? 'Anomaly score';
  const series = h.series.map((s) => ({ label: s.label, values: s.density }));
  return { title: `Normalised distributions of the ${x.toLowerCase()}`, ...histogramPlot('score histogram', { edges: h.edges, series }, x, 'Normalised entries [a.u.]', opts.logY ?? true, 'a.u.') };
}

/** Mass spectra (e.g. after score cuts) as step histograms; `normalise` divides by the total and the bin width (1/N dN/dm). */
export function massSpectraPlot(s: { edges: number[]; series: { label: string; counts: number[] }[] }, opts: { normalise?: boolean; xLabel?: string } = {}): PlotSpec {
  const x = opts.xLabel ?? 'm [GeV]';
  const unit = unitOf(x);
  const series = s.series.map((h) => {
    checkBins(s.edges, h.counts.length, `mass spectrum "${h.label}"`);
    if (!opts.normalise) return { label: h.label, values: h.counts };
    const total = h.counts.reduce((a, b) => a + b, 0);
    return { label: h.label, values: h.counts.map((c, i) => (total > 0 ? c / (total * (s.edges[i + 1] - s.edges[i])) : 0)) };
  });
  const yUnit = opts.normalise ? (unit ? `1/${unit}` : '') : 'events';
  const y = opts.normalise ? withUnit('1/N dN/dm', unit ? `${unit}⁻¹` : '') : 'Events / bin';
  return { title: opts.normalise ? 'Mass spectra (normalised)' : 'Mass spectra', ...histogramPlot('mass spectrum', { edges: s.edges, series }, x, y, false, yUnit) };
}

/**
 * A bump-hunt fit: observed counts as points with √n error bars, the background fit, the signal window
 * shaded, log y; below, the pulls (n − b)/√b per bin as bars.
 */
export function bumpFitPlot(
  b: { edges: number[]; counts: number[]; expected: number[]; pulls: number[]; window: [number, number] | null; curve?: { mass: number[]; events: number[] } | null },
  opts: { title?: string } = {},
): PlotSpec {
  checkBins(b.edges, b.counts.length, 'bump-hunt fit');
  checkSameLength('bump-hunt fit', { counts: b.counts, expected: b.expected, pulls: b.pulls });
  if (b.curve) checkSameLength('bump-hunt fit curve', { mass: b.curve.mass, events: b.curve.events });
  const x = 'm_jj [GeV]';
  const centre = (i: number) => (b.edges[i] + b.edges[i + 1]) / 2;
  const fit = b.curve
    ? line('Background fit', b.curve.mass.map((m, i): XY => [m, b.curve!.events[i]]).filter(([, v]) => v > 0), 0, { dimensions: [x, 'events'] })
    : line('Background fit', stepPoints(b.edges, b.expected, positive), 0, { dimensions: [x, 'events'] });
  const series: unknown[] = [
    fit,
    {
      type: 'custom',
      name: 'Data',
      color: token('plot-data'),
      legendIcon: 'circle',
      renderItem: errorBarRenderer(true),
      encode: { x: 0, y: [1, 2, 3] },
      dimensions: [x, 'events', 'n − √n', 'n + √n'],
      data: b.counts.map((n, i) => [centre(i), n, n - Math.sqrt(n), n + Math.sqrt(n)]),
      z: 3,
    },
    {
      type: 'custom',
      name: 'Pull',
      color: token('text-muted'),
      renderItem: binBarRenderer,
      xAxisIndex: 1,
      yAxisIndex: 1,
      encode: { x: [0, 1], y: 2 },
      dimensions: ['low edge', 'high edge', 'pull'],
      data: b.pulls.map((p, i) => [b.edges[i], b.edges[i + 1], p]),
    },
  ];
  if (b.window) {
    series.push({
      type: 'line',
      name: 'Signal window',
      data: [],
      legendIcon: 'rect',
      color: token('plot-2'),
      markArea: { silent: true, itemStyle: { color: token('plot-2'), opacity: 0.15 }, data: [[{ xAxis: b.window[0] }, { xAxis: b.window[1] }]] },
    });
  }
  const [lo, hi] = [b.edges[0], b.edges[b.edges.length - 1]];
  const inWindow = (i: number) => (b.window && b.edges[i] >= b.window[0] && b.edges[i + 1] <= b.window[1] ? 1 : 0);
  return {
    title: opts.title ?? 'Bump hunt: dijet mass spectrum and background fit',
    option: {
      ...baseOption(2, 'item'),
      xAxis: [valueAxis({ name: x, min: lo, max: hi, shared: true }, 'x'), valueAxis({ name: x, min: lo, max: hi, gridIndex: 1 }, 'x')],
      yAxis: [valueAxis({ name: 'Events / bin', log: true }, 'y'), valueAxis({ name: 'Pull (n − b)/√b', gridIndex: 1, extra: { splitNumber: 3 } }, 'y')],
      series,
    } as EChartsOption,
    csv: toCsv(
      ['low_edge [GeV]', 'high_edge [GeV]', 'observed [events]', 'expected [events]', 'pull', 'in_signal_window'],
      b.counts.map((n, i): Row => [b.edges[i], b.edges[i + 1], n, b.expected[i], b.pulls[i], inWindow(i)]),
    ),
  };
}

/** Background rejection at fixed ε_S versus mass decorrelation 1/JSD, both log; one series per signal, each point labelled with its configuration. */
export function r50JsdPlot(points: { configuration: string; signal: string; r50: number; inverseJsd: number }[], efficiency: number): PlotSpec {
  const percent = Math.round(efficiency * 100);
  const r = `R${percent}`;
  const signals = [...new Set(points.map((p) => p.signal))];
  const drawable = points.filter((p) => positive(p.r50) && positive(p.inverseJsd));
  return {
    title: `${r} versus 1/JSD (ε_S = ${percent} %)`,
    option: {
      ...baseOption(1, 'item'),
      xAxis: valueAxis({ name: 'Mass decorrelation 1/JSD', log: true, extra: { scale: true } }, 'x'),
      yAxis: valueAxis({ name: `Background rejection ${r} = 1/ε_B at ε_S = ${percent} %`, log: true, extra: { scale: true } }, 'y'),
      series: signals.map((signal, i) => ({
        type: 'scatter',
        name: signal,
        color: seriesColour(i),
        symbol: SYMBOLS[i % SYMBOLS.length],
        symbolSize: 9,
        dimensions: ['1/JSD', r],
        data: drawable.filter((p) => p.signal === signal).map((p) => ({ name: p.configuration, value: [p.inverseJsd, p.r50] })),
        label: { show: true, position: 'right', formatter: '{b}', color: token('text'), fontSize: 11 },
        labelLayout: { hideOverlap: true },
      })),
    } as EChartsOption,
    csv: toCsv(['configuration', 'signal', r, 'inverse_JSD'], points.map((p): Row => [p.configuration, p.signal, p.r50, p.inverseJsd])),
  };
}

/** Indices kept when drawing at most `maxPoints` of `n`: every k-th, from the first (deterministic, order-preserving). */
export function strideIndices(n: number, maxPoints: number): number[] {
  if (!(maxPoints >= 1)) throw new Error(`scatter plot: maxPoints must be at least 1, got ${maxPoints}`);
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  return Array.from({ length: Math.ceil(n / stride) }, (_, k) => k * stride);
}

function continuousScale(name: string, values: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const finite = values.filter(Number.isFinite);
  const [min, max] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  return {
    type: 'continuous',
    min,
    max: max > min ? max : min + 1,
    calculable: true,
    align: 'right',
    orient: 'vertical',
    right: 70,
    top: 'middle',
    itemHeight: 160,
    text: [name, ''],
    formatter: (v: number) => formatNumber(v),
    inRange: { color: SEQUENTIAL },
    textStyle: { color: token('text'), fontSize: 11 },
    ...extra,
  };
}

/** A point cloud (e.g. a latent space), downsampled by a fixed stride above `maxPoints`; an optional third quantity as colour. */
export function scatterPlot(points: { x: ArrayLike<number>; y: ArrayLike<number>; colour?: ArrayLike<number> }, axes: { x: string; y: string; colour?: string }, maxPoints = 5000): PlotSpec {
  checkSameLength('scatter plot', { x: points.x, y: points.y, ...(points.colour ? { colour: points.colour } : {}) });
  const n = points.x.length;
  const kept = strideIndices(n, maxPoints);
  const c = points.colour;
  const data = kept.map((i) => (c ? [points.x[i], points.y[i], c[i]] : [points.x[i], points.y[i]]));
  const colourName = axes.colour ?? 'colour';
  const sampled = kept.length < n ? ` (every ${Math.ceil(n / maxPoints)}th of ${formatNumber(n)} points)` : '';
  const option = {
    ...baseOption(1, 'item'),
    legend: undefined,
    grid: [{ left: 72, right: c ? 150 : 24, top: 24, bottom: 48 }],
    xAxis: valueAxis({ name: axes.x, extra: { scale: true } }, 'x'),
    yAxis: valueAxis({ name: axes.y, extra: { scale: true } }, 'y'),
    series: [{ type: 'scatter', name: 'events', color: seriesColour(0), symbolSize: 4, itemStyle: { opacity: 0.6 }, dimensions: c ? [axes.x, axes.y, colourName] : [axes.x, axes.y], data }],
    ...(c ? { visualMap: continuousScale(colourName, data.map((d) => d[2]), { dimension: 2, seriesIndex: 0 }) } : {}),
  };
  return {
    title: `${axes.y} versus ${axes.x}${sampled}`,
    option: option as EChartsOption,
    csv: toCsv(c ? [axes.x, axes.y, colourName] : [axes.x, axes.y], data),
  };
}

/** A jet image (row-major, rows = η′ bins, columns = φ′ bins, bin 0 lowest) as a heat map, η′ across and φ′ up. */
export function jetImagePlot(image: ArrayLike<number>, size: number, opts: { range: number; title: string; log?: boolean }): PlotSpec {
  if (image.length !== size * size) throw new Error(`jet image "${opts.title}": ${image.length} pixels, expected ${size}×${size} = ${size * size}`);
  const w = (2 * opts.range) / size;
  const edge = (k: number) => -opts.range + k * w;
  const cells = Array.from(image, (v, p) => {
    const [row, col] = [Math.floor(p / size), p % size];
    return [edge(row), edge(row + 1), edge(col), edge(col + 1), v];
  });
  const shown = (v: number) => (opts.log ? (v > 0 ? Math.log10(v) : NaN) : v);
  const data = cells.map((c) => [...c.slice(0, 4), shown(c[4])]);
  const axis = (name: string) => valueAxis({ name, min: -opts.range, max: opts.range, extra: { splitLine: { show: false } } }, 'x');
  return {
    title: opts.title,
    option: {
      ...baseOption(1, 'item'),
      legend: undefined,
      grid: [{ left: 72, right: 150, top: 24, bottom: 48 }],
      xAxis: axis('η′'),
      yAxis: { ...axis('φ′'), nameGap: 52 },
      // A short bar at the top: square images in narrow panels leave little height.
      visualMap: continuousScale(opts.log ? 'log₁₀ intensity' : 'Intensity', data.map((d) => d[4]), { dimension: 4, seriesIndex: 0, itemHeight: 90, top: 36 }),
      series: [{ type: 'custom', name: opts.title, renderItem: heatCellRenderer, encode: { x: [0, 1], y: [2, 3] }, dimensions: ['η′ low', 'η′ high', 'φ′ low', 'φ′ high', opts.log ? 'log₁₀ intensity' : 'intensity'], data }],
    } as EChartsOption,
    csv: toCsv(['eta_low', 'eta_high', 'phi_low', 'phi_high', 'intensity'], cells),
    aspect: 1,
  };
}

/** Mean reconstruction error in bins of a position (e.g. pixel radius, mass), one step outline per profile. */
export function errorVsPositionPlot(profiles: { label: string; edges: number[]; meanError: number[] }[], xLabel: string): PlotSpec {
  const y = 'Reconstruction error (MSE)';
  const series = profiles.map((p, i) => {
    checkBins(p.edges, p.meanError.length, `error profile "${p.label}"`);
    return line(p.label, stepPoints(p.edges, p.meanError), i, { dimensions: [xLabel, y] });
  });
  const unit = unitOf(xLabel);
  return {
    title: `Reconstruction error versus ${xLabel.replace(/\s*\[[^\]]*\]\s*$/, '')}`,
    option: { ...baseOption(1, 'axis'), xAxis: valueAxis({ name: xLabel, extra: { scale: true } }, 'x'), yAxis: valueAxis({ name: y, min: 0 }, 'y'), series } as EChartsOption,
    csv: toCsv(
      ['profile', withUnit('low_edge', unit), withUnit('high_edge', unit), 'mean_error'],
      profiles.flatMap((p) => p.meanError.map((e, i): Row => [p.label, p.edges[i], p.edges[i + 1], e])),
    ),
  };
}

/** Grouped bars (one group per category, one bar per label) with ±error whiskers, e.g. AUC per signal per setup. */
export function barPlot(groups: { group: string; bars: { label: string; value: number; error?: number }[] }[], yLabel: string): PlotSpec {
  const labels = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.label)))];
  const series = labels.map((label, k) => ({
    type: 'custom',
    name: label,
    color: seriesColour(k),
    itemStyle: { borderColor: token('text') },
    renderItem: groupedBarRenderer(k, labels.length),
    encode: { x: 0, y: [1, 3, 4] },
    dimensions: ['group', yLabel, 'error', 'value + error', 'value − error'],
    data: groups.flatMap((g, gi) =>
      g.bars.filter((b) => b.label === label).map((b) => [gi, b.value, b.error ?? 0, b.value + (b.error ?? 0), b.value - (b.error ?? 0)]),
    ),
  }));
  return {
    title: `${yLabel} per ${labels.length > 1 ? 'group and setup' : 'group'}`,
    option: {
      ...baseOption(1, 'item'),
      xAxis: { ...valueAxis({ name: '' }, 'x'), type: 'category', data: groups.map((g) => g.group), axisLabel: { color: token('text'), fontSize: 12, interval: 0 } },
      yAxis: valueAxis({ name: yLabel, min: 0 }, 'y'),
      series,
    } as EChartsOption,
    csv: toCsv(['group', 'label', yLabel, 'error'], groups.flatMap((g) => g.bars.map((b): Row => [g.group, b.label, b.value, b.error ?? null]))),
  };
}

/**
 * Loss per epoch of one run, one line per curve (train, validation); the x axis spans `xMax` epochs when a
 * running job's epoch count is known, so the curve grows into a fixed frame.
 */
export function lossPlot(curves: { label: string; points: XY[] }[], opts: { xLabel?: string; yLabel?: string; logY?: boolean; xMax?: number } = {}): PlotSpec {
  const x = opts.xLabel ?? 'Epoch';
  const y = opts.yLabel ?? 'Loss (MSE)';
  const series = curves.map((c, i) => line(c.label, c.points, i, { dimensions: [x, y], symbol: 'circle', symbolSize: 5, showSymbol: c.points.length <= 60, itemStyle: {} }));
  return {
    title: `${y.replace(/\s*\([^)]*\)\s*$/, '')} per ${x.toLowerCase()}`,
    option: {
      ...baseOption(1, 'axis'),
      xAxis: valueAxis({ name: x, min: 1, max: opts.xMax, extra: { minInterval: 1 } }, 'x'),
      yAxis: valueAxis({ name: y, log: opts.logY, extra: { scale: true } }, 'y'),
      series,
    } as EChartsOption,
    csv: toCsv(['curve', x.toLowerCase(), y], curves.flatMap((c) => c.points.map(([e, v]): Row => [c.label, e, v]))),
  };
}
