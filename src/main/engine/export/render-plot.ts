// A PlotSpec drawn for a paper, in plain Node: ECharts' server-side SVG renderer in the light theme on
// white, fonts scaled to the paper size, an optional experiment-style label, then resvg for the PNG.
import { Resvg } from '@resvg/resvg-js';
import type { EChartsOption } from 'echarts';
import { CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, MarkAreaComponent, VisualMapContinuousComponent } from 'echarts/components';
import { format, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { paperColour, PAPER_PALETTE } from '@shared/plots/paper-palette';
import type { PlotSpec } from '@shared/plots/plot-spec';
import { resolveTokens } from '@shared/plots/plot-style';

use([LineChart, ScatterChart, CustomChart, GridComponent, LegendComponent, MarkAreaComponent, VisualMapContinuousComponent, GraphicComponent, SVGRenderer]);

export interface PaperStyle {
  width: number;
  height: number;
  /** Axis titles and legend; tick labels keep the builders' proportions (one point smaller). */
  fontSize: number;
  /** e.g. "Simulation, √s = 14 TeV"; null = none */
  label: string | null;
}

export const PAPER_STYLE: PaperStyle = { width: 640, height: 480, fontSize: 14, label: null };

/** Metric-compatible families (Helvetica, Arial, Liberation Sans), unquoted: resvg misreads a quoted name after a comma and space. */
const FONT_FAMILY = 'Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif';
/** The font size the builders size their axis titles and legends for (plot-style.ts). */
const BUILDER_FONT_SIZE = 12;
/** Builder settings in pixels that grow with the fonts: text sizes, the gap to an axis title, the legend box. */
const SCALED_KEYS = new Set(['fontSize', 'nameGap', 'itemWidth', 'itemHeight']);
const MARGINS = ['left', 'right', 'top', 'bottom'] as const;

type Obj = Record<string, unknown>;
const isPlain = (x: unknown): x is Obj => x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
const asList = (x: unknown): Obj[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]).filter(isPlain);

/** Every size of SCALED_KEYS multiplied by `k`; series data is left alone (it holds no styles and is long). */
function scaleSizes(value: unknown, k: number): unknown {
  if (Array.isArray(value)) return value.map((v) => scaleSizes(v, k));
  if (!isPlain(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === 'data' ? v : SCALED_KEYS.has(key) && typeof v === 'number' ? v * k : scaleSizes(v, k)]),
  );
}

/** Pixel margins (grid, legend, colour scale) scaled by `k`; percentages and keywords stay. */
function scaleMargins(box: Obj, k: number): Obj {
  return { ...box, ...Object.fromEntries(MARGINS.filter((m) => typeof box[m] === 'number').map((m) => [m, (box[m] as number) * k])) };
}

const font = (size: number, italic = false) => `${italic ? 'italic ' : ''}${size}px ${FONT_FAMILY}`;

/** Rows a plain legend wraps to in `width` pixels, measured as ECharts measures (its layout wraps the same way). */
function legendRows(names: string[], legend: Obj, width: number, fontSize: number): number {
  const icon = Number(legend.itemWidth ?? 25) + 5;
  const gap = 10;
  let rows = 1;
  let used = 0;
  for (const name of names) {
    const w = icon + format.getTextRect(name, font(fontSize)).width;
    if (used > 0 && used + w > width) {
      rows += 1;
      used = 0;
    }
    used += w + gap;
  }
  return rows;
}

const seriesNames = (option: Obj): string[] => asList(option.series).flatMap((s) => (typeof s.name === 'string' && s.name ? [s.name] : []));

/** The spec's option for paper: light colours, paper fonts, a static legend above the frame, no tooltip or animation. */
function paperOption(spec: PlotSpec, style: PaperStyle): Obj {
  const k = style.fontSize / BUILDER_FONT_SIZE;
  // Tooltips and axis pointers need a pointer; a static figure has none.
  const { tooltip: _tooltip, axisPointer: _axisPointer, ...option } = scaleSizes(resolveTokens(spec.option, paperColour), k) as Obj;
  const grids = asList(option.grid).map((g) => scaleMargins(g, k));
  const names = seriesNames(option);
  const out: Obj = {
    ...option,
    animation: false,
    backgroundColor: PAPER_PALETTE.surface,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: style.fontSize },
    grid: grids,
    ...(isPlain(option.visualMap) ? { visualMap: scaleMargins(option.visualMap, k) } : {}),
  };
  if (isPlain(option.legend) && names.length > 0 && grids.length > 0) {
    // A scrolling legend would show page arrows on paper: wrap it instead, and move the frame down to make room.
    const legend = scaleMargins({ ...option.legend, type: 'plain' }, k);
    const left = Number(legend.left ?? 0);
    const top = Number(legend.top ?? 0);
    const rows = legendRows(names, legend, style.width - left - Number(legend.right ?? 0), style.fontSize);
    out.legend = legend;
    const frameTop = top + rows * Math.ceil(style.fontSize * 1.6) + style.fontSize;
    out.grid = grids.map((g, i) => (i === 0 && typeof g.top === 'number' ? { ...g, top: Math.max(g.top, frameTop) } : g));
  }
  if (style.label) out.graphic = labelGraphic(style.label, asList(out.grid)[0], style.fontSize);
  return out;
}

/** The experiment-style label (as "CMS Simulation"), italic, in the top-left corner inside the first frame. */
function labelGraphic(label: string, grid: Obj | undefined, fontSize: number): Obj[] {
  const at = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  const pad = Math.round(fontSize * 0.6);
  return [
    {
      type: 'text',
      left: at(grid?.left, 0) + pad,
      top: at(grid?.top, 0) + pad,
      z: 100,
      silent: true,
      // On a light box, so the label stays readable over a heat map or a curve.
      style: {
        text: label,
        fill: PAPER_PALETTE.text,
        fontFamily: FONT_FAMILY,
        fontSize: Math.round(fontSize * 1.1),
        fontStyle: 'italic',
        backgroundColor: 'rgba(255, 255, 255, 0.85)',
        padding: [2, 4],
      },
    },
  ];
}

function checkStyle(style: PaperStyle): void {
  for (const key of ['width', 'height', 'fontSize'] as const) {
    if (!(Number.isFinite(style[key]) && style[key] > 0)) throw new Error(`paper style: ${key} must be a positive number, got ${style[key]}`);
  }
}

/**
 * The plot as standalone SVG text. ECharts numbers each chart instance ("zr0", "zr1", …) in the ids of
 * clip paths; they are renamed to one fixed prefix so the same plot gives byte-identical files.
 */
export function renderSvg(spec: PlotSpec, style: Partial<PaperStyle> = {}): string {
  const s: PaperStyle = { ...PAPER_STYLE, ...style };
  checkStyle(s);
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: s.width, height: s.height });
  try {
    chart.setOption(paperOption(spec, s) as EChartsOption);
    const painter = chart.getZr().painter as unknown as { renderToString(o: { cssAnimation: boolean; cssEmphasis: boolean; useViewBox: boolean }): string };
    // No hover styles or CSS animations: they would only add instance-numbered CSS classes to a static figure.
    const svg = painter.renderToString({ cssAnimation: false, cssEmphasis: false, useViewBox: true });
    return svg.replace(/(id="|url\(#|href="#)zr\d+-/g, '$1plot-');
  } catch (e) {
    throw new Error(`plot "${spec.title}": SVG rendering failed: ${(e as Error).message}`);
  } finally {
    chart.dispose();
  }
}

/** The SVG rasterised at `scale` times its pixel size, on white, with the system's fonts. */
export function renderPng(svg: string, scale = 2): Uint8Array {
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`PNG rendering: scale must be a positive number, got ${scale}`);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}
