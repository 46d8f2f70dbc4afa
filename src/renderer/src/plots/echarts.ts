// ECharts, with only the parts the plots use registered (keeps the bundle small).
import { CustomChart, LineChart, ScatterChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

use([
  LineChart,
  ScatterChart,
  CustomChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkAreaComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
  // The SVG renderer draws the vector export (PlotPanel's "SVG" button).
  SVGRenderer,
]);

export type LineChartOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
export type { LineSeriesOption };
export { init };
