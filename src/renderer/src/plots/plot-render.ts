// From a PlotSpec to pixels: theme colours resolved in the browser, a tooltip built from DOM nodes (the
// page's CSP forbids the inline style attributes of ECharts' HTML tooltips), and the PNG/SVG exports.
import type { EChartsOption } from 'echarts';
import { formatNumber } from '@shared/format';
import { init } from './echarts';
import { resolveTokens } from '@shared/plots/plot-style';

/** `light` for paper (exports), or the theme on screen. */
export type Scheme = 'light' | 'screen';

/** A CSS colour variable as the browser resolves it inside `host`, optionally forced to the light scheme. */
export function resolveColour(host: Element, variable: string, scheme: Scheme): string {
  const probe = document.createElement('span');
  if (scheme === 'light') probe.style.colorScheme = 'light';
  probe.style.color = `var(${variable})`;
  host.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

interface TooltipParam {
  seriesName?: string;
  name?: string;
  value: unknown;
  color?: unknown;
  dimensionNames?: string[];
}

function node(tag: string, className: string, text = ''): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = text;
  return el;
}

function row(label: string, value: unknown, colour?: unknown): HTMLElement {
  const r = node('div', 'chart-tooltip-row');
  if (colour !== undefined) {
    const marker = node('span', 'chart-tooltip-marker');
    marker.style.backgroundColor = typeof colour === 'string' ? colour : '';
    r.appendChild(marker);
  }
  r.append(node('span', '', label), node('span', 'chart-tooltip-value', typeof value === 'number' ? formatNumber(value) : String(value ?? '—')));
  return r;
}

const valuesOf = (p: TooltipParam): unknown[] => (Array.isArray(p.value) ? p.value : [p.value]);

/** Axis tooltips: the x value, then each series' y there. Item tooltips: the series, then every named dimension of the point. */
function tooltipContent(params: TooltipParam | TooltipParam[]): HTMLElement {
  const box = node('div', 'chart-tooltip');
  if (Array.isArray(params)) {
    const first = params[0];
    if (!first) return box;
    box.appendChild(node('div', 'chart-tooltip-title', `${first.dimensionNames?.[0] ?? 'x'} = ${formatNumber(Number(valuesOf(first)[0]))}`));
    // Series of different panels (curve, ratio) share names: group their rows under the quantity shown.
    let quantity: string | undefined;
    for (const p of params) {
      const y = valuesOf(p)[1];
      if (typeof y !== 'number' || !p.seriesName) continue;
      if (p.dimensionNames?.[1] !== quantity) {
        quantity = p.dimensionNames?.[1];
        if (quantity) box.appendChild(node('div', 'chart-tooltip-title', quantity));
      }
      box.appendChild(row(p.seriesName, y, p.color));
    }
    return box;
  }
  box.appendChild(node('div', 'chart-tooltip-title', [params.seriesName, params.name].filter(Boolean).join(' · ')));
  valuesOf(params).forEach((v, i) => box.appendChild(row(params.dimensionNames?.[i] ?? `value ${i + 1}`, v)));
  return box;
}

/** The spec's option with colours resolved for `scheme`, the UI font, and the DOM tooltip. */
export function themedOption(option: EChartsOption, host: HTMLElement, scheme: Scheme): EChartsOption {
  const cache = new Map<string, string>();
  const resolve = (v: string) => cache.get(v) ?? cache.set(v, resolveColour(host, v, scheme)).get(v)!;
  const resolved = resolveTokens(option, resolve);
  return {
    ...resolved,
    textStyle: { fontFamily: getComputedStyle(host).fontFamily },
    ...(resolved.tooltip ? { tooltip: { ...(resolved.tooltip as object), formatter: (p: unknown) => tooltipContent(p as TooltipParam[]) } } : {}),
  } as EChartsOption;
}

export interface ExportSize {
  width: number;
  height: number;
}

/** The plot in the light (paper) theme on the surface colour, as a PNG data URL at twice the pixel density. */
export function pngDataUrl(option: EChartsOption, host: HTMLElement, size: ExportSize): string {
  const chart = init(document.createElement('div'), undefined, { renderer: 'canvas', ...size, devicePixelRatio: 2 });
  try {
    chart.setOption({ ...themedOption(option, host, 'light'), tooltip: undefined });
    return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: resolveColour(host, '--surface', 'light') });
  } finally {
    chart.dispose();
  }
}

/** The plot in the light (paper) theme as SVG text, from ECharts' server-side SVG renderer (no DOM needed). */
export function svgText(option: EChartsOption, host: HTMLElement, size: ExportSize): string {
  const chart = init(null, undefined, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ ...themedOption(option, host, 'light'), tooltip: undefined, backgroundColor: resolveColour(host, '--surface', 'light') });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Save `url` as `fileName` through the browser's download (Electron shows its save dialog). */
export function download(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(url, fileName);
  // Give the download a moment to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
