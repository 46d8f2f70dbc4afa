// The common look of the HEP plots (mplhep-like: outline steps, ticks inside, no chart junk) as pure
// building blocks: theme colour tokens, axes, panel layouts, step outlines of histograms, CSV text.
import type { EChartsOption } from 'echarts';
import { formatNumber } from '@shared/format';

type AxisOption = Record<string, unknown>;

/** A theme colour, resolved by PlotPanel for the theme in use (see plot-palette.css). */
export const token = (name: string): string => `var(--${name})`;

/** Petroff's colour-blind-safe 10-colour cycle (the mplhep/CMS default), one lighter variant per colour in the dark theme. */
const PALETTE_SIZE = 10;
export const seriesColour = (i: number): string => token(`plot-${(i % PALETTE_SIZE) + 1}`);
/** A sequential (viridis-like) ramp for colour scales. */
export const SEQUENTIAL = [0, 1, 2, 3, 4].map((i) => token(`plot-seq-${i}`));

/** Every `var(--name)` string in an option replaced by `resolve(name)`; functions and numbers are left alone. */
export function resolveTokens<T>(value: T, resolve: (variable: string) => string): T {
  if (typeof value === 'string') {
    const m = /^var\((--[\w-]+)\)$/.exec(value);
    return (m ? resolve(m[1]) : value) as T;
  }
  if (Array.isArray(value)) {
    // Data arrays are long and hold numbers: leave them untouched rather than copying them.
    return (value.some((v) => typeof v === 'string' || (v !== null && typeof v === 'object')) ? value.map((v) => resolveTokens(v, resolve)) : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTokens(v, resolve)])) as T;
  }
  return value;
}

const SUPERSCRIPT: Readonly<Record<string, string>> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** Linear-axis ticks: plain decimals (no float noise such as 0.30000000000000004), thousands separated. */
export function formatLinearTick(v: number): string {
  return Math.abs(v) >= 1000 ? formatNumber(v) : String(Number(v.toPrecision(6)));
}

/** Log-axis ticks: powers of ten far from 1 as 10ⁿ (as on HEP plots), everything else with four significant digits. */
export function formatTick(v: number): string {
  const exponent = Math.log10(Math.abs(v));
  if (v !== 0 && Number.isInteger(Math.round(exponent * 1e9) / 1e9) && (exponent >= 4 || exponent <= -3)) {
    const n = String(Math.round(exponent)).replace(/./g, (ch) => SUPERSCRIPT[ch] ?? ch);
    return `${v < 0 ? '−' : ''}10${n}`;
  }
  return formatNumber(v);
}

export interface AxisSpec {
  name: string;
  log?: boolean;
  min?: number;
  max?: number;
  gridIndex?: number;
  /** The axis of an upper panel that shares x with the panel below: no tick labels, no title. */
  shared?: boolean;
  /** Extra ECharts axis settings (e.g. `scale`). */
  extra?: AxisOption;
}

/** A value axis with its title (units included by the caller), ticks inside, and theme colours. */
export function valueAxis(a: AxisSpec, position: 'x' | 'y'): AxisOption {
  return {
    type: a.log ? 'log' : 'value',
    ...(a.log ? { logBase: 10 } : {}),
    name: a.shared ? '' : a.name,
    nameLocation: 'middle',
    nameGap: position === 'x' ? 30 : 52,
    nameTextStyle: { color: token('text'), fontSize: 12 },
    gridIndex: a.gridIndex ?? 0,
    min: a.min,
    max: a.max,
    axisLine: { show: true, onZero: false, lineStyle: { color: token('chart-axis') } },
    axisTick: { inside: true, lineStyle: { color: token('chart-axis') } },
    minorTick: { show: true, lineStyle: { color: token('chart-axis') } },
    axisLabel: { show: !a.shared, color: token('text-muted'), fontSize: 11, formatter: a.log ? formatTick : formatLinearTick, hideOverlap: true },
    splitLine: { show: position === 'y', lineStyle: { color: token('chart-grid') } },
    ...a.extra,
  };
}

export const LEGEND = {
  type: 'scroll',
  top: 4,
  left: 72,
  right: 24,
  itemWidth: 20,
  itemHeight: 8,
  textStyle: { color: token('text'), fontSize: 12 },
  pageTextStyle: { color: token('text-muted') },
  pageIconColor: token('text-muted'),
};

/** One plot area, or a main panel with a smaller one below it (ratio, pulls) sharing x. */
export function grids(panels: 1 | 2): AxisOption[] {
  return panels === 1
    ? [{ left: 72, right: 24, top: 40, bottom: 48 }]
    : [
        { left: 72, right: 24, top: 40, bottom: '35%' },
        { left: 72, right: 24, top: '68%', bottom: 48 },
      ];
}

/** Item tooltips on, colours from the theme; PlotPanel supplies the CSP-safe DOM formatter. */
export function tooltip(trigger: 'item' | 'axis'): AxisOption {
  return {
    trigger,
    confine: true,
    backgroundColor: token('surface'),
    borderColor: token('border-strong'),
    textStyle: { color: token('text'), fontSize: 12 },
    axisPointer: { type: 'line', lineStyle: { color: token('chart-axis'), type: 'dashed' } },
  };
}

/** The frame every cartesian plot shares; callers add axes and series. */
export function baseOption(panels: 1 | 2, trigger: 'item' | 'axis'): EChartsOption {
  return {
    animation: false,
    grid: grids(panels),
    legend: LEGEND,
    tooltip: tooltip(trigger),
    ...(panels === 2 ? { axisPointer: { link: [{ xAxisIndex: 'all' }] } } : {}),
  } as EChartsOption;
}

/** The outline of a histogram: two points per bin, (low edge, value) and (high edge, value); null where the value can't be drawn. */
export function stepPoints(edges: readonly number[], values: readonly number[], drawable: (v: number) => boolean = Number.isFinite): ([number, number] | [number, null])[] {
  checkBins(edges, values.length, 'histogram');
  return values.flatMap((v, i): ([number, number] | [number, null])[] =>
    drawable(v) ? [[edges[i], v], [edges[i + 1], v]] : [[edges[i], null], [edges[i + 1], null]],
  );
}

export function checkBins(edges: readonly number[], bins: number, what: string): void {
  if (edges.length !== bins + 1) throw new Error(`${what}: ${edges.length} edges for ${bins} bins (need bins + 1)`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) throw new Error(`${what}: edges must increase, edge ${i} is ${edges[i]} after ${edges[i - 1]}`);
  }
}

export function checkSameLength(what: string, arrays: Record<string, ArrayLike<number>>): void {
  const entries = Object.entries(arrays);
  const [firstName, first] = entries[0];
  for (const [name, a] of entries.slice(1)) {
    if (a.length !== first.length) throw new Error(`${what}: ${firstName} has ${first.length} values but ${name} has ${a.length}`);
  }
}

export const positive = (v: number): boolean => Number.isFinite(v) && v > 0;

/** "[GeV]" of "m_jj [GeV]", or "" for a label without units. */
export function unitOf(label: string): string {
  return /\[([^\]]+)\]\s*$/.exec(label)?.[1] ?? '';
}

export const withUnit = (column: string, unit: string): string => (unit ? `${column} [${unit}]` : column);

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV; numbers in full precision so the file reads back to the plotted values; empty cells for missing values. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** Histogram rows with one value column per series: low_edge, high_edge, then each series. */
export function histogramCsv(edges: readonly number[], xUnit: string, series: { column: string; values: readonly number[] }[]): string {
  return toCsv(
    [withUnit('low_edge', xUnit), withUnit('high_edge', xUnit), ...series.map((s) => s.column)],
    edges.slice(0, -1).map((lo, i) => [lo, edges[i + 1], ...series.map((s) => s.values[i])]),
  );
}
