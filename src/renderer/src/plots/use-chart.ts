// One ECharts canvas bound to an element for a component's lifetime: drawn on mount, redrawn on demand,
// resized with its element, disposed on unmount.
import { onBeforeUnmount, onMounted, type Ref } from 'vue';
import type { EChartsType } from 'echarts/core';
import { init } from './echarts';

type Option = Parameters<EChartsType['setOption']>[0];

/** `option(el)` builds what to draw in `el` (theme colours resolve against it); returns the redraw. */
export function useChart(el: Ref<HTMLDivElement | null>, option: (el: HTMLDivElement) => Option): () => void {
  let chart: EChartsType | null = null;
  let resizeObserver: ResizeObserver | null = null;
  const render = (): void => {
    if (!el.value) return;
    chart ??= init(el.value, undefined, { renderer: 'canvas' });
    chart.setOption(option(el.value), { notMerge: true });
  };
  onMounted(() => {
    render();
    resizeObserver = new ResizeObserver(() => chart?.resize());
    if (el.value) resizeObserver.observe(el.value);
  });
  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    chart?.dispose();
    chart = null;
  });
  return render;
}
