/** Colours and shared option parts of every chart. */
import type { EChartsOption } from 'echarts';

export const PALETTE = ['#2f6fdf', '#e0752d', '#2e9e6a', '#c23b5a', '#7a5cc4', '#1f9fb8', '#a8871b', '#6b7a8f'];
export const SPLIT_COLORS = { train: '#2f6fdf', val: '#e0a02d', test: '#2e9e6a' } as const;
export const CURVE_COLORS = { ce: '#2f6fdf', off: '#e0752d', on: '#2e9e6a', total: '#6b7a8f', accuracy: '#7a5cc4', val: '#c23b5a', wOff: '#1f9fb8' } as const;
export const TEXT_COLOR = '#3b4352';
export const AXIS_COLOR = '#9aa3b2';

export function baseOption(): EChartsOption {
  return {
    color: PALETTE,
    animation: false,
    textStyle: { color: TEXT_COLOR, fontFamily: 'Inter, "Segoe UI", system-ui, sans-serif', fontSize: 11 },
    tooltip: { trigger: 'axis', confine: true },
  };
}

/** A heatmap cell as ECharts hands it to formatters: [x, y, value]. */
export type HeatCell = [number, number, number];

/** Item tooltip of a heatmap: the text for one cell. */
export function cellTooltip(text: (cell: HeatCell) => string): EChartsOption['tooltip'] {
  return { trigger: 'item', confine: true, formatter: (p: unknown) => text((p as { value: HeatCell }).value) };
}

/** Item tooltip of a series: the text for the data point at an index. */
export function indexTooltip(text: (index: number) => string): EChartsOption['tooltip'] {
  return { trigger: 'item', confine: true, formatter: (p: unknown) => text((p as { dataIndex: number }).dataIndex) };
}

export function grid(top = 28, bottom = 30, left = 48, right = 16): EChartsOption['grid'] {
  return { top, bottom, left, right, containLabel: true };
}

/** Round for display-stable chart data (avoids 0.30000000000000004 in labels and tests). */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
