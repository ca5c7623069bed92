/** Dataset overview charts: class balance per split and chip-size histogram. */
import type { EChartsOption } from 'echarts';
import type { Split } from '../api/types.js';
import { AXIS_COLOR, SPLIT_COLORS, baseOption, grid } from './theme.js';

const SPLIT_ORDER: readonly Split[] = ['train', 'val', 'test'];

/** Stacked bars: chips per class, one stack segment per split. */
export function classBalanceOption(classes: string[], classCounts: Record<Split, number[]>): EChartsOption {
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: grid(26, 8, 8, 8),
    xAxis: { type: 'category', data: classes, axisLabel: { interval: 0, rotate: classes.length > 6 ? 30 : 0 }, axisLine: { lineStyle: { color: AXIS_COLOR } } },
    yAxis: { type: 'value', name: 'chips', nameTextStyle: { align: 'right' }, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: SPLIT_ORDER.map((split) => ({
      name: split,
      type: 'bar' as const,
      stack: 'chips',
      barMaxWidth: 36,
      itemStyle: { color: SPLIT_COLORS[split] },
      data: classes.map((_, i) => classCounts[split]?.[i] ?? 0),
    })),
  };
}

/** At most `maxBars` sizes (largest counts first, in the given order); the rest summed as 'other'. */
export function sizeBins(histogram: { size: string; count: number }[], maxBars = 12): { size: string; count: number }[] {
  if (histogram.length <= maxBars) return histogram;
  const head = histogram.slice(0, maxBars - 1);
  const rest = histogram.slice(maxBars - 1).reduce((sum, b) => sum + b.count, 0);
  return [...head, { size: 'other', count: rest }];
}

export function sizeHistogramOption(histogram: { size: string; count: number }[], maxBars = 12): EChartsOption {
  const bins = sizeBins(histogram, maxBars);
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    grid: grid(20, 8, 8, 8),
    xAxis: { type: 'category', data: bins.map((b) => b.size), axisLabel: { interval: 0, rotate: bins.length > 5 ? 30 : 0 }, name: 'W×H', nameLocation: 'end' },
    yAxis: { type: 'value', name: 'chips', nameTextStyle: { align: 'right' }, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: [{ name: 'chips', type: 'bar', barMaxWidth: 32, itemStyle: { color: '#6b7a8f' }, data: bins.map((b) => b.count) }],
  };
}
