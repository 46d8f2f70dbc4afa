// What every plot of the workbench is: a title, an ECharts option and the data behind it as CSV.
// The option names theme colours as `var(--token)` strings; PlotPanel resolves them for the current
// theme (or the light "paper" theme for exports), so the builders stay pure and testable without a DOM.
import type { EChartsOption } from 'echarts';

export interface PlotSpec {
  title: string;
  option: EChartsOption;
  /** The data behind the plot: a header row (units in the column names), then one row per point or bin. */
  csv: string;
  /** Width / height of the plot area when it must keep a shape (jet images: 1, square pixels); the height then follows the width. */
  aspect?: number;
}
