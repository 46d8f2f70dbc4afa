// The HEP marks ECharts lacks, as custom series: vertical error bars, bars between two edges (pull
// panels), grouped bars with error whiskers, and rectangular heat-map cells on value axes.
import type { CustomSeriesRenderItem, CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';

type Point = number[];

/** The bottom edge of the plot area (where a log axis can't place 0 or a negative value). */
function bottomOf(params: CustomSeriesRenderItemParams): number {
  const cs = params.coordSys as unknown as { y: number; height: number };
  return cs.y + cs.height;
}

function yCoord(api: CustomSeriesRenderItemAPI, params: CustomSeriesRenderItemParams, x: number, y: number, log: boolean): number {
  return log && !(y > 0) ? bottomOf(params) : (api.coord([x, y]) as Point)[1];
}

/** Data [x, y, yLow, yHigh]: a marker at (x, y) with a vertical bar from yLow to yHigh. */
export function errorBarRenderer(log: boolean, markerSize = 5): CustomSeriesRenderItem {
  return (params, api) => {
    const [x, y, lo, hi] = [0, 1, 2, 3].map((d) => Number(api.value(d)));
    if (log && !(y > 0)) return null;
    const colour = api.visual('color') as string;
    const [cx, cy] = api.coord([x, y]) as Point;
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: cx, y1: yCoord(api, params, x, lo, log), x2: cx, y2: yCoord(api, params, x, hi, log) }, style: { stroke: colour, lineWidth: 1.5 } },
        { type: 'circle', shape: { cx, cy, r: markerSize / 2 }, style: { fill: colour } },
      ],
    };
  };
}

/** Data [low edge, high edge, value]: a bar from 0 to the value spanning the bin. */
export const binBarRenderer: CustomSeriesRenderItem = (_params, api) => {
  const [lo, hi, v] = [0, 1, 2].map((d) => Number(api.value(d)));
  if (!Number.isFinite(v)) return null;
  const [x0, y0] = api.coord([lo, 0]) as Point;
  const [x1, y1] = api.coord([hi, v]) as Point;
  const colour = api.visual('color') as string;
  return {
    type: 'rect',
    shape: { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) },
    style: { fill: colour, stroke: colour, opacity: 0.75 },
  };
};

/** Data [category index, value, error, value + error, value − error]: bar `k` of `count` in its category, with an error whisker. */
export function groupedBarRenderer(k: number, count: number): CustomSeriesRenderItem {
  return (_params, api) => {
    const [g, v, err] = [0, 1, 2].map((d) => Number(api.value(d)));
    const band = (api.size!([1, 0]) as Point)[0];
    const width = (band * 0.8) / count;
    const [centre, top] = api.coord([g, v]) as Point;
    const [, base] = api.coord([g, 0]) as Point;
    const x = centre - band * 0.4 + k * width;
    const colour = api.visual('color') as string;
    const children: object[] = [
      { type: 'rect', shape: { x: x + width * 0.05, y: Math.min(top, base), width: width * 0.9, height: Math.abs(base - top) }, style: { fill: colour } },
    ];
    if (err > 0) {
      const mid = x + width / 2;
      const [, yHi] = api.coord([g, v + err]) as Point;
      const [, yLo] = api.coord([g, v - err]) as Point;
      const cap = Math.min(6, width * 0.3);
      const stroke = { stroke: ((api.style() as { stroke?: string }).stroke) ?? colour, lineWidth: 1.5 };
      children.push(
        { type: 'line', shape: { x1: mid, y1: yLo, x2: mid, y2: yHi }, style: stroke },
        { type: 'line', shape: { x1: mid - cap, y1: yHi, x2: mid + cap, y2: yHi }, style: stroke },
        { type: 'line', shape: { x1: mid - cap, y1: yLo, x2: mid + cap, y2: yLo }, style: stroke },
      );
    }
    return { type: 'group', children } as ReturnType<CustomSeriesRenderItem>;
  };
}

/** Data [x low, x high, y low, y high, value]: a filled cell coloured by the visual map (missing values are not drawn). */
export const heatCellRenderer: CustomSeriesRenderItem = (_params, api) => {
  if (!Number.isFinite(Number(api.value(4)))) return null;
  const [x0, y0] = api.coord([Number(api.value(0)), Number(api.value(2))]) as Point;
  const [x1, y1] = api.coord([Number(api.value(1)), Number(api.value(3))]) as Point;
  return {
    type: 'rect',
    // Half a pixel of overlap hides the hairline seams between cells.
    shape: { x: Math.min(x0, x1) - 0.25, y: Math.min(y0, y1) - 0.25, width: Math.abs(x1 - x0) + 0.5, height: Math.abs(y1 - y0) + 0.5 },
    style: { fill: api.visual('color') as string },
  };
};
